/**
 * The assessment engine for eligibility frameworks (SOF 2016, NHS OF 2022/23): the whole national
 * dataset in, one assessment per open organisation out, each with its proposed segment, the
 * explanation tree, its metrics' positions and the path to every other segment. Pure and
 * deterministic: no clock, no I/O, every list in a defined order. See docs/assessment.md.
 */
import { positionSentence } from "../criteria/format.js";
import { proposeSegment } from "../criteria/proposal.js";
import type { MetricFacts, OrganisationFacts } from "../criteria/facts.js";
import { NO_MEMO, type Memo } from "../criteria/memo.js";
import type { Segment } from "../criteria/types.js";
import type { Framework } from "../frameworks/schema.js";
import { buildFacts } from "./facts.js";
import { pathToSegment } from "./path.js";
import type { Assessment, AssessmentInput, AssessmentRun, MetricSummary } from "./types.js";
import { assessedOrganisation } from "./types.js";

const SEGMENTS: readonly Segment[] = [1, 2, 3, 4];

export function assessOrganisations(input: AssessmentInput): AssessmentRun {
  const { framework } = input;
  const { facts, benchmarks, warnings } = buildFacts(input);
  return {
    framework: { id: framework.id, name: framework.name, short_name: framework.short_name },
    as_of: input.as_of,
    benchmarks,
    assessments: facts.map((f) => assessOne(framework, input.as_of, f)),
    warnings,
  };
}

/**
 * One organisation's assessment from its facts: all it reads is the facts and the framework.
 * A session passes the organisation's memo, so that re-assessing it after an update re-derives
 * only the parts whose facts changed (criteria/memo.ts).
 */
export function assessOne(
  framework: Framework,
  asOf: string,
  facts: OrganisationFacts,
  memo: Memo = NO_MEMO,
): Assessment {
  const org = facts.organisation;
  const proposal = proposeSegment(framework, facts, memo);
  const assessment: Assessment = {
    organisation: assessedOrganisation(org),
    framework: { id: framework.id, short_name: framework.short_name },
    as_of: asOf,
    proposed_segment: proposal.proposed_segment,
    eligible_segment: proposal.eligible_segment,
    held: proposal.held,
    criteria_source: proposal.criteria_source,
    sentence: proposal.sentence,
    segments: proposal.segments,
    theme_needs: proposal.theme_needs,
    licence_breach: proposal.licence_breach,
    considerations: proposal.considerations,
    metrics: memo.map("summary", facts.metrics, metricSummary) as MetricSummary[],
    paths: [],
  };
  // The way out: each better segment, and the segment a held trust is eligible for. Any other
  // target (what would have to go wrong) is one pathToSegment call away.
  assessment.paths = SEGMENTS.filter(
    (s) => s < proposal.proposed_segment || s === proposal.held?.eligible_segment,
  ).map((target) => pathToSegment(framework, assessment, target, memo));
  return assessment;
}

function metricSummary(m: MetricFacts): MetricSummary {
  const { metric, population } = m;
  const e = m.current.evidence;
  const spc = m.spc?.status === "analysed" ? m.spc : null;
  return {
    metric_id: metric.id,
    metric_name: metric.name,
    theme: metric.theme,
    unit: metric.unit,
    polarity: metric.polarity,
    frequency: metric.frequency,
    population: { id: population.id, name: population.name, comparison: population.comparison },
    min_population: m.min_population,
    period: e.period,
    status: e.status,
    value: e.value,
    rank: e.rank,
    n: e.n,
    percentile: e.percentile,
    quartile: e.quartile,
    decile: e.decile,
    cut_points: m.current.cut_points,
    standard:
      e.standard === null || metric.standard === undefined
        ? null
        : { ...e.standard, description: metric.standard.description },
    sentence: positionSentence(e, m),
    spc:
      spc === null
        ? null
        : {
            points: spc.evidence.points_in_series,
            variation_icon: spc.evidence.variation_icon,
            assurance_icon: spc.assurance_icon,
          },
  };
}
