/**
 * A small hand-built national dataset for the assessment tests (requirements §3): ten acute trusts with
 * fifteen months of SOF 2016 A&E four-hour performance (January 2018 – March 2019) and a CQC
 * rating each, shaped so that exactly these segment 3 criteria fire on 2019-03-31:
 *
 * - FT_RI (a foundation trust): CQC Requires Improvement overall and for well-led — eligible
 *   for 3, and held at 2 until licence-breach evidence is recorded (Annex A §12);
 * - NT_RI (an NHS trust): the same rating — eligible for 3 and proposed 3, never held;
 * - FT_LOW (a foundation trust): always the lowest A&E performance — in the bottom decile in each
 *   of the last three periods (sustained bottom decile), so also eligible for 3 and held.
 *
 * Every trust's series alternates ±0.4 around its own level (no SPC special cause); levels are
 * distinct so ranks are stable. An ICB (open from 2022-07-01) carries the trusts' icb_code.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { importBundle } from "../../src/services/import-bundle.js";
import type { ServiceContext } from "../../src/services/context.js";

export const AS_OF = "2019-03-31";
export const FT_RI = "RX1";
export const NT_RI = "RX2";
export const FT_LOW = "RX3";
export const FT_GOOD = "RX4";
export const ICB = "QX1";
export const METRIC = "ae_4hr_all";

interface Trust {
  code: string;
  name: string;
  kind: "foundation_trust" | "nhs_trust";
  level: number;
  cqc: [string, string];
}

export const TRUSTS: Trust[] = [
  {
    code: FT_RI,
    name: "Alpha NHS Foundation Trust",
    kind: "foundation_trust",
    level: 86,
    cqc: ["requires_improvement", "requires_improvement"],
  },
  {
    code: NT_RI,
    name: "Beta NHS Trust",
    kind: "nhs_trust",
    level: 88,
    cqc: ["requires_improvement", "requires_improvement"],
  },
  {
    code: FT_LOW,
    name: "Gamma NHS Foundation Trust",
    kind: "foundation_trust",
    level: 70,
    cqc: ["good", "good"],
  },
  {
    code: FT_GOOD,
    name: "Delta NHS Foundation Trust",
    kind: "foundation_trust",
    level: 92,
    cqc: ["good", "good"],
  },
  ...[5, 6, 7, 8, 9, 10].map((i): Trust => ({
    code: `RX${i === 10 ? "0" : i}`,
    name: `Trust ${i} NHS ${i % 2 ? "Foundation " : ""}Trust`,
    kind: i % 2 ? "foundation_trust" : "nhs_trust",
    level: 80 + i,
    cqc: ["good", "good"],
  })),
];

export function months(): { start: string; end: string }[] {
  const out: { start: string; end: string }[] = [];
  for (let i = 0; i < 15; i++) {
    const year = 2018 + Math.floor(i / 12);
    const month = (i % 12) + 1;
    const mm = String(month).padStart(2, "0");
    const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
    out.push({ start: `${year}-${mm}-01`, end: `${year}-${mm}-${last}` });
  }
  return out;
}

export function bundleFiles(): Record<string, string> {
  const lines = (header: string, rows: string[]) => `${[header, ...rows].join("\n")}\n`;
  return {
    "organisations.csv": lines("code,name,kind,sector,region,icb_code,open_date,close_date", [
      `${ICB},NHS Test Integrated Care Board,icb,,Y56,,2022-07-01,`,
      ...TRUSTS.map((t) => `${t.code},${t.name},${t.kind},acute,Y56,${ICB},2001-04-01,`),
    ]),
    "observations.csv": lines(
      "org_code,metric_id,period_start,period_end,value,numerator,denominator",
      TRUSTS.flatMap((t) =>
        months().map(
          (m, i) => `${t.code},${METRIC},${m.start},${m.end},${t.level + (i % 2 ? 0.4 : -0.4)},,`,
        ),
      ),
    ),
    "cqc_ratings.csv": lines(
      "org_code,published_on,overall,well_led,safe",
      TRUSTS.map((t) => `${t.code},2018-06-01,${t.cqc[0]},${t.cqc[1]},good`),
    ),
  };
}

/** Writes the bundle to a temp folder and imports it; throws if the import is rejected. */
export async function importFixture(ctx: ServiceContext): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "oversight-assessment-bundle-"));
  try {
    for (const [name, text] of Object.entries(bundleFiles())) writeFileSync(join(dir, name), text);
    const report = await importBundle(ctx, dir, { importedBy: "test" });
    if (!report.ok)
      throw new Error(
        `fixture bundle rejected: ${report.rejections.map((r) => `${r.file}:${r.line}: ${r.reason}`).join("; ")}`,
      );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
