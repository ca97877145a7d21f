/**
 * Where Oversight keeps its data, read once from the environment: a PostgreSQL server when
 * DATABASE_URL is set, otherwise the embedded database under OVERSIGHT_DATA_DIR (./.oversight).
 */
import { resolve } from "node:path";
import type { DatabaseConfig } from "./store/database.js";

export interface AppConfig {
  database: DatabaseConfig;
  dataDir: string;
  port: number;
  host: string;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const dataDir = resolve(env.OVERSIGHT_DATA_DIR ?? ".oversight");
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a port number, not "${env.PORT}"`);
  return {
    database: env.DATABASE_URL
      ? { engine: "postgres", url: env.DATABASE_URL }
      : { engine: "pglite", dataDir: resolve(dataDir, "db") },
    dataDir,
    port,
    host: env.HOST ?? "localhost",
  };
}
