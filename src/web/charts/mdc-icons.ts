/**
 * The Making Data Count variation and assurance icons (NHS England's SPC guidance, as
 * NHSRplotthedots names them), drawn as small labelled SVGs: a coloured disc with a letter, so
 * the meaning never rests on colour alone, and a `<title>` that says it in words.
 */
import type { AssuranceIcon, VariationIcon } from "../../domain/spc/index.js";
import { el, text } from "./svg.js";

/** Colours of the special-cause kinds (Making Data Count: blue improvement, orange concern). */
export const CAUSE_COLOURS = {
  improvement: "#005eb8",
  concern: "#ed8b00",
  neutral: "#330072",
  none: "#768692",
} as const;

interface IconLook {
  label: string;
  letter: string;
  fill: string;
  ink: string;
}

const VARIATION: Record<VariationIcon, IconLook> = {
  common_cause: {
    label: "Common cause variation: no significant change",
    letter: "~",
    fill: "#d8dde0",
    ink: "#212b32",
  },
  special_cause_improvement_high: {
    label: "Special cause variation: improvement, higher values",
    letter: "H",
    fill: CAUSE_COLOURS.improvement,
    ink: "#ffffff",
  },
  special_cause_improvement_low: {
    label: "Special cause variation: improvement, lower values",
    letter: "L",
    fill: CAUSE_COLOURS.improvement,
    ink: "#ffffff",
  },
  special_cause_concern_high: {
    label: "Special cause variation: concern, higher values",
    letter: "H",
    fill: CAUSE_COLOURS.concern,
    ink: "#212b32",
  },
  special_cause_concern_low: {
    label: "Special cause variation: concern, lower values",
    letter: "L",
    fill: CAUSE_COLOURS.concern,
    ink: "#212b32",
  },
  special_cause_neutral_high: {
    label: "Special cause variation: neither improvement nor concern, higher values",
    letter: "H",
    fill: CAUSE_COLOURS.neutral,
    ink: "#ffffff",
  },
  special_cause_neutral_low: {
    label: "Special cause variation: neither improvement nor concern, lower values",
    letter: "L",
    fill: CAUSE_COLOURS.neutral,
    ink: "#ffffff",
  },
};

const ASSURANCE: Record<AssuranceIcon, IconLook> = {
  consistently_passing: {
    label: "Assurance: the target is consistently met",
    letter: "P",
    fill: CAUSE_COLOURS.improvement,
    ink: "#ffffff",
  },
  consistently_failing: {
    label: "Assurance: the target is consistently missed",
    letter: "F",
    fill: CAUSE_COLOURS.concern,
    ink: "#212b32",
  },
  hit_and_miss: {
    label: "Assurance: the target will be met and missed at random",
    letter: "?",
    fill: "#d8dde0",
    ink: "#212b32",
  },
};

export function variationLabel(icon: VariationIcon | null): string {
  return icon ? VARIATION[icon].label : "No variation icon: too few points for process limits";
}

export function assuranceLabel(icon: AssuranceIcon | null): string {
  return icon ? ASSURANCE[icon].label : "No assurance icon: the metric has no target";
}

function iconSvg(look: IconLook, kind: string): string {
  return el(
    "svg",
    {
      xmlns: "http://www.w3.org/2000/svg",
      viewBox: "0 0 40 40",
      width: 40,
      height: 40,
      role: "img",
      "aria-label": look.label,
      class: `app-mdc-icon app-mdc-icon--${kind}`,
      focusable: "false",
    },
    el("title", {}, text(look.label)),
    el("circle", { cx: 20, cy: 20, r: 18, fill: look.fill, stroke: "#212b32", "stroke-width": 1 }),
    el(
      "text",
      {
        x: 20,
        y: 26,
        "text-anchor": "middle",
        "font-size": 18,
        "font-weight": "bold",
        fill: look.ink,
        "aria-hidden": "true",
      },
      text(look.letter),
    ),
  );
}

/** The variation icon as an accessible SVG, or "" when the series has none. */
export function variationIconSvg(icon: VariationIcon | null): string {
  return icon ? iconSvg(VARIATION[icon], "variation") : "";
}

/** The assurance icon as an accessible SVG, or "" when there is no target. */
export function assuranceIconSvg(icon: AssuranceIcon | null): string {
  return icon ? iconSvg(ASSURANCE[icon], "assurance") : "";
}
