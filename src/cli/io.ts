/**
 * Where one run of the command line reads its settings and writes its output. The program
 * (`bin/oversight.mjs`) runs with the process's environment and streams; the tests run the same
 * commands in their own process with their own environment and captured output, which is many
 * times faster than starting node for each case. Each run keeps its own: two runs side by side
 * in one process (the tests on PostgreSQL) never see each other's settings or output.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { Readable } from "node:stream";

export interface CliIo {
  env: NodeJS.ProcessEnv;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
}

/** What one run of the program knows about itself: its streams, command and account. */
export interface Invocation {
  io: CliIo;
  /** The command being run (`import`, `audit verify`), to name it to another process. */
  command: string;
  /** The account named by the global `--user` option (or $OVERSIGHT_ACT_AS), if any. */
  actingUser: string | undefined;
}

const current = new AsyncLocalStorage<Invocation>();

/** The process's own streams and environment. */
export function processIo(): CliIo {
  return { env: process.env, stdout: process.stdout, stderr: process.stderr, stdin: process.stdin };
}

/** Streams for a run whose output is kept as text, with no input (the tests). */
export function capturedIo(env: NodeJS.ProcessEnv): CliIo & { out(): string; err(): string } {
  let out = "";
  let err = "";
  return {
    env,
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
    stdin: Readable.from([]),
    out: () => out,
    err: () => err,
  };
}

/** Runs `work` as one invocation with `io`. */
export function withInvocation<T>(io: CliIo, work: () => Promise<T>): Promise<T> {
  return current.run({ io, command: "", actingUser: undefined }, work);
}

export function invocation(): Invocation {
  const found = current.getStore();
  if (!found) throw new Error("a command ran outside an invocation of the command line");
  return found;
}

/** The run's environment variables. */
export const cliEnv = (): NodeJS.ProcessEnv => invocation().io.env;

/** Writes `text` as it is to standard output. */
export const write = (text: string): void => void invocation().io.stdout.write(text);

/** Writes one line to standard output. */
export const say = (line: string): void => write(`${line}\n`);

/** Writes one line to standard error. */
export const warn = (line: string): void => void invocation().io.stderr.write(`${line}\n`);
