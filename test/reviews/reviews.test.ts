/**
 * requirements §4, review schedule (DOMAIN §7), through the service and the real command line on every
 * engine, against the bundle of ./fixture.ts (SOF 2016, as at 2019-03-31): a CQC 'inadequate'
 * rating makes a review due at once, named by its trigger and with its deadline; the cadence and
 * the recorded segment history; the region and ICB filters; the JSON shape; one-line errors.
 */
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import type { CalendarDate } from "../../src/domain/shared/dates.js";
import { InvalidInputError } from "../../src/services/errors.js";
import { reviewsDue, type ReviewSchedule } from "../../src/services/reviews.js";
import { hasStackTrace, runCli, tempDir, type CliResult } from "../cli/run-cli.js";
import { openSharedTestDatabase } from "../cli/shared-database.js";
import { openTestDatabase, testEngines, type TestDatabase } from "../support/database.js";
import {
  AS_OF,
  DROPPED,
  FT_GOOD,
  importReviewFixture,
  INADEQUATE_DEADLINE,
  INADEQUATE_ON,
  METRIC,
  NT_RI,
  OTHER_ICB,
  OTHER_REGION,
  OTHER_TRUST,
} from "./fixture.js";

const asOf = AS_OF as CalendarDate;

function assertSortedByDeadline(schedule: ReviewSchedule): void {
  const deadlines = schedule.reviews.map((r) => r.deadline);
  assert.deepEqual(deadlines, [...deadlines].sort());
}

