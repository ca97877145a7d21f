/**
 * requirements §6, "a test plants a unique marker in every confidential field of the demo data and
 * asserts it appears in no public page, no export file and no API response to a caller not
 * entitled to it" (DOMAIN §12; FOI s31, s33, s36, seed 002; s109, seed 004).
 *
 * The demo national dataset is loaded (a clone of the demo template, test/support/demo.ts), and
 * every field of its intelligence items that carries confidential content (source and summary)
 * is replaced by a unique marker — at each item's own level, public items too, so the search is
 * shown to find what is there. It is then served for real on loopback. Every public
 * page and download, every API answer to the public, the open-data export, and what callers with
 * too low a clearance or out of scope (admin, a trust user of another trust, a CQC user) get, are
 * searched for the markers they must not carry. National oversight, entitled to everything, finds
 * every confidential marker on the organisations' profiles.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { FastifyInstance } from "fastify";
import type { Confidentiality } from "../../src/domain/access/policy.js";
import type { CalendarDate } from "../../src/domain/shared/dates.js";
import { exportOpenData } from "../../src/services/export-bundle.js";
import { buildServer } from "../../src/web/server.js";
import { createAccount, SYSTEM, type TestAccount } from "../support/access.js";
import { testEngines, type TestDatabase } from "../support/database.js";
import { openDemoDatabase } from "../support/demo.js";

interface Marker {
  text: string;
  level: Confidentiality;
  org: string;
}

/** Puts a marker in the source and summary of every intelligence item in `t`. */
async function plantMarkers(t: TestDatabase): Promise<Marker[]> {
  const rows = await t.db.query<{ id: string; org_code: string; confidentiality: Confidentiality }>(
    "SELECT id::text, org_code, confidentiality FROM intelligence ORDER BY id",
  );
  const markers: Marker[] = [];
  const mark = (row: (typeof rows)[number], field: string) => {
    const text = `DEMO-MARKER-${row.confidentiality}-${field}-${row.org_code}-${markers.length}`;
    markers.push({ text, level: row.confidentiality, org: row.org_code });
    return text;
  };
  for (const row of rows) {
    const [source, summary] = [mark(row, "source"), mark(row, "summary")];
    await t.db.query(
      `UPDATE intelligence
          SET source = $2, summary = $3, summary_sha256 = encode(sha256(convert_to($3, 'UTF8')), 'hex')
        WHERE id = $1`,
      [row.id, source, summary],
    );
  }
  return markers;
}

for (const engine of testEngines()) {
  describe(`confidentiality over the demo dataset [${engine}] (requirements §6, DOMAIN §12)`, () => {
    const exportDir = mkdtempSync(join(tmpdir(), "oversight-demo-open-data-"));
    let t: TestDatabase;
    let app: FastifyInstance;
    let base: string;
    let markers: Marker[];
    const callers = new Map<string, TestAccount>();

    before(async () => {
      const demo = await openDemoDatabase(engine);
      t = demo;
      markers = await plantMarkers(t);
      const someTrust = markers.find((m) => m.level !== "public")!.org;
      const [otherTrust] = await t.db.query<{ code: string }>(
        `SELECT code FROM organisations WHERE kind <> 'icb' AND code <> ALL($1::text[])
          ORDER BY code LIMIT 1`,
        [[...new Set(markers.map((m) => m.org))]],
      );
      for (const [name, role, scope] of [
        ["national", "national_oversight", "national"],
        ["admin", "admin", "national"],
        ["cqc", "cqc_user", "national"],
        ["own_trust", "trust_user", someTrust],
        ["other_trust", "trust_user", otherTrust!.code],
      ] as const)
        callers.set(name, await createAccount(t.ctx, { username: `demo.${name}`, role, scope }));
      await exportOpenData(t.ctx, SYSTEM, exportDir);
      app = await buildServer(t.ctx, { today: () => demo.manifest.asOf as CalendarDate });
      await app.listen({ host: "127.0.0.1", port: 0 });
      const address = app.server.address();
      assert.ok(address && typeof address === "object");
      base = `http://127.0.0.1:${address.port}`;
    });
    after(async () => {
      await app?.close();
      await t?.close();
      rmSync(exportDir, { recursive: true, force: true });
    });

    /** Every page, download and GET route that could carry the items, as one caller sees them. */
    async function everythingSeenBy(caller?: TestAccount): Promise<string> {
      const orgs = [...new Set(markers.map((m) => m.org))];
      const paths = [
        "/",
        "/organisations",
        "/worklist",
        "/public",
        "/public/data",
        "/public/segmentation.csv",
        "/public/segmentation.json",
        "/api/organisations",
        "/api/judgements",
        "/api/reviews",
        "/api/audit",
        ...orgs.flatMap((org) => [
          `/public/organisations/${org}`,
          `/organisations/${org}`,
          `/api/organisations/${org}`,
          `/api/organisations/${org}/assessment`,
          `/api/organisations/${org}/notes`,
          `/api/organisations/${org}/enforcement-events`,
        ]),
      ];
      const bodies: string[] = [];
      // A few at a time: the profiles assess, and the server is shared with the other engine.
      for (let i = 0; i < paths.length; i += 8)
        bodies.push(
          ...(await Promise.all(
            paths
              .slice(i, i + 8)
              .map(async (p) =>
                (await fetch(`${base}${p}`, { headers: caller?.headers ?? {} })).text(),
              ),
          )),
        );
      return bodies.join("\n");
    }

    const leaked = (seen: string, forbidden: (m: Marker) => boolean) =>
      markers.filter((m) => forbidden(m) && seen.includes(m.text)).map((m) => m.text);

    it("the demo has confidential intelligence to protect, at both levels", () => {
      assert.ok(markers.some((m) => m.level === "official"));
      assert.ok(markers.some((m) => m.level === "official_sensitive"));
      assert.ok(markers.some((m) => m.level === "public"));
    });

    it("the public: no confidential marker on any page, download or API answer", async () => {
      const seen = await everythingSeenBy();
      assert.deepEqual(
        leaked(seen, (m) => m.level !== "public"),
        [],
      );
    });

    it("the open-data export: no confidential marker in any file", () => {
      const files = readdirSync(exportDir)
        .map((f) => readFileSync(join(exportDir, f), "utf8"))
        .join("\n");
      assert.deepEqual(
        leaked(files, (m) => m.level !== "public"),
        [],
      );
      // The public intelligence is published there: the search finds what is present.
      assert.ok(markers.some((m) => m.level === "public" && files.includes(m.text)));
    });

    it("callers not entitled: admin nothing confidential; CQC and trust users nothing above official; another trust's user nothing of the trusts with intelligence", async () => {
      assert.deepEqual(
        leaked(await everythingSeenBy(callers.get("admin")), (m) => m.level !== "public"),
        [],
      );
      for (const name of ["cqc", "own_trust"])
        assert.deepEqual(
          leaked(
            await everythingSeenBy(callers.get(name)),
            (m) => m.level === "official_sensitive",
          ),
          [],
          name,
        );
      assert.deepEqual(
        leaked(await everythingSeenBy(callers.get("other_trust")), (m) => m.level !== "public"),
        [],
      );
    });

    it("national oversight, entitled to everything, finds every confidential summary on the profiles", async () => {
      const seen = await everythingSeenBy(callers.get("national"));
      const missing = markers.filter(
        (m) => m.level !== "public" && m.text.includes("-summary-") && !seen.includes(m.text),
      );
      assert.deepEqual(
        missing.map((m) => m.text),
        [],
      );
    });
  });
}
