/**
 * requirements §13: the national picture under NOF 2025/26 and its public league tables — NHS England's
 * published acute and mental health and community data where they exist, synthetic data marked
 * as such elsewhere, the rank shown the rank of the figures beside it, downloads made once, and
 * the answers at today's date.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { FastifyInstance } from "fastify";
import { parse } from "csv-parse/sync";
import type { CalendarDate } from "../../src/domain/shared/dates.js";
import { leaguePositions } from "../../src/domain/scoring/league.js";
import { nationalPicture, pictureAnswer, tablesAsOf } from "../../src/services/national-picture.js";
import { buildServer } from "../../src/web/server.js";
import { createAccount, type TestAccount } from "../support/access.js";
import { openTestDatabase, type TestDatabase } from "../support/database.js";

const TODAY = "2026-12-04" as CalendarDate;

describe("the national picture at today's date (requirements §13)", () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let staff: TestAccount;
  before(async () => {
    t = await openTestDatabase("pglite");
    app = await buildServer(t.ctx, { today: () => TODAY });
    staff = await createAccount(t.ctx, {
      username: "n.oversight",
      role: "national_oversight",
      scope: "national",
    });
  });
  after(async () => {
    await app?.close();
    await t?.close();
  });

  it("has a table for every trust type at today's date, under the framework in force", () => {
    const tables = tablesAsOf(nationalPicture(t.ctx), TODAY);
    assert.deepEqual(tables.map((x) => x.peer_group).sort(), [
      "acute_trusts",
      "ambulance_trusts",
      "mh_community_trusts",
    ]);
    assert.ok(tables.every((x) => x.framework === "NHS OF 2025/26"));
  });

  it("the acute Q1 2025/26 table is NHS England's file: 134 trusts, not synthetic, every rank the published one and the rank of the segment and average shown", () => {
    const acute = nationalPicture(t.ctx).tables.find(
      (x) => x.peer_group === "acute_trusts" && x.quarter === "Q1 2025/26",
    )!;
    assert.equal(acute.synthetic, "none");
    assert.equal(acute.rows.length, 134);
    assert.ok(acute.rows.every((r) => !r.synthetic && r.rank === r.published_rank));
    const shown = leaguePositions(
      acute.rows.map((r) => ({
        org: r.code,
        adjusted_segment: r.adjusted_segment!,
        average_score: r.average_score!,
      })),
      ["adjusted_segment", "average_score"],
      { best: 1, worst: 4 },
    );
    assert.ok(acute.rows.every((r) => shown.get(r.code) === r.rank));
    // The likely range holds the rank shown.
    assert.ok(
      acute.rows.every((r) => r.likely_rank!.low <= r.rank! && r.rank! <= r.likely_rank!.high),
    );
  });

  it("ambulance trusts and quarters after the published ones are synthetic, and every row says so", () => {
    const picture = nationalPicture(t.ctx);
    for (const table of picture.tables) {
      const published =
        (table.peer_group === "acute_trusts" && table.quarter === "Q1 2025/26") ||
        (table.peer_group === "mh_community_trusts" &&
          ["Q1 2025/26", "Q2 2025/26"].includes(table.quarter));
      assert.equal(
        table.synthetic,
        published ? "none" : "all",
        `${table.peer_group} ${table.quarter}`,
      );
      assert.ok(table.rows.every((r) => r.synthetic === !published));
    }
  });

  it("marks the mental health and community Q2 2025/26 segment changes significant or for individual review", () => {
    const q2 = nationalPicture(t.ctx).tables.find(
      (x) => x.peer_group === "mh_community_trusts" && x.quarter === "Q2 2025/26",
    )!;
    // A change held for review shows its previous segment: the data's segment is beside it.
    const moved = q2.rows.filter(
      (r) => r.change && (r.change.previous_segment !== r.adjusted_segment || r.held_for_review),
    );
    assert.ok(moved.length > 0);
    for (const r of moved)
      assert.ok(["significant", "override", "for_review"].includes(r.change!.verdict), r.code);
    assert.ok(moved.some((r) => r.change!.verdict === "for_review"));
  });

  it("requirements §13: a segment change whose score change is not significant is not made automatically — held at the previous segment, marked, ranked by it", () => {
    const picture = nationalPicture(t.ctx);
    let held = 0;
    for (const table of picture.tables) {
      for (const r of table.rows) {
        const forReview = r.change?.verdict === "for_review";
        assert.equal(r.held_for_review !== null, forReview, `${table.quarter} ${r.code}`);
        if (!forReview) continue;
        held++;
        // The segment shown is the one shown the quarter before; the data's is named beside it.
        assert.equal(r.adjusted_segment, r.change!.previous_segment, r.code);
        assert.notEqual(r.held_for_review!.data_adjusted_segment, r.adjusted_segment, r.code);
        assert.equal(r.change!.test!.significant, false, r.code);
      }
      // The rank shown is the rank of the segment shown, held or not.
      const shown = leaguePositions(
        table.rows.flatMap((r) =>
          r.adjusted_segment === null || r.average_score === null
            ? []
            : [
                {
                  org: r.code,
                  adjusted_segment: r.adjusted_segment,
                  average_score: r.average_score,
                },
              ],
        ),
        ["adjusted_segment", "average_score"],
        { best: 1, worst: 4 },
      );
      assert.ok(
        table.rows.every((r) => (shown.get(r.code) ?? null) === r.rank),
        table.quarter,
      );
    }
    assert.ok(held > 0, "the demo has changes held for review");
  });

  it("requirements §13: the held change is marked on the public table and its CSV, and listed on the staff worklist", async () => {
    const table = tablesAsOf(nationalPicture(t.ctx), TODAY).find((x) =>
      x.rows.some((r) => r.held_for_review),
    )!;
    const row = table.rows.find((r) => r.held_for_review)!;
    const page = await app.inject({ url: `/public/league/${table.peer_group}` });
    const cell = new RegExp(
      `data-code="${row.code}"[\\s\\S]*?Held: not significant, for individual review`,
    );
    assert.match(page.body, cell);
    assert.match(
      page.body,
      new RegExp(
        `Held at ${row.adjusted_segment}: the data point to ${row.held_for_review!.data_adjusted_segment}`,
      ),
    );
    const csv = parse((await app.inject({ url: `/public/league/${table.peer_group}.csv` })).body, {
      columns: true,
    }) as Record<string, string>[];
    const line = csv.find((r) => r.code === row.code)!;
    assert.equal(line.segment_change, "for_review");
    assert.equal(line.adjusted_segment, String(row.adjusted_segment));
    assert.equal(line.held_data_segment, String(row.held_for_review!.data_adjusted_segment));
    const worklist = await app.inject({ url: "/worklist", headers: staff.headers });
    assert.equal(worklist.statusCode, 200);
    assert.match(
      worklist.body,
      new RegExp(`\\(${row.code}\\)[\\s\\S]*?Held at ${row.adjusted_segment}`),
    );
  });

  it("requirements §13: the staff league page shows every trust type the national picture has, from the same service", async () => {
    const home = await app.inject({ url: "/league", headers: staff.headers });
    assert.equal(home.statusCode, 200);
    for (const table of tablesAsOf(nationalPicture(t.ctx), TODAY))
      assert.ok(home.body.includes(`${table.trust_type}s`), table.trust_type);
    // The largest trust type first: the acute trusts.
    assert.match(home.body, /<strong aria-current="page">Acute trusts<\/strong>/);
    const ambulance = await app.inject({
      url: "/league?type=ambulance_trusts",
      headers: staff.headers,
    });
    assert.equal(ambulance.statusCode, 200);
    assert.match(ambulance.body, /Synthetic data/);
    const picture = tablesAsOf(nationalPicture(t.ctx), TODAY).find(
      (x) => x.peer_group === "ambulance_trusts",
    )!;
    for (const r of picture.rows)
      assert.ok(ambulance.body.includes(`href="/organisations/${r.code}"`));
    assert.equal(
      (await app.inject({ url: "/league?type=nonsense", headers: staff.headers })).statusCode,
      404,
    );
    assert.notEqual((await app.inject({ url: "/league" })).statusCode, 200, "staff only");
  });

  it("the public league table page, its CSV and JSON: synthetic values marked in each", async () => {
    const page = await app.inject({ url: "/public/league/ambulance_trusts" });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Synthetic data/);
    assert.match(page.body, /likely between \d+(st|nd|rd|th) and \d+(st|nd|rd|th)/);
    const csv = await app.inject({ url: "/public/league/ambulance_trusts.csv" });
    assert.equal(csv.statusCode, 200);
    const rows = parse(csv.body, { columns: true }) as Record<string, string>[];
    assert.equal(rows.length, 10);
    assert.ok(
      rows.every((r) => r.synthetic === "synthetic (not real)" && r.likely_rank_low !== ""),
    );
    const json = await app.inject({ url: "/public/league/ambulance_trusts.json" });
    const body = JSON.parse(json.body) as { synthetic: boolean; rows: { synthetic: boolean }[] };
    assert.equal(body.synthetic, true);
    assert.ok(body.rows.every((r) => r.synthetic));
  });

  it("filters and sorts on the server: region filter keeps only that region; sort by name orders rows", async () => {
    const res = await app.inject({
      url: "/public/league/acute_trusts?quarter=Q1%202025%2F26&region=London&sort=name",
    });
    assert.equal(res.statusCode, 200);
    const names = [
      ...res.body.matchAll(/data-code="[A-Z0-9]+">[\s\S]*?<a href="[^"]+">([^<]+)<\/a>/g),
    ].map((m) => m[1]!);
    assert.ok(names.length > 10 && names.length < 134);
    assert.deepEqual(
      names,
      [...names].sort((a, b) => a.localeCompare(b, "en-GB")),
    );
    assert.match(res.body, /aria-sort="ascending"/);
  });

  it("a date with no data says so in one sentence with a link to the first date that has them; a bad quarter is a 400", async () => {
    const early = await app.inject({ url: "/public/league?as_of=2025-06-01" });
    assert.equal(early.statusCode, 200);
    assert.match(early.body, /first were published on 2025-09-01/);
    assert.match(early.body, /href="\/public\/league\?as_of=2025-09-01"/);
    const bad = await app.inject({ url: "/public/league/acute_trusts?quarter=Q9" });
    assert.equal(bad.statusCode, 400);
    const unknown = await app.inject({ url: "/public/league/no_such_type" });
    assert.equal(unknown.statusCode, 404);
  });

  it("the API marks each change significant or not", async () => {
    const res = await app.inject({
      url: "/api/league-tables/mh_community_trusts?quarter=Q2%202025%2F26",
    });
    assert.equal(res.statusCode, 200);
    const body = JSON.parse(res.body) as {
      rows: { change: { average_change_significant: boolean | null } | null }[];
    };
    assert.ok(body.rows.some((r) => r.change?.average_change_significant === true));
    assert.ok(body.rows.some((r) => r.change?.average_change_significant === false));
  });

  it("an organisation at today's date: its segment in the national picture; before any publication, the first date with data", async () => {
    const now = await pictureAnswer(t.ctx, "RF4", TODAY);
    assert.equal(now.kind, "segment");
    assert.match(now.line, /^RF4 .*: segment [1-5] \(NHS OF 2025\/26, acute trusts Q2 2026\/27/);
    assert.match(now.line, /synthetic/);
    const before = await pictureAnswer(t.ctx, "RF4", "2025-05-01" as CalendarDate);
    assert.equal(before.kind, "reason");
    assert.match(before.line, /the first are from 2025-09-01/);
  });
});
