/**
 * The national overview's arithmetic (requirements §5): how many organisations sit in each segment,
 * grouped by region, kind or sector, and which moved between two dates. Pure: rows in, tallies
 * out, every list in a defined order.
 */

/** One organisation's segment on a date, as the overview needs it. */
export interface SegmentRow {
  code: string;
  name: string;
  group: { region: string; kind: string; sector: string | null };
  /** Null: not segmented (e.g. not assessed and never decided). */
  segment: number | null;
}

export type GroupBy = keyof SegmentRow["group"];

export interface SegmentTally {
  /** The group's key (a region code, a kind, a sector; "none" for no sector). */
  key: string;
  /** Organisations in segment s at index s − 1. */
  counts: number[];
  /** Organisations in the group with no segment. */
  unsegmented: number;
  total: number;
}

/**
 * Counts per segment for each group, groups in key order, and the whole population last
 * (key "all"). `segments` is how many segments the framework has (4, or 5 under NHS OF 2025/26).
 */
export function tallySegments(
  rows: readonly SegmentRow[],
  by: GroupBy,
  segments: number,
): { groups: SegmentTally[]; all: SegmentTally } {
  const empty = (key: string): SegmentTally => ({
    key,
    counts: Array.from({ length: segments }, () => 0),
    unsegmented: 0,
    total: 0,
  });
  const groups = new Map<string, SegmentTally>();
  const all = empty("all");
  for (const row of rows) {
    const key = row.group[by] ?? "none";
    let tally = groups.get(key);
    if (!tally) groups.set(key, (tally = empty(key)));
    for (const t of [tally, all]) {
      t.total += 1;
      if (row.segment === null || row.segment < 1 || row.segment > segments) t.unsegmented += 1;
      else t.counts[row.segment - 1]! += 1;
    }
  }
  return {
    groups: [...groups.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
    all,
  };
}

export interface Movement {
  code: string;
  name: string;
  from: number;
  to: number;
  /** A higher segment is more support (DOMAIN §5): "worse" means more support needed. */
  direction: "better" | "worse";
}

/**
 * The organisations whose segment differs between `before` and `after` (both segmented), worse
 * moves first, then by name. Organisations present on one date only are not movements.
 */
export function movementsBetween(
  before: readonly SegmentRow[],
  after: readonly SegmentRow[],
): Movement[] {
  const earlier = new Map(before.map((r) => [r.code, r.segment]));
  const moves: Movement[] = [];
  for (const row of after) {
    const from = earlier.get(row.code);
    if (from === undefined || from === null || row.segment === null || from === row.segment)
      continue;
    moves.push({
      code: row.code,
      name: row.name,
      from,
      to: row.segment,
      direction: row.segment > from ? "worse" : "better",
    });
  }
  return moves.sort(
    (a, b) =>
      (a.direction === b.direction ? 0 : a.direction === "worse" ? -1 : 1) ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
}
