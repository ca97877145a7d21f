/**
 * Where an organisation's metrics sit in the groups the criteria read: the metrics with a
 * polarity (neutral metrics are never good or bad), those with a financial role, and each
 * theme's metrics with a polarity, as places in the organisation's list of metrics: one pass
 * over the metrics for all the groups, each then picked at its exact size. Fixed for an
 * organisation in a framework, so a session works it out once per organisation.
 */
import type { Framework, FrameworkTheme } from "../frameworks/schema.js";
import type { MetricFacts, OrganisationFacts } from "./facts.js";

export interface ThemePlaces {
  theme: FrameworkTheme;
  places: number[];
}

export interface MetricLayout {
  judged: number[];
  finance: number[];
  /** Non-contextual themes with at least one metric with a polarity, in framework order. */
  themes: ThemePlaces[];
}

export function metricLayout(framework: Framework, facts: OrganisationFacts): MetricLayout {
  const judged: number[] = [];
  const finance: number[] = [];
  const byTheme = new Map<string, number[]>();
  facts.metrics.forEach((m, i) => {
    if (m.metric.roles.length > 0) finance.push(i);
    if (m.metric.polarity === "neutral") return;
    judged.push(i);
    const list = byTheme.get(m.metric.theme);
    if (list) list.push(i);
    else byTheme.set(m.metric.theme, [i]);
  });
  const themes: ThemePlaces[] = [];
  for (const theme of framework.themes) {
    const places = theme.contextual ? undefined : byTheme.get(theme.id);
    if (places !== undefined) themes.push({ theme, places });
  }
  return { judged, finance, themes };
}

/** The metrics at `places`, in that order. */
export function metricsAt(facts: OrganisationFacts, places: readonly number[]): MetricFacts[] {
  return places.map((i) => facts.metrics[i] as MetricFacts);
}
