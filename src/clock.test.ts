/**
 * requirements §4 (review schedule): instants become Europe/London calendar dates, either side of the
 * clock changes, whatever the process's own time zone (DOMAIN §7 deadlines are London dates).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { londonDateOf, londonToday } from "./clock.js";
import { cadenceWindow, dueReviews, type ReviewPolicy } from "./domain/reviews/index.js";
import type { CalendarDate } from "./domain/shared/dates.js";

const at = (iso: string) => londonDateOf(new Date(iso));

describe("londonDateOf: an instant's Europe/London calendar date (requirements §4)", () => {
  it("in winter (GMT) London's date is the UTC date up to midnight UTC", () => {
    assert.equal(at("2025-01-15T23:59:59Z"), "2025-01-15");
    assert.equal(at("2025-01-16T00:00:00Z"), "2025-01-16");
  });

  it("spring forward, 30 March 2025 01:00 UTC: the date is the 30th both sides of the change", () => {
    assert.equal(at("2025-03-29T23:59:59Z"), "2025-03-29"); // 23:59 GMT
    assert.equal(at("2025-03-30T00:59:00Z"), "2025-03-30"); // 00:59 GMT
    assert.equal(at("2025-03-30T01:00:00Z"), "2025-03-30"); // 02:00 BST
    assert.equal(at("2025-03-30T22:59:59Z"), "2025-03-30"); // 23:59 BST
    assert.equal(at("2025-03-30T23:00:00Z"), "2025-03-31"); // 00:00 BST on the 31st
  });

  it("fall back, 26 October 2025 01:00 UTC: BST midnight is 23:00 UTC the day before", () => {
    assert.equal(at("2025-10-25T22:59:59Z"), "2025-10-25"); // 23:59 BST
    assert.equal(at("2025-10-25T23:00:00Z"), "2025-10-26"); // 00:00 BST
    assert.equal(at("2025-10-26T00:59:00Z"), "2025-10-26"); // 01:59 BST
    assert.equal(at("2025-10-26T01:00:00Z"), "2025-10-26"); // 01:00 GMT
    assert.equal(at("2025-10-26T23:59:59Z"), "2025-10-26"); // 23:59 GMT
    assert.equal(at("2025-10-27T00:00:00Z"), "2025-10-27");
  });

  it("23:30 UTC on 30 June 2025 is already 1 July in London", () => {
    assert.equal(at("2025-06-30T23:30:00Z"), "2025-07-01");
    assert.equal(londonToday(new Date("2025-06-30T23:30:00Z")), "2025-07-01");
  });
});

describe("quarter ends from instants near midnight (DOMAIN §7: segment 1 at the end of Q1, July)", () => {
  const policy: ReviewPolicy = {
    cadence: [
      { segments: [1], every: "quarter", due_months: [7, 10, 1, 4], citation: "SOF §4 (seed 000)" },
    ],
    triggers: [],
  };
  const cadence = policy.cadence[0]!;
  const lastReviewed = "2025-04-10" as CalendarDate;

  it("at 23:30 UTC on 30 June 2025 the July review has opened in London; at 22:59 UTC it has not", () => {
    const window = cadenceWindow(cadence, lastReviewed, at("2025-06-30T23:30:00Z"));
    assert.deepEqual(window, { from: "2025-07-01", to: "2025-07-31" });
    assert.equal(cadenceWindow(cadence, lastReviewed, at("2025-06-30T22:59:00Z")), null);
  });

  it("the October review's deadline, 31 October, is still today at 23:30 UTC on the 31st (GMT again)", () => {
    const subject = {
      org_code: "RX1",
      segment: 1,
      last_reviewed_on: "2025-07-15" as CalendarDate,
      events: [],
    };
    const [due] = dueReviews(policy, [subject], at("2025-10-31T23:30:00Z"));
    assert.equal(due?.deadline, "2025-10-31");
    assert.equal(due?.overdue, false);
    const [late] = dueReviews(policy, [subject], at("2025-11-01T00:00:00Z"));
    assert.equal(late?.overdue, true);
  });
});
