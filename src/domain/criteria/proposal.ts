/**
 * From criteria to a proposed segment (docs/domain.md §5; SOF §4; NHS OF 2022/23 Table 3,
 * Annex A §12). Three words, used in this sense everywhere (docs/domain.md §5 "Eligible,
 * proposed, decided"):
 * - ELIGIBLE: the segment the criteria met on data and recorded judgements point to —
 *   for 1 every segment 1 criterion fired; for 3 any segment 3 criterion; for 4 the segment 3
 *   criteria ("in addition to the segment 3 criteria") and any segment 4 criterion; otherwise
 *   the framework's default segment (2). The segment is the greatest need across themes (SOF §4).
 *   Eligible means "to be considered", never placed.
 * - PROPOSED: what the engine puts to people to consider, after two gates: (a) where the
 *   framework asks for it (`proposal_requires_judgement`, SOF 2016/17), segment 4 only with a
 *   recorded judgement or CQC recommendation — otherwise at most 3; (b) for the kinds the
 *   licence-breach rule holds for (foundation trusts and NHS trusts alike: "or equivalent for
 *   NHS trusts"), the mandated segments only with recorded evidence of actual or suspected
 *   licence breach — otherwise the highest segment below that needs none.
 * - DECIDED: the segment in force, recorded by a governance body (src/domain/workflow); the
 *   engine never decides.
 */
import type { EligibilityCriteria, Framework } from "../frameworks/schema.js";
import { isProvider } from "../organisations/organisation.js";
import { cqcGood, cqcInadequate, cqcRequiresImprovement } from "./cqc.js";
import { judgementEvidence } from "./evidence.js";
import { metricLayout, metricsAt } from "./layout.js";
import type { OrganisationFacts } from "./facts.js";
import { balancedFinance, materialDeficit, significantDeficit } from "./finance.js";
import { inSentence, listOf, plural } from "./format.js";
import { considerations, judgementCriteria } from "./judgements.js";
import { NO_MEMO, type Memo } from "./memo.js";
import { bottomQuartileThemes, themeTallies, topQuartileThemes } from "./themes.js";
import { dramaticDrop, sustainedBottomDecile } from "./trends.js";
import type {
  CriterionId,
  CriterionResult,
  CriterionSegment,
  ExplanationNode,
  JudgementEvidence,
  Segment,
} from "./types.js";

export interface SegmentEligibility {
  segment: CriterionSegment;
  name: string;
  /** How the segment's criteria combine. */
  rule: "all_of" | "any_of" | "segment_3_and_any_of";
  eligible: boolean;
  sentence: string;
  criteria: CriterionResult[];
}

export interface ThemeNeed {
  /** Null for needs no theme was recorded against (e.g. a judgement with no theme). */
  theme: string | null;
  name: string;
  segment: Segment;
  /** The fired criteria behind the need. */
  criteria: CriterionId[];
  sentence: string;
}

export interface LicenceBreachCheck {
  /** Whether the eligible segment needs licence-breach evidence for this organisation. */
  required: boolean;
  evidence_recorded: boolean;
  sentence: string;
  evidence: JudgementEvidence[];
}

/** A gate between eligible and proposed: what is missing for the higher segment. */
export type HoldGate = "segment_4_judgement" | "licence_breach_evidence";

export interface Held {
  eligible_segment: Segment;
  held_at: Segment;
  /** The gates that hold it, in the order applied. */
  gates: HoldGate[];
  /** Plain English: what is missing, and for which segment. */
  reason: string;
}

export interface Proposal {
  eligible_segment: Segment;
  proposed_segment: Segment;
  held: Held | null;
  sentence: string;
  segments: SegmentEligibility[];
  theme_needs: ThemeNeed[];
  /** Null when the organisation's kind is not one the licence-breach rule holds for. */
  licence_breach: LicenceBreachCheck | null;
  considerations: ExplanationNode[];
  /** Where the criteria stand in for a framework's own (framework `criteria_source`). */
  criteria_source: string | null;
}

export function eligibilityCriteriaOf(framework: Framework): EligibilityCriteria {
  if (framework.criteria.method !== "eligibility") {
    throw new RangeError(
      `${framework.id} segments by ${framework.criteria.method} criteria, not eligibility criteria`,
    );
  }
  return framework.criteria;
}

export function asSegment(value: number, what: string): Segment {
  if (value === 1 || value === 2 || value === 3 || value === 4) return value;
  throw new RangeError(`${what} is segment ${value}; eligibility frameworks have segments 1 to 4`);
}

// Module-level helpers rather than closures in the functions below: those run for every
// organisation, and again at every re-assessment.
function segmentName(framework: Framework, segment: number): string {
  return framework.segments.find((s) => s.segment === segment)?.name ?? `Segment ${segment}`;
}

