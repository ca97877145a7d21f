/**
 * Runs the real command-line program (`node bin/oversight.mjs ...`) in a child process, the way a
 * user does, for the CLI and `npm start` tests (requirements §2, rules 2–4 and 7).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BIN = join(ROOT, "bin", "oversight.mjs");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A fresh, empty folder under the system temp folder. */
export function tempDir(prefix = "oversight-cli-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * Spawns the CLI. Its environment is this process's without anything that would point it at
 * another database or make it think it is a test-runner child, and with OVERSIGHT_DATA_DIR always
 * set (to a temp folder removed when the child exits, unless the caller gives one) so no run
 * touches ./.oversight.
 */
function spawnCli(args: string[], env: Record<string, string>): ChildProcess {
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ["DATABASE_URL", "OVERSIGHT_DATA_DIR", "PORT", "HOST", "NODE_TEST_CONTEXT"])
    delete base[name];
  const scratch = env.OVERSIGHT_DATA_DIR === undefined ? tempDir() : undefined;
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { ...base, OVERSIGHT_USER: "cli-test", OVERSIGHT_DATA_DIR: scratch ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (scratch) child.on("close", () => rmSync(scratch, { recursive: true, force: true }));
  return child;
}

/** Runs `oversight ...args` to completion. */
export function runCli(
  args: string[],
  env: Record<string, string> = {},
  { timeoutMs = 60_000 } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(args, env);
    let stdout = "";
    let stderr = "";
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`oversight ${args.join(" ")} did not finish in ${timeoutMs} ms`));
    }, timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface RunningServer {
  port: number;
  /** Output so far. */
  output(): { stdout: string; stderr: string };
  /** Sends `signal` and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `oversight ...args` (a server) and resolves once it says where it is listening. */
export function startCli(
  args: string[],
  env: Record<string, string>,
  { timeoutMs = 60_000 } = {},
): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(args, env);
    let stdout = "";
    let stderr = "";
    const exited = new Promise<number | null>((done) => child.on("close", (code) => done(code)));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`server did not start in ${timeoutMs} ms:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      const match = /running at http:\/\/[^:/]+:(\d+)\//.exec(stdout);
      if (!match) return;
      clearTimeout(timer);
      resolve({
        port: Number(match[1]),
        output: () => ({ stdout, stderr }),
        stop: (signal = "SIGTERM") => {
          child.kill(signal);
          return exited;
        },
      });
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before listening:\n${stdout}\n${stderr}`));
    });
  });
}

/** True when the text holds a JavaScript stack trace. */
export function hasStackTrace(text: string): boolean {
  return /^\s+at .+[(:]/m.test(text) || /^\w*Error: /m.test(text);
}
