/**
 * One SQL dialect, PostgreSQL, behind one small interface: PGlite (embedded, on disk or in
 * memory) by default, a PostgreSQL server when a connection URL is given. Both adapters parse
 * values identically so the rest of the code cannot tell them apart.
 */
import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { lockFolder } from "./folder-lock.js";

export interface Queryable {
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
}

export interface Transaction extends Queryable {
  /** Runs a script of several statements (migrations). */
  execScript(sql: string): Promise<void>;
}

export interface Database extends Transaction {
  readonly engine: "pglite" | "postgres";
  /**
   * How many statements that may have changed data this process has run through this handle
   * (every transaction, script and statement other than a SELECT): a cache compares it to know
   * when its view of the data may be out of date.
   */
  writes(): number;
  /** Runs `work` in one transaction: committed if it resolves, rolled back if it throws. */
  transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** PGlite only: the data directory as a tarball, to clone a database (tests use it). */
  dump?(): Promise<Blob>;
}

export type DatabaseConfig =
  | {
      engine: "pglite";
      dataDir: string | null /* null: in memory */;
      /** A data directory dumped by PGlite to start from (tests clone a migrated template). */
      loadDataDir?: Blob;
      /** What this process is, named to another that finds the folder locked (folder-lock.ts). */
      holder?: string;
    }
  | { engine: "postgres"; url: string };

const READ_ONLY = /^\s*select\b/i;

/** Counts the statements that may write: see `Database.writes`. */
function writeCounter(): { count: (sql?: string) => void; writes: () => number } {
  let n = 0;
  return {
    count: (sql) => {
      if (sql === undefined || !READ_ONLY.test(sql)) n++;
    },
    writes: () => n,
  };
}

// Dates are calendar days: kept as `YYYY-MM-DD` text, never turned into instants.
const OID = { int8: 20, date: 1082, timestamptz: 1184, timestamp: 1114, numeric: 1700 } as const;
const parseTimestamp = (text: string): string => new Date(text).toISOString();
const VALUE_PARSERS: Record<number, (text: string) => unknown> = {
  [OID.int8]: Number,
  [OID.numeric]: Number,
  [OID.date]: (text) => text,
  [OID.timestamptz]: parseTimestamp,
  [OID.timestamp]: parseTimestamp,
};

export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  return config.engine === "pglite"
    ? openPglite(config.dataDir, config.loadDataDir, config.holder)
    : openPostgres(config.url);
}

async function openPglite(
  dataDir: string | null,
  loadDataDir?: Blob,
  holder = `oversight (${process.argv.slice(2, 3).join(" ") || "a process"})`,
): Promise<Database> {
  // One process at a time on a folder: a second is refused before anything is opened.
  const lock = dataDir ? lockFolder(dataDir, holder) : null;
  let db: PGlite;
  try {
    if (dataDir) mkdirSync(dataDir, { recursive: true });
    db = await PGlite.create({
      ...(dataDir ? { dataDir } : {}),
      ...(loadDataDir ? { loadDataDir } : {}),
      parsers: VALUE_PARSERS,
    });
  } catch (error) {
    lock?.release();
    throw error;
  }
  const run = async <Row>(q: Pick<PGlite, "query">, sql: string, params?: unknown[]) =>
    (await q.query<Row>(sql, params as unknown[])).rows;
  const counter = writeCounter();
  return {
    engine: "pglite",
    writes: counter.writes,
    query: (sql, params) => {
      counter.count(sql);
      return run(db, sql, params);
    },
    transaction: async (work) => {
      try {
        return await db.transaction((tx) =>
          work({
            query: (sql, params) => run(tx, sql, params),
            execScript: async (sql) => {
              await tx.exec(sql);
            },
          }),
        );
      } finally {
        counter.count();
      }
    },
    execScript: async (sql) => {
      counter.count();
      await db.exec(sql);
    },
    close: async () => {
      try {
        await db.close();
      } finally {
        lock?.release();
      }
    },
    dump: async () => (await db.dumpDataDir("none")) as Blob,
  };
}

async function openPostgres(url: string): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        VALUE_PARSERS[oid] ??
        pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
    },
  });
  // An idle pooled connection the server ends (a restart, an administrator, DROP DATABASE …
  // WITH (FORCE) racing a close) is dropped from the pool; the next query opens a new one.
  // Unhandled, the pool's "error" event would crash the process.
  pool.on("error", () => undefined);
  // Fail fast with a clear message when the server is unreachable.
  await pool.query("SELECT 1");
  const run = async <Row>(q: pg.Pool | pg.PoolClient, sql: string, params?: unknown[]) =>
    (await q.query(sql, params)).rows as Row[];
  const counter = writeCounter();
  return {
    engine: "postgres",
    writes: counter.writes,
    query: (sql, params) => {
      counter.count(sql);
      return run(pool, sql, params);
    },
    transaction: async (work) => {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const result = await work({
          query: (sql, params) => run(client, sql, params),
          execScript: async (sql) => {
            await client.query(sql);
          },
        });
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      } finally {
        client.release();
        counter.count();
      }
    },
    execScript: async (sql) => {
      counter.count();
      await pool.query(sql);
    },
    close: () => pool.end(),
  };
}