function fired(list: readonly CriterionResult[]): CriterionResult[] {
  return list.filter((c) => c.status === "fired");
}

function labels(list: readonly CriterionResult[]): string {
  return listOf(list.map((c) => inSentence(c.label)));
}

/** Whether a fired criterion bears on the theme (null: on no theme, organisation-wide). */
function touches(c: CriterionResult, theme: string | null): boolean {
  return theme === null ? c.themes.length === 0 : c.themes.includes(theme);
}

/**
 * Every criterion of the framework for one organisation, grouped by segment. With a memo, each
 * criterion is remembered by the facts it reads (memo.ts): the theme criteria theme by theme,
 * the dramatic drop by the series' SPC, the finance criteria by the finance metrics, the CQC and
 * judgement criteria by the rating and the records.
 */
export function evaluateCriteria(
  framework: Framework,
  facts: OrganisationFacts,
  memo: Memo = NO_MEMO,
): SegmentEligibility[] {
  const criteria = eligibilityCriteriaOf(framework);
  // A session replaces a metric's facts in place, never adding or dropping one: an
  // organisation's layout is remembered by the organisation.
  const layout = memo.getOne("layout", facts.organisation, () => metricLayout(framework, facts));
  const tallies = themeTallies(facts, layout.themes, memo);
  const trust = isProvider(facts.organisation);
  const judged = metricsAt(facts, layout.judged);
  const finance = metricsAt(facts, layout.finance);
  const segment1 = [topQuartileThemes(criteria, tallies, memo)];
  if (criteria.segment_1.require_balanced_finance) {
    segment1.push(
      memo.get("segment_1.balanced_finance", finance, () => balancedFinance(criteria, facts)),
    );
  }
  if (trust) {
    segment1.push(memo.getOne("segment_1.cqc_good", facts.cqc, () => cqcGood(criteria, facts)));
  }
  const segment3 = [
    bottomQuartileThemes(criteria, tallies, memo),
    memo.get(
      "segment_3.dramatic_drop",
      [...judged.map((m) => m.spc), ...judged.map((m) => m.current)],
      () => dramaticDrop(criteria, judged),
    ),
    sustainedBottomDecile(criteria, judged, memo),
    memo.get("segment_3.finance", finance, () => materialDeficit(criteria, facts)),
  ];
  if (trust) {
    segment3.push(
      memo.getOne("segment_3.cqc_requires_improvement", facts.cqc, () =>
        cqcRequiresImprovement(criteria, facts),
      ),
    );
  }
  const segment4: CriterionResult[] = [];
  if (trust) {
    segment4.push(
      memo.getOne("segment_4.cqc_inadequate", facts.cqc, () => cqcInadequate(criteria, facts)),
    );
  }
  segment4.push(
    memo.get("segment_4.significant_deficit", finance, () => significantDeficit(criteria, facts)),
    ...memo.getOne("segment_4.judgements", facts.judgements, () =>
      judgementCriteria(criteria, facts),
    ),
  );
  // The verdicts and their sentences read only each criterion's label and status: remembered by
  // those, as a new value changes the criteria's evidence far more often than their outcome.
  const verdicts = memo.get("segment_verdicts", outcomesOf(segment1, segment3, segment4), () =>
    segmentVerdicts(segment1, segment3, segment4),
  );
  return [
    {
      segment: 1,
      name: segmentName(framework, 1),
      rule: "all_of",
      eligible: verdicts.eligible1,
      sentence: verdicts.sentence1,
      criteria: segment1,
    },
    {
      segment: 3,
      name: segmentName(framework, 3),
      rule: "any_of",
      eligible: verdicts.eligible3,
      sentence: verdicts.sentence3,
      criteria: segment3,
    },
    {
      segment: 4,
      name: segmentName(framework, 4),
      rule: "segment_3_and_any_of",
      eligible: verdicts.eligible4,
      sentence: verdicts.sentence4,
      criteria: segment4,
    },
  ];
}

/** Each criterion's label and status, segment by segment: all that segmentVerdicts reads. */
function outcomesOf(...segments: readonly CriterionResult[][]): unknown[] {
  const outcomes: unknown[] = [];
  for (const list of segments) {
    outcomes.push(list.length);
    for (const c of list) outcomes.push(c.label, c.status);
  }
  return outcomes;
}

interface SegmentVerdicts {
  eligible1: boolean;
  sentence1: string;
  eligible3: boolean;
  sentence3: string;
  eligible4: boolean;
  sentence4: string;
}

