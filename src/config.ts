/**
 * Where Oversight keeps its data, read once from the environment: a PostgreSQL server when
 * DATABASE_URL is set, otherwise the embedded database under OVERSIGHT_DATA_DIR (./.oversight).
 * A variable set to the empty string (`PORT= npm start`) counts as unset.
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
  const setting = (name: string): string | undefined => env[name] || undefined;
  const dataDir = resolve(setting("OVERSIGHT_DATA_DIR") ?? ".oversight");
  const portText = setting("PORT") ?? "3000";
  // Digits only: Number() would also take "0x50", "1e3" or " 80 " as a port.
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!(port >= 0 && port <= 65535))
    throw new Error(`PORT must be a port number 0–65535, not "${portText}"`);
  const databaseUrl = setting("DATABASE_URL");
  return {
    database: databaseUrl
      ? { engine: "postgres", url: databaseUrl }
      : { engine: "pglite", dataDir: resolve(dataDir, "db") },
    dataDir,
    port,
    host: setting("HOST") ?? "localhost",
  };
}
