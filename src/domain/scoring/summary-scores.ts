/**
 * Domain scores and the average metric score of a scored framework (NOF 2025/26): unweighted
 * means of the available metric scores, with a combined metric standing in for its parts
 * (data/README.md: "combined finance" stands in for the planned surplus/deficit and the variance
 * to plan). Contextual themes are published but never scored (DOMAIN §4).
 */
import type { Framework, FrameworkMetric } from "../frameworks/schema.js";

/**
 * The metrics whose scores count towards domain and average scores: scored, in a theme that is
 * not contextual, and not a part that a combined metric stands in for.
 */
export function countedMetrics(framework: Framework): FrameworkMetric[] {
  const contextual = new Set(framework.themes.filter((t) => t.contextual).map((t) => t.id));
  const stoodInFor = new Set(
    framework.metrics.flatMap((m) => (m.scoring?.method === "combined" ? m.scoring.from : [])),
  );
  return framework.metrics.filter(
    (m) => m.scoring !== undefined && !contextual.has(m.theme) && !stoodInFor.has(m.id),
  );
}

function mean(values: readonly number[]): number | undefined {
  return values.length === 0 ? undefined : values.reduce((a, b) => a + b, 0) / values.length;
}

/**
 * The scores given, with each `mean` combination that has no score of its own but a score for
 * every part filled in from them: a publication prints the parts (MRSA, E. coli, C. difficile)
 * but not the combined score that stands in for them.
 */
function withMeanCombinations(
  framework: Framework,
  scores: ReadonlyMap<string, number>,
): ReadonlyMap<string, number> {
  const missing = framework.metrics.filter(
    (m) => m.scoring?.method === "combined" && m.scoring.rule === "mean" && !scores.has(m.id),
  );
  if (missing.length === 0) return scores;
  const filled = new Map(scores);
  for (const m of missing) {
    if (m.scoring?.method !== "combined") continue;
    const parts = m.scoring.from.map((id) => scores.get(id));
    if (parts.every((p) => p !== undefined)) filled.set(m.id, mean(parts as number[])!);
  }
  return filled;
}

/** Each theme's score, the mean of its counted metrics' scores; a theme with none has no score. */
export function domainScores(
  framework: Framework,
  given: ReadonlyMap<string, number>,
): Map<string, number> {
  const counted = countedMetrics(framework);
  const scores = withMeanCombinations(framework, given);
  const result = new Map<string, number>();
  for (const theme of framework.themes) {
    const score = mean(
      counted.filter((m) => m.theme === theme.id).flatMap((m) => scores.get(m.id) ?? []),
    );
    if (score !== undefined) result.set(theme.id, score);
  }
  return result;
}

/** The counted metric scores by metric id, a `mean` combination filled in from its parts. */
export function countedScores(
  framework: Framework,
  scores: ReadonlyMap<string, number>,
): Map<string, number> {
  const all = withMeanCombinations(framework, scores);
  return new Map(
    countedMetrics(framework).flatMap((m) => {
      const score = all.get(m.id);
      return score === undefined ? [] : [[m.id, score] as const];
    }),
  );
}

/**
 * The average metric score: the mean of every counted metric score (not the mean of the domain
 * scores), as NHS England publishes it (data/README.md).
 */
export function averageScore(
  framework: Framework,
  scores: ReadonlyMap<string, number>,
): number | undefined {
  const all = withMeanCombinations(framework, scores);
  return mean(countedMetrics(framework).flatMap((m) => all.get(m.id) ?? []));
}
