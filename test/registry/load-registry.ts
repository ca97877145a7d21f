/**
 * The shipped registry loaded the way `oversight demo` loads it (writeRegistryBundle, then
 * importRegistryBundle), for tests that need the organisations in a database.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ServiceContext } from "../../src/services/context.js";
import { importRegistryBundle, writeRegistryBundle } from "../../src/services/demo.js";
import type { ImportReport } from "../../src/services/import-bundle.js";

export async function loadRegistry(ctx: ServiceContext): Promise<ImportReport> {
  const dir = mkdtempSync(join(tmpdir(), "oversight-registry-"));
  try {
    writeRegistryBundle(dir);
    return await importRegistryBundle(ctx, dir, { importedBy: "test" });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
