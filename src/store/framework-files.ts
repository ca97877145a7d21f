/**
 * Framework versions are data files (frameworks/*.yaml). This adapter reads them and validates
 * each against the domain schema; a bad file fails naming the file, the path inside it and the
 * problem, so a policy author can fix it without reading code.
 */
import { readFileSync, readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseYaml, YAMLParseError } from "yaml";
import { frameworkSchema, type Framework } from "../domain/frameworks/schema.js";

export const FRAMEWORKS_DIR = fileURLToPath(new URL("../../frameworks/", import.meta.url));

export class FrameworkFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(problems.map((p) => `${file}: ${p}`).join("\n"));
    this.name = "FrameworkFileError";
  }
}

export function loadFrameworkFile(file: string): Framework {
  let data: unknown;
  try {
    const text = readFileSync(file, "utf8");
    data = file.endsWith(".json") ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    if (error instanceof YAMLParseError) {
      // The parser's message repeats the position and ends in a multi-line code frame: keep one
      // line, "line L, column C: reason".
      const reason = (error.message.split("\n")[0] ?? "").replace(
        / at line \d+, column \d+:?$/,
        "",
      );
      const at = error.linePos?.[0];
      throw new FrameworkFileError(file, [
        `${at ? `line ${at.line}, column ${at.col}` : "(root)"}: ${reason}`,
      ]);
    }
    if (error instanceof SyntaxError) throw new FrameworkFileError(file, [error.message]);
    const code = (error as NodeJS.ErrnoException).code;
    throw new FrameworkFileError(file, [code === "ENOENT" ? "file not found" : String(error)]);
  }
  const result = frameworkSchema.safeParse(data);
  if (!result.success) {
    throw new FrameworkFileError(
      file,
      result.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`),
    );
  }
  const expectedId = basename(file).replace(/\.(ya?ml|json)$/, "");
  if (result.data.id !== expectedId) {
    throw new FrameworkFileError(file, [
      `id: "${result.data.id}" does not match the file name "${expectedId}"`,
    ]);
  }
  return result.data;
}

/** Every shipped framework version, ordered by the date it came into force. */
export function loadShippedFrameworks(dir: string = FRAMEWORKS_DIR): Framework[] {
  return readdirSync(dir)
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .map((f) => loadFrameworkFile(join(dir, f)))
    .sort((a, b) => a.in_force_from.localeCompare(b.in_force_from));
}
