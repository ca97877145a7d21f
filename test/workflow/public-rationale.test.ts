/**
 * requirements §12, "Published reasons": a published segment carries "the decision's own public
 * rationale and the organisation's recorded support" beside the criteria that support it (SOF §4,
 * seed 000: "a short summary of the reasons and associated support"; docs/domain.md §12). The
 * rationale is a field of its own, entered for publication when the decision is recorded; the
 * recommendation's rationale, the decision's exit evidence and every non-public record stay out
 * of the public page, the open-data download and the open-data export.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { recordEnforcementEvent } from "../../src/services/enforcement.js";
import { exportOpenData } from "../../src/services/export-bundle.js";
import { recordJudgement } from "../../src/services/judgements.js";
import { publishedSegmentation } from "../../src/services/segmentation.js";
import { createRecommendation, decide, submitRecommendation } from "../../src/services/workflow.js";
import { startApiServer, type ApiServer } from "../api/api-server.js";
import { NT_RI } from "../assessment/fixture.js";
import { SYSTEM } from "../support/access.js";
import { testEngines } from "../support/database.js";

const PUBLIC_RATIONALE =
  "Placed in segment 3: CQC rates the trust requires improvement overall and for well-led, and the trust has given undertakings to improve its governance.";
const CONFIDENTIAL_RATIONALE = "CONFIDENTIAL-recommendation-rationale-7731";
const CONFIDENTIAL_EVENT = "CONFIDENTIAL-enforcement-summary-1142";
const PUBLIC_EVENT = "Undertakings to commission an independent well-led review by June.";
const PUBLIC_BREACH = "Undertakings accepted on reasonable grounds to suspect a breach of licence.";

for (const engine of testEngines()) {
  describe(`published reasons carry the decision's public rationale and the recorded support [${engine}] (SOF §4; requirements §12)`, () => {
    let s: ApiServer;
    const exportDir = mkdtempSync(join(tmpdir(), "oversight-rationale-"));

    before(async () => {
      s = await startApiServer(engine);
      const ctx = s.t.ctx;
      await recordJudgement(
        ctx,
        {
          org_code: NT_RI,
          kind: "licence_breach_evidence",
          summary: PUBLIC_BREACH,
          recorded_by: "Regional oversight team",
          recorded_on: "2019-03-01",
          confidentiality: "public",
        },
        SYSTEM,
      );
      // Before the spell of mandated support: not the support that goes with it.
      await recordEnforcementEvent(ctx, SYSTEM, {
        org_code: NT_RI,
        kind: "informal_action",
        occurred_on: "2018-06-01",
        summary: "Letter about A&E waits in 2018.",
        confidentiality: "public",
      });
      const rec = await createRecommendation(ctx, SYSTEM, {
        org_code: NT_RI,
        proposed_on: "2019-03-05",
        from_segment: 2,
        to_segment: 3,
        rationale: CONFIDENTIAL_RATIONALE,
        proposed_enforcement: "seeking_actions",
      });
      await submitRecommendation(ctx, SYSTEM, rec.id, rec.version);
      await decide(ctx, SYSTEM, {
        recommendation_id: rec.id,
        expected_version: 2,
        body: "rsg",
        decided_on: "2019-03-12",
        outcome: "agreed",
        reference: "RSG/2019/03/4",
        public_rationale: PUBLIC_RATIONALE,
      });
      for (const [summary, confidentiality] of [
        [PUBLIC_EVENT, "public"],
        [CONFIDENTIAL_EVENT, "official_sensitive"],
      ] as const)
        await recordEnforcementEvent(ctx, SYSTEM, {
          org_code: NT_RI,
          kind: "undertakings_accepted",
          occurred_on: "2019-03-15",
          summary,
          confidentiality,
        });
      await exportOpenData(ctx, SYSTEM, exportDir);
    });
    after(async () => {
      await s?.close();
      rmSync(exportDir, { recursive: true, force: true });
    });

    it("SOF §4: the published segment carries the decision's public rationale and the organisation's public support, nothing confidential", async () => {
      const published = await publishedSegmentation(s.t.ctx, "2019-03-31");
      const o = published.organisations.find((p) => p.code === NT_RI)!;
      assert.equal(o.segment, 3);
      assert.equal(o.rationale, PUBLIC_RATIONALE);
      assert.ok(o.reasons.includes(PUBLIC_BREACH), o.reasons.join(" | "));
      assert.ok(
        o.reasons.includes(`Undertakings accepted on 2019-03-15: ${PUBLIC_EVENT}`),
        o.reasons.join(" | "),
      );
      const text = JSON.stringify(o);
      for (const secret of [CONFIDENTIAL_RATIONALE, CONFIDENTIAL_EVENT, "Letter about A&E"])
        assert.ok(!text.includes(secret), secret);
    });

    it("docs/domain.md §12: the public organisation page and the open-data download publish the rationale; no confidential text", async () => {
      for (const path of [`/public/organisations/${NT_RI}`, "/public/segmentation.csv"]) {
        const body = await (await fetch(`${s.base}${path}`)).text();
        assert.ok(body.includes(PUBLIC_RATIONALE), path);
        assert.ok(!body.includes(CONFIDENTIAL_RATIONALE), path);
        assert.ok(!body.includes(CONFIDENTIAL_EVENT), path);
      }
      const page = await (await fetch(`${s.base}/public/organisations/${NT_RI}`)).text();
      assert.match(page, /The Regional Support Group gave these reasons: Placed in segment 3/);
      assert.match(page, /Undertakings accepted on 2019-03-15/);
    });

    it("the open-data export's segments.csv carries the rationale, and nothing of the recommendation", () => {
      const segments = readFileSync(join(exportDir, "segments.csv"), "utf8");
      assert.match(segments.split("\n")[0]!, /,public_rationale$/);
      assert.ok(segments.includes(PUBLIC_RATIONALE));
      assert.ok(!segments.includes(CONFIDENTIAL_RATIONALE));
    });
  });
}
