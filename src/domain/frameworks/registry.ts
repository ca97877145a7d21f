import type { CalendarDate } from "../shared/dates.js";
import type { Framework, FrameworkMetric } from "./schema.js";

/** The framework versions known to the system, and which one is in force on a date. */
export class FrameworkRegistry {
  private readonly byId: Map<string, Framework>;

  constructor(readonly versions: readonly Framework[]) {
    this.byId = new Map(versions.map((f) => [f.id, f]));
  }

  get(id: string): Framework | undefined {
    return this.byId.get(id);
  }

  /** The version in force on `date`: the latest to have started, unless it has ended. */
  inForceOn(date: CalendarDate): Framework | undefined {
    return [...this.versions]
      .filter((f) => f.in_force_from <= date && (!f.in_force_to || date <= f.in_force_to))
      .sort((a, b) => b.in_force_from.localeCompare(a.in_force_from))[0];
  }

  /**
   * Every metric any version defines, by id. Observations outlive framework versions, so a
   * metric is known if any version names it; where versions differ, the later definition wins.
   */
  metricCatalogue(): Map<string, FrameworkMetric> {
    const catalogue = new Map<string, FrameworkMetric>();
    const oldestFirst = [...this.versions].sort((a, b) =>
      a.in_force_from.localeCompare(b.in_force_from),
    );
    for (const framework of oldestFirst)
      for (const metric of framework.metrics) catalogue.set(metric.id, metric);
    return catalogue;
  }

  /**
   * The metric each measure of a national dataset feeds (`feed: dataset.measure` in the
   * catalogue), so importers never name metric ids. Two metrics fed by one measure is an error.
   */
  metricsFedBy(dataset: string): Map<string, string> {
    const byMeasure = new Map<string, string>();
    for (const metric of this.metricCatalogue().values()) {
      if (!metric.feed) continue;
      const [feedDataset, measure] = metric.feed.split(".") as [string, string];
      if (feedDataset !== dataset) continue;
      const existing = byMeasure.get(measure);
      if (existing && existing !== metric.id)
        throw new Error(`${metric.feed} feeds two metrics: ${existing} and ${metric.id}`);
      byMeasure.set(measure, metric.id);
    }
    return byMeasure;
  }
}