for (const engine of testEngines()) {
  describe(`reviews service [${engine}] (requirements §4, DOMAIN §7)`, () => {
    let t: TestDatabase;
    before(async () => {
      t = await openTestDatabase(engine);
      await importReviewFixture(t.ctx);
    });
    after(() => t.close());

    it("DOMAIN §7: a CQC 'inadequate' rating makes a review due at once, named by its trigger, deadline 7 days on", async () => {
      const schedule = await reviewsDue(t.ctx, { asOf });
      assert.equal(schedule.framework.id, "sof-2016");
      const due = schedule.reviews.filter((r) => r.organisation.code === NT_RI && r.event);
      assert.equal(due.length, 1);
      assert.equal(due[0]!.trigger, "cqc_inadequate");
      assert.deepEqual(due[0]!.event, {
        type: "cqc_rating",
        rating: "inadequate",
        published_on: INADEQUATE_ON,
      });
      assert.equal(due[0]!.deadline, INADEQUATE_DEADLINE);
      assert.equal(due[0]!.overdue, false);
      // No segment decided yet: the assessment's proposal. CQC 'Inadequate' makes the trust
      // eligible to be considered for 4; with no CQC recommendation nor licence-breach evidence
      // recorded it is proposed for 2 (SOF §4; Annex A §12; docs/domain.md §5).
      assert.equal(due[0]!.segment, 2);
      assert.equal(due[0]!.segment_source, "proposed");
      assertSortedByDeadline(schedule);
    });

    it("DOMAIN §7: segments 2–4 are due monthly; an intelligence item marked as a concern triggers a review, other categories do not", async () => {
      const schedule = await reviewsDue(t.ctx, { asOf });
      const cadence = schedule.reviews.filter((r) => r.trigger === "cadence");
      assert.equal(cadence.length, 11); // every trust, none reviewed yet
      for (const r of cadence) assert.equal(r.deadline, "2019-03-31");
      const concerns = schedule.reviews.filter((r) => r.trigger === "intelligence_concern");
      assert.deepEqual(
        concerns.map((r) => [r.organisation.code, r.due_from, r.deadline, r.overdue]),
        [[FT_GOOD, "2019-03-15", "2019-03-22", true]],
      );
    });

    it("DOMAIN §7: a new SPC special cause of concern and entry into the bottom decile, compared with the month before, each trigger a review", async () => {
      const schedule = await reviewsDue(t.ctx, { asOf });
      const metricReviews = schedule.reviews.filter(
        (r) => r.trigger === "spc_concern" || r.trigger === "bottom_decile_entry",
      );
      assert.deepEqual(
        metricReviews.map((r) => [r.organisation.code, r.trigger, r.deadline]),
        [
          [DROPPED, "spc_concern", "2019-04-07"],
          [DROPPED, "bottom_decile_entry", "2019-04-07"],
        ],
      );
      assert.deepEqual(metricReviews[0]!.event, {
        type: "spc_concern",
        metric: METRIC,
        period: "2019-03-01",
        detected_on: "2019-03-31",
        variation_icon: "special_cause_concern_low",
      });
      // FT_LOW has been in the bottom decile all along: no entry. A month after the period's end
      // (the assessment a month earlier sees March too) the drop is no longer new.
      const later = await reviewsDue(t.ctx, { asOf: "2019-05-01" as CalendarDate });
      assert.ok(
        !later.reviews.some(
          (r) => r.trigger === "bottom_decile_entry" || r.trigger === "spc_concern",
        ),
      );
    });

    it("filters by region and by ICB; an unknown region or ICB is refused", async () => {
      const other = await reviewsDue(t.ctx, { asOf, region: OTHER_REGION });
      assert.deepEqual([...new Set(other.reviews.map((r) => r.organisation.code))], [OTHER_TRUST]);
      const london = await reviewsDue(t.ctx, { asOf, region: "Y56" });
      assert.ok(london.reviews.length > 0);
      assert.ok(london.reviews.every((r) => r.organisation.region === "Y56"));
      const icb = await reviewsDue(t.ctx, { asOf, icb: OTHER_ICB });
      assert.deepEqual([...new Set(icb.reviews.map((r) => r.organisation.code))], [OTHER_TRUST]);
      await assert.rejects(reviewsDue(t.ctx, { asOf, region: "Y99" }), InvalidInputError);
      await assert.rejects(reviewsDue(t.ctx, { asOf, icb: NT_RI }), InvalidInputError);
    });

    it("the segment history gives the current segment and the last review: events before it are no longer new", async () => {
      for (const [org, segment, from] of [
        [NT_RI, 3, "2019-03-25"],
        [FT_GOOD, 2, "2019-03-20"],
      ] as const)
        await t.db.query(
          `INSERT INTO segment_history (org_code, segment, effective_from, deciding_body,
             decision_reference, framework_id, data_as_at, assessment_snapshot, recorded_by)
           VALUES ($1, $2, $3, 'rsg', 'test', 'sof-2016', $3, '{}'::jsonb, 'test')`,
          [org, segment, from],
        );
      const schedule = await reviewsDue(t.ctx, { asOf });
      const of = (code: string) =>
        schedule.reviews
          .filter((r) => r.organisation.code === code)
          .map((r) => [r.trigger, r.segment, r.segment_source, r.last_reviewed_on]);
      // Reviewed in March: the monthly review is met; the rating after the review is still new.
      assert.deepEqual(of(NT_RI), [["cqc_inadequate", 3, "history", "2019-03-25"]]);
      // The concern of 15 March was before the review of 20 March.
      assert.deepEqual(of(FT_GOOD), []);
    });
  });

  describe(`oversight reviews due [${engine}] (requirements §4)`, () => {
    const dir = tempDir("oversight-reviews-cli-");
    let t: TestDatabase;
    before(async () => {
      t = await openSharedTestDatabase(engine, dir);
      await importReviewFixture(t.ctx);
      // PGlite is one process at a time: hand the folder to the CLI.
      if (engine === "pglite") await t.close();
    });
    after(async () => {
      await t.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const cli = (...args: string[]) => runCli(args, t.env);

    function assertOk(r: CliResult): void {
      assert.equal(r.code, 0, `exit 0; stderr: ${r.stderr}`);
      assert.ok(!hasStackTrace(r.stderr), r.stderr);
    }

    function assertOneLineError(r: CliResult, reason: RegExp): void {
      assert.equal(r.code, 1, `exit 1; stdout: ${r.stdout}; stderr: ${r.stderr}`);
      assert.equal(r.stdout, "");
      assert.ok(!hasStackTrace(r.stderr), r.stderr);
      const [first, ...rest] = r.stderr.trimEnd().split("\n");
      assert.match(first!, reason);
      assert.deepEqual(rest, [], r.stderr);
    }

    it("--format json: the schedule, each review with its trigger, evidence and deadline", async () => {
      const r = await cli("reviews", "due", "--as-of", AS_OF, "--format", "json");
      assertOk(r);
      const schedule = JSON.parse(r.stdout) as ReviewSchedule;
      assert.deepEqual(Object.keys(schedule), ["as_of", "framework", "region", "icb", "reviews"]);
      assert.equal(schedule.as_of, AS_OF);
      const review = schedule.reviews.find((x) => x.trigger === "cqc_inadequate")!;
      assert.deepEqual(Object.keys(review).sort(), [
        "cadence",
        "deadline",
        "due_from",
        "event",
        "last_reviewed_on",
        "org_code",
        "organisation",
        "overdue",
        "segment",
        "segment_source",
        "sentence",
        "trigger",
      ]);
      assert.equal(review.organisation.code, NT_RI);
      assert.equal(review.deadline, INADEQUATE_DEADLINE);
      assertSortedByDeadline(schedule);
    });

    it("--region R --format text: a heading and one line per review, deadline first", async () => {
      const r = await cli("reviews", "due", "--as-of", AS_OF, "--region", OTHER_REGION);
      assertOk(r);
      const lines = r.stdout.trimEnd().split("\n");
      assert.match(lines[0]!, /^1 review\(s\) due on 2019-03-31 under SOF 2016 \(region Y58\)$/);
      assert.equal(lines.length, 2);
      assert.match(
        lines[1]!,
        /^2019-03-31\tRY1 South West NHS Trust \(segment 2, proposed\)\tcadence: /,
      );
    });

    it("--region takes the region's name as well as its code, in any case (requirements §14)", async () => {
      const byCode = await cli("reviews", "due", "--as-of", AS_OF, "--region", OTHER_REGION);
      const byName = await cli("reviews", "due", "--as-of", AS_OF, "--region", "south west");
      assertOk(byName);
      assert.equal(byName.stdout, byCode.stdout);
    });

    it("errors are one line: a bad date, an unknown region or ICB, an unknown format", async () => {
      const runs = [
        [["reviews", "due", "--as-of", "2019-02-30"], /--as-of must be a date YYYY-MM-DD/],
        [["reviews", "due", "--as-of", AS_OF, "--region", "Y99"], /^oversight: no region "Y99"/],
        [["reviews", "due", "--as-of", AS_OF, "--icb", "NOPE"], /^oversight: no ICB "NOPE"/],
        [["reviews", "due", "--format", "xml"], /argument 'xml' is invalid/],
        [
          ["reviews", "due", "--as-of", "1990-01-01"],
          /^oversight: no framework version is in force on 1990-01-01/,
        ],
      ] as const;
      for (const [args, reason] of runs) assertOneLineError(await cli(...args), reason);
    });
  });
}
