import { FrameworkRegistry } from "../domain/frameworks/registry.js";
import { openDatabase, type DatabaseConfig } from "../store/database.js";
import { loadShippedFrameworks } from "../store/framework-files.js";
import { migrate } from "../store/migrate.js";
import { openAuditTrail, useAuditTrail } from "../store/audit.js";
import type { ServiceContext } from "./context.js";

/**
 * Opens the store, brings its schema up to date and loads the shipped framework versions. With
 * the installation's data folder, audited writes use its audit key and anchor log
 * (docs/audit.md); `holder` names this process to another that finds the embedded database in use.
 */
export async function openServices(
  database: DatabaseConfig,
  options: { dataDir?: string; holder?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<ServiceContext & { close(): Promise<void> }> {
  const frameworks = new FrameworkRegistry(loadShippedFrameworks());
  const db = await openDatabase(
    database.engine === "pglite" && options.holder
      ? { ...database, holder: options.holder }
      : database,
  );
  if (options.dataDir) useAuditTrail(db, openAuditTrail(options.dataDir, options.env));
  try {
    await migrate(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return { db, frameworks, close: () => db.close() };
}
