/**
 * League tables of a scored framework: NOF 2025/26 ranks trusts within trust type first by
 * adjusted segment, then by average metric score (data/README.md). The order of the keys is the
 * framework's `league_order`; equal keys share the best position ("1224" ranking).
 */
import type { Framework } from "../frameworks/schema.js";
import type { ScoreRange } from "./metric-scores.js";

export type LeagueKey = Extract<
  Framework["criteria"],
  { method: "scored" }
>["league_order"][number];

export interface LeagueEntry<K> {
  org: K;
  adjusted_segment: number;
  average_score: number;
}

/** Compares two entries on the league keys in order: negative when `a` is placed higher. */
function compareOn(order: readonly LeagueKey[], range: ScoreRange) {
  const direction = range.best < range.worst ? 1 : -1;
  return <K>(a: LeagueEntry<K>, b: LeagueEntry<K>): number => {
    for (const key of order) {
      // A lower segment is always better; a score is better towards the range's best end.
      const difference =
        key === "adjusted_segment"
          ? a.adjusted_segment - b.adjusted_segment
          : (a.average_score - b.average_score) * direction;
      if (difference !== 0) return difference;
    }
    return 0;
  };
}

/** Each organisation's league position within the population given, 1 = top. */
export function leaguePositions<K>(
  entries: readonly LeagueEntry<K>[],
  order: readonly LeagueKey[],
  range: ScoreRange,
): Map<K, number> {
  const compare = compareOn(order, range);
  const sorted = [...entries].sort(compare);
  const positions = new Map<K, number>();
  sorted.forEach((entry, i) => {
    const previous = sorted[i - 1];
    const tied = previous !== undefined && compare(previous, entry) === 0;
    positions.set(entry.org, tied ? positions.get(previous.org)! : i + 1);
  });
  return positions;
}