function segmentVerdicts(
  segment1: readonly CriterionResult[],
  segment3: readonly CriterionResult[],
  segment4: readonly CriterionResult[],
): SegmentVerdicts {
  const all1 = segment1.every((c) => c.status === "fired");
  const not1 = segment1.filter((c) => c.status !== "fired");
  const any3 = fired(segment3).length > 0;
  const blind3 = segment3.filter((c) => c.status === "not_assessable");
  const any4 = fired(segment4).length > 0;
  return {
    eligible1: all1,
    sentence1: all1
      ? `Eligible for segment 1: all ${plural(segment1.length, "criterion", "criteria")} fired.`
      : `Not eligible for segment 1: ${labels(not1)} ${not1.length === 1 ? "is" : "are"} not met or not assessable.`,
    eligible3: any3,
    sentence3: any3
      ? `Eligible for segment 3: ${labels(fired(segment3))}.`
      : `Not eligible for segment 3: no segment 3 criterion fired` +
        (blind3.length > 0 ? ` (${labels(blind3)} not assessable).` : "."),
    eligible4: any3 && any4,
    sentence4:
      any3 && any4
        ? `Eligible for segment 4: segment 3 criteria met, and ${labels(fired(segment4))}.`
        : any4
          ? `Not eligible for segment 4: ${labels(fired(segment4))} fired, but segment 4 also needs a segment 3 criterion, and none fired.`
          : "Not eligible for segment 4: no segment 4 criterion fired.",
  };
}

/** Each theme's need, and one organisation-wide need for fired criteria with no theme. */
function themeNeeds(
  framework: Framework,
  segments: readonly SegmentEligibility[],
  eligible: Segment,
  defaultSegment: Segment,
): ThemeNeed[] {
  const [, s3, s4] = segments as [SegmentEligibility, SegmentEligibility, SegmentEligibility];
  const fired3 = s3.criteria.filter((c) => c.status === "fired");
  // Segment 4 criteria count only with the segment 3 criteria (Table 3).
  const fired4 = s3.eligible ? s4.criteria.filter((c) => c.status === "fired") : [];
  const need = (theme: string | null, name: string): ThemeNeed => {
    const at4 = fired4.filter((c) => touches(c, theme));
    const at3 = fired3.filter((c) => touches(c, theme));
    const drivers = at4.length > 0 ? at4 : at3;
    const segment: Segment =
      at4.length > 0 ? 4 : at3.length > 0 ? 3 : eligible === 1 ? 1 : defaultSegment;
    const sentence =
      drivers.length > 0
        ? `${name}: segment ${segment}, on ${listOf(drivers.map((c) => inSentence(c.label)))}.`
        : segment === 1
          ? `${name}: segment 1, no support need.`
          : `${name}: segment ${segment}, the default: no segment 3 or 4 criterion fired here.`;
    return { theme, name, segment, criteria: drivers.map((c) => c.id), sentence };
  };
  const needs = framework.themes.filter((t) => !t.contextual).map((t) => need(t.id, t.name));
  const orgWide = need(null, "Organisation-wide");
  if (orgWide.criteria.length > 0) needs.push(orgWide);
  return needs;
}

/**
 * All that themeNeeds reads, as a list to remember it by: the eligible segment, and the id,
 * label and themes of each fired criterion that counts. A new value mostly leaves these as they
 * were while the criteria's evidence changes.
 */
function needsInputs(segments: readonly SegmentEligibility[], eligible: Segment): unknown[] {
  const [, s3, s4] = segments as [SegmentEligibility, SegmentEligibility, SegmentEligibility];
  const inputs: unknown[] = [eligible];
  const add = (c: CriterionResult): void => {
    if (c.status !== "fired") return;
    inputs.push(c.id, c.label, c.themes.length);
    for (const theme of c.themes) inputs.push(theme);
  };
  s3.criteria.forEach(add);
  // Segment 4 criteria count only with the segment 3 criteria (Table 3).
  inputs.push(s3.eligible);
  if (s3.eligible) s4.criteria.forEach(add);
  return inputs;
}

