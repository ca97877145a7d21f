/**
 * requirements §6 / DOMAIN §12 (FOI s31, s33, s36, seed 002; s109, seed 004): a unique marker planted in
 * every confidential field — intelligence (source, summary), notes (source, body) and judgements
 * (summary) at `official` and `official_sensitive`, and the deliberations (recommendation
 * rationale, support, team; decision reference and exit evidence) — appears in no public page, no
 * file of the open-data export and no API response to a caller not entitled to it; while the
 * public markers do appear in the open-data export, and national oversight sees every marker, so
 * the search can find what it looks for.
 */
import { recordEnforcementEvent } from "../../src/services/enforcement.js";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Confidentiality, UserRole } from "../../src/domain/access/policy.js";
import { exportOpenData } from "../../src/services/export-bundle.js";
import { importBundle } from "../../src/services/import-bundle.js";
import { recordJudgement } from "../../src/services/judgements.js";
import {
  addNote,
  createRecommendation,
  decide,
  submitRecommendation,
} from "../../src/services/workflow.js";
import { FT_GOOD, ICB, NT_RI, TRUSTS } from "../assessment/fixture.js";
import { startApiServer, type ApiServer } from "../api/api-server.js";
import { createAccount, SYSTEM, type TestAccount } from "../support/access.js";
import { testEngines } from "../support/database.js";

interface Marker {
  text: string;
  level: Confidentiality | "deliberation";
  org: string;
}

const markers: Marker[] = [];
function plant(level: Marker["level"], org: string, field: string): string {
  const text = `MARKER-${level}-${field}-${org}-${markers.length}-${Math.floor(Math.random() * 1e9)}`;
  markers.push({ text, level, org });
  return text;
}

const CONFIDENTIAL: Confidentiality[] = ["official", "official_sensitive"];

