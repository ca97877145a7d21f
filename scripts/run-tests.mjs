#!/usr/bin/env node
/**
 * Runs every test (`src/**\/*.test.ts`, `test/**\/*.test.ts`) with Node's test runner and tsx.
 * Node 20's `--test` takes no globs, so the files are listed here. Arguments narrow the run to
 * files whose path contains any of them: `npm test -- import bundle`.
 * Set TEST_DATABASE_URL to a PostgreSQL server to run the database tests on it as well as PGlite.
 *
 * Files run in parallel, one per core (at least two): each test file is its own process, and
 * every database test has its own database (an in-memory PGlite cloned from the migrated
 * template, or its own PostgreSQL database), so files share nothing but the read-only template.
 * TEST_CONCURRENCY overrides the number of files at a time.
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, relative } from "node:path";

const root = new URL("..", import.meta.url).pathname;

function findTests(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : findTests(path);
    return entry.name.endsWith(".test.ts") ? [relative(root, path)] : [];
  });
}

const filters = process.argv.slice(2);
const files = ["src", "test"]
  .flatMap((dir) => findTests(join(root, dir)))
  .filter((f) => filters.length === 0 || filters.some((w) => f.includes(w)))
  .sort();
if (files.length === 0) {
  console.error(`no test files match ${filters.join(", ")}`);
  process.exit(1);
}
console.log(
  `Running ${files.length} test files on PGlite` +
    (process.env.TEST_DATABASE_URL ? " and PostgreSQL (TEST_DATABASE_URL)" : ""),
);
const result = spawnSync(
  process.execPath,
  [
    "--import",
    "tsx",
    "--test",
    "--test-reporter=spec",
    `--test-concurrency=${process.env.TEST_CONCURRENCY ?? Math.max(2, availableParallelism())}`,
    // A hung test fails the run rather than stalling CI.
    "--test-timeout=300000",
    ...files,
  ],
  { cwd: root, stdio: "inherit", env: { ...process.env, NODE_ENV: "test" } },
);
process.exit(result.status ?? 1);
