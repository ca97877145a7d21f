/**
 * One process at a time on an embedded database folder (requirements §20): PGlite is a single-process
 * engine, and a second process opening a folder in use aborted (or, worse, wrote). The first to
 * open the folder creates `<folder>.lock` exclusively, holding its pid and what it is; another
 * process is refused with one line naming the holder, before anything is opened or written. A lock
 * left by a process that no longer runs is taken over.
 */
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { dirname } from "node:path";

export class DatabaseInUseError extends Error {}

interface Holder {
  pid: number;
  what: string;
}

function readHolder(file: string): Holder | null {
  try {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as Partial<Holder>;
    return typeof parsed.pid === "number"
      ? { pid: parsed.pid, what: String(parsed.what ?? "a process") }
      : null;
  } catch {
    return null;
  }
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** A held lock: `release()` removes it (also done when the process exits). */
export interface FolderLock {
  release(): void;
}

/**
 * Locks `folder` for this process, described as `what` ("the server", "oversight import").
 * Throws DatabaseInUseError naming the holder when another live process has it.
 */
export function lockFolder(folder: string, what: string): FolderLock {
  const file = `${folder}.lock`;
  mkdirSync(dirname(folder), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(file, "wx", 0o644);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = readHolder(file);
      if (holder && running(holder.pid))
        throw new DatabaseInUseError(
          `${holder.what} (pid ${holder.pid}) is using this database (${folder}): stop it, or run this command against a PostgreSQL server the two can share (DATABASE_URL); nothing was written`,
        );
      // Left by a process that has gone: take it over.
      try {
        unlinkSync(file);
      } catch {
        // Another process took it over first; try again.
      }
      continue;
    }
    writeSync(fd, JSON.stringify({ pid: process.pid, what }));
    closeSync(fd);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      process.off("exit", release);
      if (readHolder(file)?.pid === process.pid) unlinkSync(file);
    };
    process.on("exit", release);
    return { release };
  }
  throw new DatabaseInUseError(`cannot lock ${folder}: another process keeps taking it`);
}
