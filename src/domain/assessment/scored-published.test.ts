import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";

import { readNofPublished } from "../../ingest/nof-published.js";
import { loadShippedFrameworks } from "../../store/framework-files.js";
import type { Organisation } from "../organisations/organisation.js";
import type { CalendarDate } from "../shared/dates.js";
import { rankPopulationOf, assessScored } from "./scored.js";
import type { ObservationInput } from "./types.js";

/*
 * Consistency with NHS England's published NOF 2025/26 scores (data/README.md): the Q1 2025/26
 * raw values (OF00xx) of the 61 mental health and community trusts, fed in as stored
 * observations, give the published metric scores (OF10xx) for every metric scored within the
 * trust type — by rank within trust type, by fixed bands, or combined from those — as
 * `oversight nof reproduce` finds (docs/nof-reproduce.md). Metrics ranked among every reporting
 * trust need a wider population than the file and are left out, as there.
 */
const FILE = new URL(
  "../../../data/nof-2025-26/mh-community-trust-data-q1-q2.csv",
  import.meta.url,
);
const framework = loadShippedFrameworks().find((f) => f.id === "nof-2025")!;

describe("scored assessment against the published Q1 2025/26 MH & community scores", () => {
  const read = readNofPublished("mh-community-trust-data-q1-q2.csv", readFileSync(FILE));
  assert.ok(read.ok);
  const rows = read.rows.filter((r) => r.quarter.label === "Q1 2025/26");
  const quarterStart = rows[0]!.quarter.start;
  const criteria = framework.criteria;
  assert.equal(criteria.method, "scored");
  const withinType = framework.metrics.filter(
    (m) =>
      m.scoring !== undefined &&
      m.scoring.method !== "unknown" &&
      m.scoring.method !== "cqc_rating" &&
      rankPopulationOf(framework, m) === "peer_group",
  );
  const raw = new Set(withinType.filter((m) => m.scoring!.method !== "combined").map((m) => m.id));
  const trusts = [...new Map(rows.map((r) => [r.trustCode, r])).values()];
  const organisations = trusts.map((r): Organisation => ({
    code: r.trustCode,
    name: r.trustName,
    kind: "nhs_trust",
    sector: "mental_health_and_community",
    region: "Y56",
    icbCode: null,
    openDate: "2000-01-01" as CalendarDate,
    closeDate: null,
  }));
  const observations: ObservationInput[] = rows
    .filter((r) => raw.has(r.id))
    .map((r) => ({ org_code: r.trustCode, metric_id: r.id, period: quarterStart, value: r.value }));
  const run = assessScored({
    framework,
    as_of: "2025-06-30",
    organisations,
    observations,
    cqc_ratings: [],
    judgements: [],
  });

  test("61 trusts, one trust type; the comparison covers rank, band and combined rules", () => {
    assert.equal(trusts.length, 61);
    assert.deepEqual([...new Set(withinType.map((m) => m.scoring!.method))].sort(), [
      "bands",
      "combined",
      "rank",
    ]);
  });

  test("every published score of those metrics equals ours within 0.01, but for rounding ties", () => {
    const published = new Map(rows.map((r) => [`${r.trustCode} ${r.id}`, r.value]));
    // The file's values are rounded to 0.01; NHS England ranked the unrounded ones. Stored
    // observations carry the rounded value, so trusts equal only after rounding share the best
    // rank of their tie in ours (the published ranks break such ties: docs/nof-reproduce.md).
    const tiedAfterRounding = (metricId: string, code: string) => {
      const value = published.get(`${code} ${metricId}`);
      return trusts.filter((t) => published.get(`${t.trustCode} ${metricId}`) === value).length > 1;
    };
    let compared = 0;
    let ties = 0;
    const disagreements: string[] = [];
    for (const a of run.assessments) {
      for (const metric of withinType) {
        const scoreId = metric.scoring!.published_score_id;
        const theirs = scoreId && published.get(`${a.organisation.code} ${scoreId}`);
        if (theirs === undefined || theirs === "") continue;
        const ours = a.metric_scores.find((m) => m.metric_id === metric.id)?.score ?? null;
        compared++;
        if (ours !== null && Math.abs(ours - theirs) <= 0.01 + 1e-9) continue;
        if (ours !== null && ours < theirs && tiedAfterRounding(metric.id, a.organisation.code)) {
          ties++;
          continue;
        }
        disagreements.push(`${a.organisation.code} ${scoreId}: ours ${ours}, published ${theirs}`);
      }
    }
    assert.ok(compared > 300, `compared ${compared}`);
    assert.deepEqual(disagreements, []);
    // Only a minority of the comparisons are rounding ties (each ours the tie's best score).
    assert.ok(ties < compared / 5, `${ties} of ${compared}`);
  });
});
