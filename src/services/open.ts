import { FrameworkRegistry } from "../domain/frameworks/registry.js";
import { openDatabase, type DatabaseConfig } from "../store/database.js";
import { loadShippedFrameworks } from "../store/framework-files.js";
import { migrate } from "../store/migrate.js";
import type { ServiceContext } from "./context.js";

/** Opens the store, brings its schema up to date and loads the shipped framework versions. */
export async function openServices(
  database: DatabaseConfig,
): Promise<ServiceContext & { close(): Promise<void> }> {
  const frameworks = new FrameworkRegistry(loadShippedFrameworks());
  const db = await openDatabase(database);
  try {
    await migrate(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return { db, frameworks, close: () => db.close() };
}
