/**
 * Building SVG as text for server-rendered charts: every attribute and text node escaped here,
 * once. Coordinates are rounded to one decimal so the markup is stable and small.
 */

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** A coordinate or length, to one decimal place. */
export function px(value: number): string {
  return String(Math.round(value * 10) / 10);
}

type Attributes = Record<string, string | number | null | undefined>;

/** `<name a="…">children</name>`; attributes that are null or undefined are left out. */
export function el(name: string, attributes: Attributes, ...children: string[]): string {
  const attrs = Object.entries(attributes)
    .filter((entry): entry is [string, string | number] => entry[1] != null)
    .map(([key, value]) => ` ${key}="${escapeXml(typeof value === "number" ? px(value) : value)}"`)
    .join("");
  return children.length === 0
    ? `<${name}${attrs}/>`
    : `<${name}${attrs}>${children.join("")}</${name}>`;
}

export function text(content: string): string {
  return escapeXml(content);
}

/** A data table that stands in for a chart (the chart's accessible alternative). */
export interface ChartTable {
  caption: string;
  head: string[];
  rows: string[][];
}

/** A chart: its SVG (with `<title>` and `<desc>`) and the table of the same data. */
export interface Chart {
  svg: string;
  title: string;
  description: string;
  table: ChartTable;
}

/**
 * The outer `<svg>`: an image named by its title and described by its description
 * (`aria-labelledby`/`aria-describedby` on ids unique to `id`).
 */
export function chartSvg(
  id: string,
  size: { width: number; height: number },
  title: string,
  description: string,
  body: string,
): string {
  return el(
    "svg",
    {
      xmlns: "http://www.w3.org/2000/svg",
      viewBox: `0 0 ${px(size.width)} ${px(size.height)}`,
      width: size.width,
      height: size.height,
      role: "img",
      "aria-labelledby": `${id}-title`,
      "aria-describedby": `${id}-desc`,
      class: "app-chart",
      focusable: "false",
    },
    el("title", { id: `${id}-title` }, text(title)),
    el("desc", { id: `${id}-desc` }, text(description)),
    body,
  );
}
