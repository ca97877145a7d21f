/**
 * requirements §2, rule 6: calendar dates are pure and exact: real days only, month ends clamped.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  addDays,
  addMonths,
  endOfMonth,
  isCalendarDate,
  parseCalendarDate,
  parseCompactDate,
  startOfMonth,
  type CalendarDate,
} from "./dates.js";

const d = (text: string) => text as CalendarDate;

describe("parseCalendarDate (requirements §2, rule 6)", () => {
  it("accepts real days, returning the same text", () => {
    for (const text of ["2024-02-29", "2000-02-29", "2023-12-31", "2016-10-01", "1999-01-01"])
      assert.equal(parseCalendarDate(text), text);
  });

  it("rejects days that do not exist", () => {
    for (const text of [
      "2023-02-29", // not a leap year
      "1900-02-29", // divisible by 100, not by 400
      "2024-02-30",
      "2024-04-31",
      "2024-13-01",
      "2024-00-10",
      "2024-01-00",
      "2024-01-32",
    ])
      assert.equal(parseCalendarDate(text), undefined, text);
  });

  it("rejects anything but zero-padded YYYY-MM-DD", () => {
    for (const text of [
      "2024-2-5",
      "2024-02-5",
      "2024-2-05",
      "24-02-05",
      "20240205",
      "2024/02/05",
      "05-02-2024",
      " 2024-02-05",
      "2024-02-05 ",
      "2024-02-05T00:00:00Z",
      "+2024-02-05",
      "",
      "2024-０2-05",
    ])
      assert.equal(parseCalendarDate(text), undefined, JSON.stringify(text));
  });

  it("isCalendarDate agrees with parseCalendarDate", () => {
    assert.equal(isCalendarDate("2024-02-29"), true);
    assert.equal(isCalendarDate("2023-02-29"), false);
    assert.equal(isCalendarDate("2024-2-29"), false);
  });
});

describe("parseCompactDate (requirements §2, rule 6)", () => {
  it("reads the ODS layout YYYYMMDD", () => {
    assert.equal(parseCompactDate("20240229"), "2024-02-29");
    assert.equal(parseCompactDate("19940401"), "1994-04-01");
  });

  it("rejects impossible days and other layouts", () => {
    for (const text of [
      "20230229",
      "20241301",
      "2024021",
      "202402290",
      "2024-02-29",
      "",
      "2024O229",
    ])
      assert.equal(parseCompactDate(text), undefined, JSON.stringify(text));
  });
});

describe("addMonths (requirements §2, rule 6)", () => {
  it("clamps to the end of a shorter month", () => {
    assert.equal(addMonths(d("2024-01-31"), 1), "2024-02-29", "leap year");
    assert.equal(addMonths(d("2023-01-31"), 1), "2023-02-28");
    assert.equal(addMonths(d("2024-03-31"), 1), "2024-04-30");
    assert.equal(addMonths(d("2024-03-31"), -1), "2024-02-29");
    assert.equal(addMonths(d("2024-02-29"), 12), "2025-02-28");
  });

  it("keeps the day where it exists, across year ends, either way", () => {
    assert.equal(addMonths(d("2024-01-15"), 1), "2024-02-15");
    assert.equal(addMonths(d("2024-11-30"), 3), "2025-02-28");
    assert.equal(addMonths(d("2024-12-31"), 1), "2025-01-31");
    assert.equal(addMonths(d("2025-01-31"), -1), "2024-12-31");
    assert.equal(addMonths(d("2024-05-10"), -17), "2022-12-10");
    assert.equal(addMonths(d("2024-05-10"), 0), "2024-05-10");
    assert.equal(addMonths(d("2024-05-10"), 120), "2034-05-10");
  });

  it("is not undone by the reverse step when it clamped", () => {
    assert.equal(addMonths(addMonths(d("2024-01-31"), 1), -1), "2024-01-29");
  });
});

describe("endOfMonth, startOfMonth, addDays (requirements §2, rule 6)", () => {
  it("endOfMonth is the month's last day", () => {
    assert.equal(endOfMonth(d("2024-02-01")), "2024-02-29");
    assert.equal(endOfMonth(d("2023-02-14")), "2023-02-28");
    assert.equal(endOfMonth(d("2024-04-30")), "2024-04-30");
    assert.equal(endOfMonth(d("2024-12-01")), "2024-12-31");
    assert.equal(endOfMonth(d("1900-02-01")), "1900-02-28");
    assert.equal(endOfMonth(d("2000-02-01")), "2000-02-29");
  });

  it("startOfMonth is the first", () => {
    assert.equal(startOfMonth(d("2024-02-29")), "2024-02-01");
    assert.equal(startOfMonth(d("2024-12-01")), "2024-12-01");
  });

  it("addDays crosses month, year and leap-day boundaries", () => {
    assert.equal(addDays(d("2024-02-28"), 1), "2024-02-29");
    assert.equal(addDays(d("2023-02-28"), 1), "2023-03-01");
    assert.equal(addDays(d("2024-12-31"), 1), "2025-01-01");
    assert.equal(addDays(d("2025-01-01"), -1), "2024-12-31");
    assert.equal(addDays(d("2024-03-01"), -1), "2024-02-29");
    assert.equal(addDays(d("2024-01-01"), 366), "2025-01-01");
    assert.equal(addDays(d("2024-06-01"), 0), "2024-06-01");
  });

  it("the days the clocks change in London are ordinary days", () => {
    // Days are computed in UTC throughout; a London clock change is an ordinary day.
    assert.equal(addDays(d("2024-03-30"), 1), "2024-03-31");
    assert.equal(addDays(d("2024-03-31"), 1), "2024-04-01");
    assert.equal(addDays(d("2024-10-27"), 1), "2024-10-28");
  });
});
