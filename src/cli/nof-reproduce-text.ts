/**
 * The text form of `oversight nof reproduce`: one line per trust and quarter, ours beside the
 * published value, then the agreement per figure. A figure that disagrees is marked `≠`; one the
 * file's inputs cannot determine shows `–` for ours.
 */
import {
  FIGURE_GROUPS,
  SINGLE_FIGURES,
  type Figure,
  type Reproduction,
  type Tally,
} from "../services/nof-reproduce.js";

function show(value: number | boolean | null): string {
  if (value === null) return "–";
  if (typeof value === "boolean") return value ? "yes" : "no";
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

function cell(f: Figure<number | boolean>): string {
  return `${show(f.ours)}/${show(f.published)}${f.agrees === false ? " ≠" : ""}`;
}

function groupCell(figures: Record<string, Figure<number>>): string {
  const cells = Object.values(figures);
  const agreed = cells.filter((f) => f.agrees === true).length;
  const compared = cells.filter((f) => f.agrees !== null).length;
  const open = cells.filter((f) => f.ours === null && f.published !== null).length;
  return `${agreed}/${compared} agree${open ? `, ${open} not determined` : ""}`;
}

function tallyLine(name: string, t: Tally & { tolerance?: number }): string {
  const within = t.tolerance === undefined ? "" : ` within ${t.tolerance}`;
  const open = t.not_determined ? `; ${t.not_determined} of ${t.published} not determined` : "";
  return `  ${name.padEnd(20)} ${t.agreed}/${t.compared} agree${within}${open}`;
}

export function formatReproductionText(report: Reproduction): string {
  const lines = [
    `${report.source.file} (sha256 ${report.source.sha256.slice(0, 12)}…)`,
    ...report.quarters.map((q) => `${q.quarter}: ${q.trusts} trusts, framework ${q.framework}`),
    "",
    "ours/published per trust and quarter:",
    [
      "quarter".padEnd(11),
      "trust".padEnd(6),
      "average".padEnd(14),
      "unadjusted".padEnd(11),
      "adjusted".padEnd(9),
      "override".padEnd(10),
      "final".padEnd(7),
      "league".padEnd(9),
      "domain scores".padEnd(18),
      "metric scores",
    ].join(" "),
  ];
  for (const row of report.rows) {
    lines.push(
      [
        row.quarter.padEnd(11),
        row.trust_code.padEnd(6),
        cell(row.average_score).padEnd(14),
        cell(row.unadjusted_segment).padEnd(11),
        cell(row.adjusted_segment).padEnd(9),
        cell(row.financial_override).padEnd(10),
        cell(row.final_segment).padEnd(7),
        cell(row.league_rank).padEnd(9),
        groupCell(row.domain_scores).padEnd(18),
        groupCell(row.metric_scores),
      ]
        .join(" ")
        .trimEnd(),
    );
  }
  lines.push("", "agreement (ours computed from):");
  for (const name of [...SINGLE_FIGURES, ...FIGURE_GROUPS]) {
    const figure = report.agreement[name];
    lines.push(tallyLine(name, figure), `    ${figure.basis}`);
  }
  for (const group of FIGURE_GROUPS) {
    lines.push("", `${group} by id:`);
    for (const [id, tally] of Object.entries(report.agreement[group].by_id))
      lines.push(tallyLine(id, tally));
  }
  return `${lines.join("\n")}\n`;
}
