/** requirements §5 (national overview): segment tallies by region, kind and sector, and movements. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { movementsBetween, tallySegments, type SegmentRow } from "./overview.js";

const row = (
  code: string,
  segment: number | null,
  group: Partial<SegmentRow["group"]> = {},
): SegmentRow => ({
  code,
  name: `Trust ${code}`,
  group: { region: "Y56", kind: "nhs_trust", sector: "acute", ...group },
  segment,
});

describe("tallySegments (requirements §5: segment counts by region, kind and sector)", () => {
  it("counts each segment per group, in key order, with the national total", () => {
    const rows = [
      row("A", 1),
      row("B", 2, { region: "Y58" }),
      row("C", 2),
      row("D", 4, { region: "Y58" }),
      row("E", null, { region: "Y58" }),
    ];
    const { groups, all } = tallySegments(rows, "region", 4);
    assert.deepEqual(groups, [
      { key: "Y56", counts: [1, 1, 0, 0], unsegmented: 0, total: 2 },
      { key: "Y58", counts: [0, 1, 0, 1], unsegmented: 1, total: 3 },
    ]);
    assert.deepEqual(all, { key: "all", counts: [1, 2, 0, 1], unsegmented: 1, total: 5 });
  });

  it("an ICB has no sector: grouped under 'none'; a segment beyond the framework's is unsegmented", () => {
    const { groups } = tallySegments([row("Q", 2, { sector: null }), row("R", 5)], "sector", 4);
    assert.deepEqual(
      groups.map((g) => [g.key, g.counts, g.unsegmented]),
      [
        ["acute", [0, 0, 0, 0], 1],
        ["none", [0, 1, 0, 0], 0],
      ],
    );
  });
});

describe("movementsBetween (requirements §5: movements since last quarter)", () => {
  it("lists changed segments, worse moves first, then by name; unchanged and new ones are not moves", () => {
    const before = [row("A", 2), row("B", 3), row("C", 2), row("D", null)];
    const after = [row("A", 3), row("B", 2), row("C", 2), row("D", 2), row("E", 4)];
    assert.deepEqual(movementsBetween(before, after), [
      { code: "A", name: "Trust A", from: 2, to: 3, direction: "worse" },
      { code: "B", name: "Trust B", from: 3, to: 2, direction: "better" },
    ]);
  });
});