for (const engine of testEngines()) {
  describe(`confidentiality [${engine}] (requirements §6, DOMAIN §12: nothing confidential in any public output)`, () => {
    let s: ApiServer;
    const callers = new Map<string, TestAccount>();
    const exportDir = mkdtempSync(join(tmpdir(), "oversight-open-data-"));

    before(async () => {
      markers.length = 0;
      s = await startApiServer(engine);
      const ctx = s.t.ctx;
      // Intelligence, through the bundle importer, at every level; `quality_concern` items are
      // quoted by review triggers.
      const rows = [NT_RI, FT_GOOD].flatMap((org) =>
        (["public", ...CONFIDENTIAL] as Confidentiality[]).map(
          (level) =>
            `${org},2019-03-20,${plant(level, org, "intelligence_source")},quality_concern,${plant(level, org, "intelligence_summary")},${level}`,
        ),
      );
      const dir = mkdtempSync(join(tmpdir(), "oversight-markers-"));
      writeFileSync(
        join(dir, "intelligence.csv"),
        `org_code,received_on,source,category,summary,confidentiality\n${rows.join("\n")}\n`,
      );
      assert.ok((await importBundle(ctx, dir, { importedBy: "markers" })).ok);
      rmSync(dir, { recursive: true, force: true });
      for (const org of [NT_RI, FT_GOOD])
        for (const level of ["public", ...CONFIDENTIAL] as Confidentiality[]) {
          await addNote(ctx, SYSTEM, {
            org_code: org,
            source: plant(level, org, "note_source"),
            body: plant(level, org, "note_body"),
            confidentiality: level,
          });
          await recordEnforcementEvent(ctx, SYSTEM, {
            org_code: org,
            kind: "undertakings_accepted",
            occurred_on: "2019-03-02",
            reference: plant(level, org, "enforcement_reference"),
            summary: plant(level, org, "enforcement_summary"),
            confidentiality: level,
          });
          await recordJudgement(
            ctx,
            {
              org_code: org,
              kind: "mitigating_circumstances",
              summary: plant(level, org, "judgement_summary"),
              recorded_by: "markers",
              recorded_on: "2019-03-01",
              confidentiality: level,
            },
            SYSTEM,
          );
        }
      const rec = await createRecommendation(ctx, SYSTEM, {
        org_code: NT_RI,
        proposed_on: "2019-03-05",
        from_segment: 2,
        to_segment: 3,
        rationale: plant("deliberation", NT_RI, "rationale"),
        proposed_support: plant("deliberation", NT_RI, "support"),
        proposer_team: plant("deliberation", NT_RI, "team"),
        proposed_enforcement: "seeking_actions",
      });
      await submitRecommendation(ctx, SYSTEM, rec.id, rec.version);
      await decide(ctx, SYSTEM, {
        recommendation_id: rec.id,
        expected_version: 2,
        body: "rsg",
        decided_on: "2019-03-12",
        outcome: "rejected",
        reference: plant("deliberation", NT_RI, "decision_reference"),
      });
      const roles: [string, UserRole, string][] = [
        ["national", "national_oversight", "national"],
        ["admin", "admin", "national"],
        ["cqc", "cqc_user", "national"],
        ["icb", "icb_user", ICB],
        ["trust", "trust_user", NT_RI],
        ["other_trust", "trust_user", TRUSTS[9]!.code],
      ];
      for (const [name, role, scope] of roles)
        callers.set(name, await createAccount(ctx, { username: `conf.${name}`, role, scope }));
      await exportOpenData(ctx, SYSTEM, exportDir);
    });
    after(async () => {
      await s?.close();
      rmSync(exportDir, { recursive: true, force: true });
    });

    /** Every page and GET route's answer for one caller (undefined: the public). */
    async function everythingSeenBy(account?: TestAccount): Promise<string> {
      const paths = [
        "/",
        "/sign-in",
        // requirements §5's pages: the public site and its downloads, and the staff pages.
        "/public",
        "/public/data",
        "/public/segmentation.csv",
        "/public/segmentation.json",
        "/organisations",
        "/worklist",
        "/recommendations",
        "/league",
        "/api/organisations",
        "/api/frameworks",
        "/api/judgements",
        "/api/recommendations",
        "/api/decisions",
        "/api/audit",
        "/api/reviews?as_of=2019-03-31",
        ...[NT_RI, FT_GOOD].flatMap((org) => [
          `/api/organisations/${org}`,
          `/api/organisations/${org}?as_of=2019-03-11`,
          `/api/organisations/${org}/assessment`,
          `/api/organisations/${org}/notes`,
          `/api/organisations/${org}/enforcement-events`,
          `/public/organisations/${org}`,
          `/organisations/${org}`,
          `/api/judgements?org=${org}`,
          `/api/recommendations?org=${org}`,
          `/api/decisions?org=${org}`,
          "/api/recommendations/1",
        ]),
      ];
      const bodies = await Promise.all(
        paths.map(async (p) =>
          (await fetch(`${s.base}${p}`, { headers: account?.headers ?? {} })).text(),
        ),
      );
      return bodies.join("\n");
    }

    const leaked = (seen: string, forbidden: (m: Marker) => boolean) =>
      markers.filter((m) => forbidden(m) && seen.includes(m.text)).map((m) => m.text);

    it("the public: no confidential or deliberative marker on any page or API response", async () => {
      const seen = await everythingSeenBy();
      assert.deepEqual(
        leaked(seen, (m) => m.level !== "public"),
        [],
      );
      // The harness finds what is there: public notes and judgements are served to the public.
      assert.ok(markers.some((m) => m.level === "public" && seen.includes(m.text)));
    });

    it("the open-data export: every public marker, and no other", () => {
      const files = readdirSync(exportDir)
        .map((f) => readFileSync(join(exportDir, f), "utf8"))
        .join("\n");
      assert.deepEqual(
        leaked(files, (m) => m.level !== "public"),
        [],
      );
      const publicMarkers = markers.filter((m) => m.level === "public");
      assert.deepEqual(
        publicMarkers.filter((m) => !files.includes(m.text)).map((m) => m.text),
        [],
      );
    });

    it("callers not entitled: admin sees only public; CQC, ICB and trust users nothing above official; another trust nothing of RX2's", async () => {
      const admin = await everythingSeenBy(callers.get("admin"));
      assert.deepEqual(
        leaked(admin, (m) => m.level !== "public"),
        [],
      );
      for (const name of ["cqc", "icb", "trust"]) {
        const seen = await everythingSeenBy(callers.get(name));
        assert.deepEqual(
          leaked(seen, (m) => m.level === "official_sensitive"),
          [],
          name,
        );
      }
      const trust = await everythingSeenBy(callers.get("trust"));
      assert.deepEqual(
        leaked(trust, (m) => m.level === "deliberation"),
        [],
      );
      const other = await everythingSeenBy(callers.get("other_trust"));
      assert.deepEqual(
        leaked(other, (m) => m.level !== "public"),
        [],
      );
    });

    it("national oversight, entitled to everything, sees every marker but the intelligence source (never served)", async () => {
      const seen = await everythingSeenBy(callers.get("national"));
      const missing = markers.filter(
        (m) => !seen.includes(m.text) && !m.text.includes("intelligence_source"),
      );
      assert.deepEqual(
        missing.map((m) => m.text),
        [],
      );
    });
  });
}
