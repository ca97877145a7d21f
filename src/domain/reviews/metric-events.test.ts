/**
 * requirements §4: the metric events that trigger a review (DOMAIN §7, §8): a new SPC special cause of
 * concern (Making Data Count variation icon) and entry into the bottom decile, each read from the
 * assessment on the date compared with the assessment a period earlier.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { MetricSummary } from "../assessment/types.js";
import type { VariationIcon } from "../spc/index.js";
import type { CalendarDate } from "../shared/dates.js";
import { metricEvents, periodEnd } from "./metric-events.js";

function summary(period: string, decile: number | null, icon: VariationIcon | null): MetricSummary {
  return {
    metric_id: "ae_4hr_all",
    metric_name: "A&E four-hour",
    theme: "operational",
    unit: "percent",
    polarity: "higher_is_better",
    frequency: "monthly",
    population: { id: "all", name: "All", n: 10 } as unknown as MetricSummary["population"],
    min_population: 5,
    period,
    status: "assessed" as MetricSummary["status"],
    value: 61.5,
    rank: null,
    n: 10,
    percentile: null,
    quartile: null,
    decile,
    cut_points: null,
    standard: null,
    sentence: "",
    spc: icon === null ? null : { points: 15, variation_icon: icon, assurance_icon: null },
  };
}

describe("metricEvents (DOMAIN §7: SPC concern and bottom-decile entry trigger review)", () => {
  it("a special cause of concern that was common cause a period earlier is a new concern, dated at the period end", () => {
    const events = metricEvents(
      [summary("2019-03-01", 5, "special_cause_concern_low")],
      [summary("2019-02-01", 5, "common_cause")],
    );
    assert.deepEqual(events, [
      {
        type: "spc_concern",
        metric: "ae_4hr_all",
        period: "2019-03-01",
        detected_on: "2019-03-31",
        variation_icon: "special_cause_concern_low",
      },
    ]);
  });

  it("a concern that continues, an improvement or a neutral special cause is not a new concern", () => {
    assert.deepEqual(
      metricEvents(
        [summary("2019-03-01", 5, "special_cause_concern_low")],
        [summary("2019-02-01", 5, "special_cause_concern_low")],
      ),
      [],
    );
    for (const icon of ["special_cause_improvement_high", "special_cause_neutral_low"] as const)
      assert.deepEqual(
        metricEvents([summary("2019-03-01", 5, icon)], [summary("2019-02-01", 5, null)]),
        [],
      );
  });

  it("decile 10 (the bottom, polarity applied) after decile 9 is an entry; staying in it is not", () => {
    const [entry] = metricEvents(
      [summary("2019-03-01", 10, null)],
      [summary("2019-02-01", 9, null)],
    );
    assert.equal(entry?.type, "bottom_decile_entry");
    assert.equal(entry?.detected_on, "2019-03-31");
    assert.deepEqual(
      metricEvents([summary("2019-03-01", 10, null)], [summary("2019-02-01", 10, null)]),
      [],
    );
  });

  it("periods end at the end of their month, quarter or year", () => {
    const p = (t: string) => t as CalendarDate;
    assert.equal(periodEnd(p("2024-02-01"), "monthly"), "2024-02-29");
    assert.equal(periodEnd(p("2025-01-01"), "quarterly"), "2025-03-31");
    assert.equal(periodEnd(p("2025-04-01"), "annual"), "2026-03-31");
  });
});
