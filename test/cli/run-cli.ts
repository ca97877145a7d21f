/**
 * Runs the command line for the CLI and `npm start` tests (requirements §2, rules 2–4 and 7): in
 * this process through the program's own entry (`runOversight`, what `bin/oversight.mjs` calls,
 * with its own environment and captured output), or as a real child process where the process
 * itself is under test (start-up, signals, exit codes, two processes on one database).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { capturedIo } from "../../src/cli/io.js";
import { runOversight } from "../../src/cli/main.js";

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

const FOREIGN_SETTINGS = [
  "DATABASE_URL",
  "OVERSIGHT_DATA_DIR",
  "PORT",
  "HOST",
  "NODE_TEST_CONTEXT",
];

/**
 * A run's environment: this process's without anything that would point it at another database
 * or make it think it is a test-runner child, and with OVERSIGHT_DATA_DIR always set (to a temp
 * folder, `scratch`, unless the caller gives one) so no run touches ./.oversight.
 */
function cliEnvironment(env: Record<string, string>): {
  env: NodeJS.ProcessEnv;
  scratch: string | undefined;
} {
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const name of FOREIGN_SETTINGS) delete base[name];
  const scratch = env.OVERSIGHT_DATA_DIR === undefined ? tempDir() : undefined;
  return {
    env: { ...base, OVERSIGHT_USER: "cli-test", OVERSIGHT_DATA_DIR: scratch ?? "", ...env },
    scratch,
  };
}

/** Spawns the program, `node bin/oversight.mjs ...args`, with the environment above. */
function spawnCli(args: string[], env: Record<string, string>): ChildProcess {
  const { env: childEnv, scratch } = cliEnvironment(env);
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: childEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (scratch) child.on("close", () => rmSync(scratch, { recursive: true, force: true }));
  return child;
}

/** Runs `oversight ...args` in this process, as the program would run it. */
export async function runCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const { env: runEnv, scratch } = cliEnvironment(env);
  const io = capturedIo(runEnv);
  try {
    const code = await runOversight(args, io);
    return { code, stdout: io.out(), stderr: io.err() };
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}

/** Runs `oversight ...args` to completion in a child process. */
export function runCliProcess(
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
