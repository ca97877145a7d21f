/**
 * The Making Data Count XmR chart of one metric, server-rendered as SVG (DOMAIN §8): every point,
 * the mean, the process limits, the target where there is one, and special-cause points coloured
 * as improvement or concern. Scales and line paths come from d3-scale and d3-shape; the same
 * figures make the data table that stands in for the chart.
 */
import { scaleLinear, scaleUtc } from "d3-scale";
import { line } from "d3-shape";
import type { FrameworkMetric } from "../../domain/frameworks/schema.js";
import { formatPeriod, formatValue } from "../../domain/criteria/format.js";
import type { SpcPointResult, SpecialCause } from "../../domain/spc/index.js";
import { CAUSE_COLOURS } from "./mdc-icons.js";
import { chartSvg, el, text, type Chart } from "./svg.js";

export interface SpcChartInput {
  /** Unique within the page: prefixes the ids the SVG's title and description carry. */
  id: string;
  metricName: string;
  unit: FrameworkMetric["unit"];
  frequency: FrameworkMetric["frequency"];
  points: readonly SpcPointResult[];
  target: number | null;
}

const SIZE = { width: 720, height: 320 };
const MARGIN = { top: 16, right: 24, bottom: 40, left: 72 };

const CAUSE_WORDS: Record<SpecialCause, string> = {
  none: "common cause",
  improvement: "special cause: improvement",
  concern: "special cause: concern",
  neutral: "special cause: neither improvement nor concern",
};

const RULE_WORDS: Record<string, string> = {
  outside_limits: "outside the limits",
  run: "run of points on one side of the mean",
  trend: "trend of rising or falling points",
  two_of_three: "two of three points near a limit",
};

function dateOf(period: string): Date {
  return new Date(`${period}T00:00:00Z`);
}

export function spcChart(input: SpcChartInput): Chart {
  const { points, unit } = input;
  const fmt = (v: number) => formatValue(v, unit);
  const period = (p: string) => formatPeriod(p, input.frequency);
  const title = `${input.metricName}: statistical process control chart`;
  const table = {
    caption: `${input.metricName}: each period's value, mean, process limits and variation`,
    head: ["Period", "Value", "Mean", "Lower process limit", "Upper process limit", "Variation"],
    rows: points.map((p) => [
      period(p.period),
      fmt(p.value),
      p.mean === null ? "–" : fmt(p.mean),
      p.lpl === null ? "–" : fmt(p.lpl),
      p.upl === null ? "–" : fmt(p.upl),
      CAUSE_WORDS[p.special_cause] +
        (p.rules.length ? ` (${p.rules.map((r) => RULE_WORDS[r] ?? r).join("; ")})` : ""),
    ]),
  };
  if (points.length === 0) {
    const description = "There are no values to chart.";
    return {
      svg: chartSvg(input.id, { width: SIZE.width, height: 60 }, title, description, ""),
      title,
      description,
      table,
    };
  }

  const first = points[0]!;
  const last = points[points.length - 1]!;
  const count = (cause: SpecialCause) => points.filter((p) => p.special_cause === cause).length;
  const description =
    `${points.length} values from ${period(first.period)} to ${period(last.period)}; ` +
    `latest ${fmt(last.value)}. ` +
    (last.mean !== null ? `Mean ${fmt(last.mean)}` : "No mean") +
    (last.lpl !== null && last.upl !== null
      ? `, process limits ${fmt(last.lpl)} to ${fmt(last.upl)}. `
      : ", no process limits. ") +
    (input.target !== null ? `Target ${fmt(input.target)}. ` : "") +
    `${count("concern")} points are special cause of concern, ${count("improvement")} of improvement` +
    (count("neutral") ? `, ${count("neutral")} neither` : "") +
    ".";

  const values = points.flatMap((p) =>
    [p.value, p.mean, p.lpl, p.upl].filter((v): v is number => v !== null),
  );
  if (input.target !== null) values.push(input.target);
  const y = scaleLinear()
    .domain([Math.min(...values), Math.max(...values)])
    .nice()
    .range([SIZE.height - MARGIN.bottom, MARGIN.top]);
  const x = scaleUtc()
    .domain([dateOf(first.period), dateOf(last.period)])
    .range([MARGIN.left, SIZE.width - MARGIN.right]);
  const px = (p: SpcPointResult) => x(dateOf(p.period));

  const pathOf = (pick: (p: SpcPointResult) => number | null) =>
    line<SpcPointResult>()
      .defined((p) => pick(p) !== null)
      .x(px)
      .y((p) => y(pick(p) ?? 0))(points) ?? "";

  const yTicks = y.ticks(5).map((v) =>
    el(
      "g",
      {},
      el("line", {
        x1: MARGIN.left,
        x2: SIZE.width - MARGIN.right,
        y1: y(v),
        y2: y(v),
        stroke: "#e8edee",
      }),
      el(
        "text",
        { x: MARGIN.left - 6, y: y(v) + 4, "text-anchor": "end", "font-size": 12, fill: "#212b32" },
        text(fmt(v)),
      ),
    ),
  );
  const xTicks = x.ticks(Math.min(6, points.length)).map((d) =>
    el(
      "text",
      {
        x: x(d),
        y: SIZE.height - MARGIN.bottom + 18,
        "text-anchor": "middle",
        "font-size": 12,
        fill: "#212b32",
      },
      text(formatPeriod(d.toISOString().slice(0, 10), "monthly")),
    ),
  );
  const target =
    input.target === null
      ? ""
      : el("path", {
          d: `M${MARGIN.left},${y(input.target)}H${SIZE.width - MARGIN.right}`,
          stroke: "#d5281b",
          "stroke-width": 2,
          "stroke-dasharray": "2 4",
          fill: "none",
          class: "app-spc__target",
        });
  const dots = points.map((p) =>
    el(
      "circle",
      {
        cx: px(p),
        cy: y(p.value),
        r: p.special_cause === "none" ? 3.5 : 5,
        fill: CAUSE_COLOURS[p.special_cause],
        stroke: p.special_cause === "none" ? "none" : "#212b32",
        "stroke-width": 1,
        class: `app-spc__point app-spc__point--${p.special_cause}`,
      },
      el(
        "title",
        {},
        text(`${period(p.period)}: ${fmt(p.value)}, ${CAUSE_WORDS[p.special_cause]}`),
      ),
    ),
  );

  const body = [
    el("g", { class: "app-spc__grid" }, ...yTicks),
    el("g", { class: "app-spc__axis" }, ...xTicks),
    el("path", { d: pathOf((p) => p.value), stroke: "#425563", "stroke-width": 1.5, fill: "none" }),
    el("path", {
      d: pathOf((p) => p.mean),
      stroke: "#212b32",
      "stroke-width": 1.5,
      fill: "none",
      class: "app-spc__mean",
    }),
    el("path", {
      d: pathOf((p) => p.upl),
      stroke: "#425563",
      "stroke-width": 1,
      "stroke-dasharray": "6 4",
      fill: "none",
      class: "app-spc__limit",
    }),
    el("path", {
      d: pathOf((p) => p.lpl),
      stroke: "#425563",
      "stroke-width": 1,
      "stroke-dasharray": "6 4",
      fill: "none",
      class: "app-spc__limit",
    }),
    target,
    el("g", {}, ...dots),
  ].join("");
  return { svg: chartSvg(input.id, SIZE, title, description, body), title, description, table };
}