/** The whole proposal for one organisation. */
export function proposeSegment(
  framework: Framework,
  facts: OrganisationFacts,
  memo: Memo = NO_MEMO,
): Proposal {
  const criteria = eligibilityCriteriaOf(framework);
  const defaultSegment = asSegment(criteria.default_segment, "the default segment");
  const segments = evaluateCriteria(framework, facts, memo);
  const [s1, s3, s4] = segments as [SegmentEligibility, SegmentEligibility, SegmentEligibility];
  const eligible: Segment = s4.eligible ? 4 : s3.eligible ? 3 : s1.eligible ? 1 : defaultSegment;
  const needs = memo.get("theme_needs", needsInputs(segments, eligible), () =>
    themeNeeds(framework, segments, eligible, defaultSegment),
  );
  const greatest = needs.filter((n) => n.segment === eligible && n.criteria.length > 0);

  // Gate (a): segment 4 only on a recorded judgement, where the framework says so (SOF §4).
  const needs4 = criteria.segment_4.proposal_requires_judgement;
  const judged4 =
    needs4 === undefined ||
    s4.criteria.some(
      (c) => c.status === "fired" && needs4.some((kind) => c.id === `segment_4.judgement.${kind}`),
    );
  const gates: HoldGate[] = [];
  let proposed: Segment = eligible;
  if (eligible === 4 && !judged4) {
    proposed = 3;
    gates.push("segment_4_judgement");
  }
  // Gate (b): mandated segments only with licence-breach evidence (Annex A §12, Table 2).
  const licence = licenceBreachCheck(criteria, facts, proposed);
  if (licence?.required && !licence.evidence_recorded) {
    proposed = holdingSegment(criteria, proposed, defaultSegment);
    gates.push("licence_breach_evidence");
  }
  const held: Held | null =
    gates.length === 0
      ? null
      : {
          eligible_segment: eligible,
          held_at: proposed,
          gates,
          reason: holdReason(framework, eligible, proposed, gates),
        };
  const name = segmentName(framework, proposed);
  const head = `Proposed segment ${proposed} (${name})`;
  const where = listOf(greatest.map((n) => inSentence(n.name)));
  let sentence: string;
  if (held) {
    const found = fired(eligible === 4 ? [...s3.criteria, ...s4.criteria] : s3.criteria);
    sentence =
      `${head}. The data meet the criteria for segment ${eligible} (${segmentName(framework, eligible)})` +
      `${where ? ` in ${where}` : ""} — ${labels(found)} — so it is eligible to be considered for ` +
      `segment ${eligible}; ${held.reason}.`;
  } else if (eligible >= 3) {
    sentence = `${head}: the greatest need across themes is segment ${eligible}, in ${where}.`;
  } else if (eligible === 1) {
    sentence = `${head}: every segment 1 criterion is met and no segment 3 criterion is.`;
  } else {
    sentence = `${head}, the default: no criterion for another segment is met.`;
  }
  return {
    eligible_segment: eligible,
    proposed_segment: proposed,
    held,
    sentence,
    segments,
    theme_needs: needs,
    licence_breach: licence,
    considerations: memo.getOne("considerations", facts.judgements, () =>
      considerations(criteria, facts),
    ),
    criteria_source: criteria.criteria_source ?? null,
  };
}

/** What holds the proposal below the eligible segment, in plain English. */
function holdReason(
  framework: Framework,
  eligible: Segment,
  heldAt: Segment,
  gates: readonly HoldGate[],
): string {
  const parts: string[] = [];
  if (gates.includes("segment_4_judgement"))
    parts.push(
      `segment 4 (${segmentName(framework, 4)}) is proposed only on a recorded judgement or a CQC ` +
        "recommendation, and none is recorded",
    );
  if (gates.includes("licence_breach_evidence"))
    parts.push(
      `mandated support (segment ${gates.includes("segment_4_judgement") ? 3 : eligible}) needs ` +
        "recorded evidence of actual or suspected breach of the licence (or the equivalent for an " +
        "NHS trust), and none is recorded",
    );
  return `it is proposed for segment ${heldAt} because ${parts.join("; and ")}`;
}

/** The highest segment below `eligible` that needs no licence-breach evidence. */
function holdingSegment(
  criteria: EligibilityCriteria,
  eligible: Segment,
  defaultSegment: Segment,
): Segment {
  for (let s = eligible - 1; s >= 1; s--) {
    if (!criteria.licence_breach_required_for.includes(s)) return asSegment(s, "the hold");
  }
  return defaultSegment;
}

function licenceBreachCheck(
  criteria: EligibilityCriteria,
  facts: OrganisationFacts,
  eligible: Segment,
): LicenceBreachCheck | null {
  if (!criteria.licence_breach_required_kinds.includes(facts.organisation.kind)) return null;
  const records = facts.judgements.filter((j) => j.kind === "licence_breach_evidence");
  const required = criteria.licence_breach_required_for.includes(eligible);
  const segmentsNeeding = listOf(criteria.licence_breach_required_for.map(String));
  const sentence =
    records.length > 0
      ? `Evidence of actual or suspected licence breach ${listOf(
          records.map((j) => `recorded by ${j.recorded_by} on ${j.recorded_on}: "${j.summary}"`),
        )}.`
      : `No evidence of actual or suspected licence breach (or the equivalent for an NHS trust) is recorded: segments ${segmentsNeeding} need it (Annex A §12, Table 2).`;
  return {
    required,
    evidence_recorded: records.length > 0,
    sentence,
    evidence: records.map(judgementEvidence),
  };
}
