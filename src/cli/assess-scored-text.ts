/**
 * The text form of a scored assessment (NHS OF 2025/26): the segment and its sentence, the
 * explanation tree (average → domain → metric, financial override, overlay), then the path to
 * each better segment with its metric moves.
 */
import type { ScoredAssessment, ScoredExplanationNode } from "../domain/assessment/scored-types.js";

function explanationLines(node: ScoredExplanationNode, depth: number): string[] {
  const mark = node.status === "fired" ? "●" : node.status === "not_fired" ? "○" : "?";
  return [
    `${"  ".repeat(depth)}${mark} ${node.sentence}`,
    ...node.children.flatMap((child) => explanationLines(child, depth + 1)),
  ];
}

export function formatScoredAssessmentText(a: ScoredAssessment): string {
  const segment = a.final_segment === null ? "not segmented" : `segment ${a.final_segment}`;
  const lines = [
    `${a.organisation.code} ${a.organisation.name}: ${segment} (${a.framework.short_name}, as at ${a.as_of})`,
    `  ${a.sentence}`,
  ];
  if (a.segmented) for (const node of a.explanation) lines.push(...explanationLines(node, 1));
  for (const path of a.paths) {
    lines.push(`  ${path.sentence}`);
    for (const move of path.moves) {
      lines.push(`    - ${move.sentence}`);
    }
  }
  return `${lines.join("\n")}\n`;
}
