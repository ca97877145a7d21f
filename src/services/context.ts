import type { FrameworkRegistry } from "../domain/frameworks/registry.js";
import type { Database } from "../store/database.js";

/** What every use case needs: the store and the policy in force. The CLI and web build one. */
export interface ServiceContext {
  db: Database;
  frameworks: FrameworkRegistry;
}
