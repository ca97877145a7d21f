/**
 * requirements §5: charts are server-rendered SVG with a title, a description and a data-table
 * alternative; the SPC chart colours special-cause points by improvement or concern (DOMAIN §8);
 * the spine chart puts better to the right whatever the polarity.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyseSeries } from "../../domain/spc/index.js";
import { variationIconSvg } from "./mdc-icons.js";
import { spcChart } from "./spc-chart.js";
import { spineChart } from "./spine-chart.js";

const months = (n: number) =>
  Array.from({ length: n }, (_, i) => {
    const d = new Date(Date.UTC(2017, 3 + i, 1));
    return d.toISOString().slice(0, 10);
  });

describe("spcChart (requirements §5, DOMAIN §8)", () => {
  // 20 steady months then 6 far higher: the last points are outside the limits.
  const values = [
    ...Array(20)
      .fill(0)
      .map((_, i) => 10 + (i % 3)),
    30,
    31,
    32,
    33,
    34,
    35,
  ];
  const points = months(values.length).map((period, i) => ({ period, value: values[i]! }));
  const result = analyseSeries(points, { polarity: "lower_is_better" });
  const chart = spcChart({
    id: "t",
    metricName: "Falls <per> 1,000",
    unit: "rate",
    frequency: "monthly",
    points: result.points,
    target: null,
  });

  it("has a title and a description the SVG is labelled by, with the text escaped", () => {
    assert.match(
      chart.svg,
      /^<svg [^>]*role="img"[^>]*aria-labelledby="t-title"[^>]*aria-describedby="t-desc"/,
    );
    assert.ok(
      chart.svg.includes(
        '<title id="t-title">Falls &lt;per&gt; 1,000: statistical process control chart</title>',
      ),
    );
    assert.ok(chart.svg.includes('<desc id="t-desc">26 values from'));
  });

  it("draws every point, coloured by its special cause: high values of a lower-is-better metric are concern", () => {
    assert.equal(chart.svg.match(/<circle /g)?.length, values.length);
    const concern = chart.svg.match(/app-spc__point--concern/g)?.length ?? 0;
    assert.equal(concern, result.points.filter((p) => p.special_cause === "concern").length);
    assert.ok(concern >= 6);
    assert.ok(chart.svg.includes("app-spc__mean") && chart.svg.includes("app-spc__limit"));
  });

  it("the data table holds each point's value, mean, limits and variation", () => {
    assert.equal(chart.table.rows.length, values.length);
    assert.deepEqual(chart.table.rows.at(-1)!.slice(0, 2), ["May 2019", "35.0"]);
    assert.match(chart.table.rows.at(-1)![5]!, /^special cause: concern \(outside the limits/);
  });
});

describe("spineChart (requirements §5: a metric against the national quartiles)", () => {
  const cutPoints = {
    quartiles: [20, 30, 40] as [number, number, number],
    deciles: [10, 15, 20, 25, 30, 35, 40, 45, 50],
  };
  const markerX = (svg: string) =>
    Number(/<circle cx="([\d.]+)"[^>]*app-spine__value/.exec(svg)?.[1]);
  const base = {
    id: "s",
    metricName: "M",
    unit: "percent" as const,
    cutPoints,
    quartile: 1,
    populationName: "all acute trusts",
  };

  it("puts the better end on the right for either polarity", () => {
    const high = spineChart({ ...base, polarity: "higher_is_better", value: 48 });
    const low = spineChart({ ...base, polarity: "lower_is_better", value: 12 });
    assert.ok(markerX(high.svg) > 200, "a high value of a higher-is-better metric is on the right");
    assert.ok(markerX(low.svg) > 200, "a low value of a lower-is-better metric is on the right");
    assert.match(
      high.description,
      /Value 48\.0%, in the best quartile among all acute trusts\. Median 30\.0%/,
    );
    assert.deepEqual(high.table.rows, [["48.0%", "10.0%", "20.0%", "30.0%", "40.0%", "50.0%"]]);
  });
});

describe("Making Data Count icons", () => {
  it("are labelled in words, not colour alone", () => {
    const svg = variationIconSvg("special_cause_concern_high");
    assert.match(svg, /role="img" aria-label="Special cause variation: concern, higher values"/);
    assert.ok(svg.includes(">H</text>"));
    assert.equal(variationIconSvg(null), "");
  });
});
