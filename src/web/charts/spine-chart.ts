/**
 * A spine chart of one metric against the national (or peer) distribution: the 10th–90th and
 * 25th–75th percentile bands, the median, and the organisation's value, drawn with the better
 * end on the right whatever the metric's polarity. Scale from d3-scale.
 */
import { scaleLinear } from "d3-scale";
import type { CutPoints } from "../../domain/benchmarking/index.js";
import { formatValue } from "../../domain/criteria/format.js";
import type { FrameworkMetric, Polarity } from "../../domain/frameworks/schema.js";
import { CAUSE_COLOURS } from "./mdc-icons.js";
import { chartSvg, el, type Chart } from "./svg.js";

export interface SpineChartInput {
  id: string;
  metricName: string;
  unit: FrameworkMetric["unit"];
  polarity: Polarity;
  value: number;
  cutPoints: CutPoints;
  /** 1 = best quartile … 4 = worst; null when not ranked. */
  quartile: number | null;
  populationName: string;
}

const SIZE = { width: 240, height: 28 };
const PAD = 8;

/** Where the value falls: blue in the best quartile, orange in the worst, grey between. */
function markerColour(quartile: number | null): string {
  if (quartile === 1) return CAUSE_COLOURS.improvement;
  if (quartile === 4) return CAUSE_COLOURS.concern;
  return "#425563";
}

export function spineChart(input: SpineChartInput): Chart {
  const { cutPoints: c, unit } = input;
  const fmt = (v: number) => formatValue(v, unit);
  const d10 = c.deciles[0]!;
  const d90 = c.deciles[c.deciles.length - 1]!;
  const [q25, median, q75] = c.quartiles;
  const low = Math.min(d10, input.value);
  const high = Math.max(d90, input.value);
  const span = high - low || Math.abs(high) || 1;
  // Better on the right: a lower-is-better metric runs high to low.
  const domain =
    input.polarity === "lower_is_better"
      ? [high + span * 0.05, low - span * 0.05]
      : [low - span * 0.05, high + span * 0.05];
  const x = scaleLinear()
    .domain(domain)
    .range([PAD, SIZE.width - PAD]);
  const band = (from: number, to: number, fill: string) =>
    el("rect", {
      x: Math.min(x(from), x(to)),
      y: 8,
      width: Math.abs(x(to) - x(from)),
      height: 12,
      fill,
    });
  const title = `${input.metricName}: national position`;
  const quartileWords =
    input.quartile === null
      ? "not ranked"
      : input.quartile === 1
        ? "in the best quartile"
        : input.quartile === 4
          ? "in the worst quartile"
          : `in quartile ${input.quartile} of 4`;
  const direction =
    input.polarity === "neutral"
      ? "No direction is better."
      : `Better values are to the right (${input.polarity === "higher_is_better" ? "higher" : "lower"} is better).`;
  const description =
    `Value ${fmt(input.value)}, ${quartileWords} among ${input.populationName}. ` +
    `Median ${fmt(median)}; middle half ${fmt(q25)} to ${fmt(q75)}; 10th to 90th percentile ${fmt(d10)} to ${fmt(d90)}. ` +
    direction;
  const body = [
    band(d10, d90, "#e8edee"),
    band(q25, q75, "#aeb7bd"),
    el("line", {
      x1: x(median),
      x2: x(median),
      y1: 4,
      y2: 24,
      stroke: "#212b32",
      "stroke-width": 2,
    }),
    el("circle", {
      cx: x(input.value),
      cy: 14,
      r: 6,
      fill: markerColour(input.quartile),
      stroke: "#212b32",
      "stroke-width": 1,
      class: "app-spine__value",
    }),
  ].join("");
  return {
    svg: chartSvg(input.id, SIZE, title, description, body),
    title,
    description,
    table: {
      caption: title,
      head: [
        "Value",
        "10th percentile",
        "25th percentile",
        "Median",
        "75th percentile",
        "90th percentile",
      ],
      rows: [[fmt(input.value), fmt(d10), fmt(q25), fmt(median), fmt(q75), fmt(d90)]],
    },
  };
}
