/**
 * The review schedule's bundle (requirements §4): the assessment fixture (test/assessment/fixture.ts: ten
 * London acute trusts, SOF 2016, as at 2019-03-31) plus what calls for reviews:
 *
 * - NT_RI (RX2) is rated CQC 'inadequate' overall on 2019-03-28 — a review due by 2019-04-04;
 * - intelligence: a `quality_concern` about FT_GOOD (RX4) on 2019-03-15, and a `finance` item
 *   (not a concern) about RX5;
 * - RX9's A&E four-hour performance drops from about 89% to 60% in March 2019: a new SPC special
 *   cause of concern (below the lower limit) and entry into the bottom decile, both due by 2019-04-07;
 * - a trust in another region (South West, Y58) and its ICB, for the region and ICB filters.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { importBundle } from "../../src/services/import-bundle.js";
import type { ServiceContext } from "../../src/services/context.js";
import { bundleFiles, FT_GOOD, METRIC, NT_RI } from "../assessment/fixture.js";

export { AS_OF, FT_GOOD, FT_RI, ICB, METRIC, NT_RI } from "../assessment/fixture.js";
export const INADEQUATE_ON = "2019-03-28";
export const INADEQUATE_DEADLINE = "2019-04-04";
export const OTHER_REGION = "Y58";
export const OTHER_TRUST = "RY1";
export const OTHER_ICB = "QY1";
/** A trust at 89% whose A&E four-hour performance drops to 60% in March 2019. */
export const DROPPED = "RX9";

export function reviewBundleFiles(): Record<string, string> {
  const files = bundleFiles();
  return {
    ...files,
    "organisations.csv": [
      files["organisations.csv"]!.trimEnd(),
      `${OTHER_ICB},NHS South West Test Integrated Care Board,icb,,${OTHER_REGION},,2022-07-01,`,
      `${OTHER_TRUST},South West NHS Trust,nhs_trust,acute,${OTHER_REGION},${OTHER_ICB},2001-04-01,`,
      "",
    ].join("\n"),
    "observations.csv": files["observations.csv"]!.replace(
      `${DROPPED},${METRIC},2019-03-01,2019-03-31,88.6,,`,
      `${DROPPED},${METRIC},2019-03-01,2019-03-31,60,,`,
    ),
    "cqc_ratings.csv": `${files["cqc_ratings.csv"]}${NT_RI},${INADEQUATE_ON},inadequate,inadequate,inadequate\n`,
    "intelligence.csv": [
      "org_code,received_on,source,category,summary,confidentiality",
      `${FT_GOOD},2019-03-15,whistleblower,quality_concern,Staffing concerns on the wards,official_sensitive`,
      "RX5,2019-03-16,board papers,finance,Forecast revised,official",
      "",
    ].join("\n"),
  };
}

export async function importReviewFixture(ctx: ServiceContext): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "oversight-reviews-bundle-"));
  try {
    for (const [name, text] of Object.entries(reviewBundleFiles()))
      writeFileSync(join(dir, name), text);
    const report = await importBundle(ctx, dir, { importedBy: "test" });
    if (!report.ok)
      throw new Error(
        `fixture bundle rejected: ${report.rejections.map((r) => `${r.file}:${r.line}: ${r.reason}`).join("; ")}`,
      );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
