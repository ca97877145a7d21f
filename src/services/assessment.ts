/**
 * Use case: assess organisations under a framework version as at a date. Loads what the engine
 * needs from the store — the organisations open then, every observation of the framework's
 * metrics for periods ended by then, CQC ratings published by then, judgements in effect — and
 * hands it to the pure engine. The same data gives the same assessment.
 */
import { CLEARANCE, type Confidentiality } from "../domain/access/policy.js";
import { memoised } from "./result-cache.js";
import { assessOrganisations, type AssessmentRun } from "../domain/assessment/index.js";
import type { Framework } from "../domain/frameworks/schema.js";
import { isOpenOn, type Organisation } from "../domain/organisations/organisation.js";
import { findOrganisationLifespan, openOnCondition } from "../store/organisations.js";
import { isCalendarDate, type CalendarDate } from "../domain/shared/dates.js";
import type { AssessmentInput } from "../domain/assessment/index.js";
import { assessScored } from "../domain/assessment/scored.js";
import type { ScoredAssessmentRun } from "../domain/assessment/scored-types.js";
import { authorise, maySee, scopeFilter, type Actor } from "./authorise.js";
import type { ServiceContext } from "./context.js";

/** Why an assessment cannot be made, so an adapter can answer 400 or 404. */
export type AssessmentRefusal =
  | "bad_date"
  | "unknown_framework"
  | "no_framework_in_force"
  | "unknown_organisation"
  | "not_assessed";

export class AssessmentRequestError extends Error {
  constructor(
    message: string,
    readonly reason: AssessmentRefusal,
  ) {
    super(message);
    this.name = "AssessmentRequestError";
  }
}

export function frameworkFor(
  ctx: ServiceContext,
  asOf: CalendarDate,
  frameworkId?: string,
): Framework {
  const framework = frameworkId ? ctx.frameworks.get(frameworkId) : ctx.frameworks.inForceOn(asOf);
  if (!framework)
    throw new AssessmentRequestError(
      frameworkId
        ? `unknown framework "${frameworkId}" (known: ${ctx.frameworks.versions.map((f) => f.id).join(", ")})`
        : `no framework version is in force on ${asOf}`,
      frameworkId ? "unknown_framework" : "no_framework_in_force",
    );
  return framework;
}

/** Everything the engine reads, as known on `asOf`. */
export async function loadAssessmentInput(
  ctx: ServiceContext,
  framework: Framework,
  asOf: CalendarDate,
  viewer?: Actor,
): Promise<AssessmentInput> {
  const metricIds = framework.metrics.map((m) => m.id);
  const [organisations, observations, cqc, judgements] = await Promise.all([
    ctx.db.query<Organisation>(
      `SELECT code, name, kind, sector, region, icb_code AS "icbCode",
              open_date AS "openDate", close_date AS "closeDate"
         FROM organisations
        WHERE superseded_at IS NULL AND ${openOnCondition("$1")}
        ORDER BY code`,
      [asOf],
    ),
    ctx.db.query<AssessmentInput["observations"][number]>(
      `SELECT org_code, metric_id, period_start AS period, value
         FROM observations
        WHERE superseded_at IS NULL AND metric_id = ANY($1::text[]) AND period_end <= $2
        ORDER BY org_code, metric_id, period_start`,
      [metricIds, asOf],
    ),
    ctx.db.query<AssessmentInput["cqc_ratings"][number]>(
      `SELECT org_code, published_on, overall, well_led
         FROM cqc_ratings
        WHERE superseded_at IS NULL AND published_on <= $1
        ORDER BY org_code, published_on`,
      [asOf],
    ),
    ctx.db.query<AssessmentInput["judgements"][number] & { confidentiality: Confidentiality }>(
      `SELECT id::text AS id, org_code, kind, recorded_by, recorded_on, ends_on, summary, theme,
              confidentiality
         FROM judgements
        WHERE recorded_on <= $1
        ORDER BY org_code, recorded_on, id`,
      [asOf],
    ),
  ]);
  return {
    framework,
    as_of: asOf,
    // The engine assesses every organisation it is given: only the kinds the framework covers.
    organisations: organisations.filter((o) => framework.organisation_kinds.includes(o.kind)),
    observations,
    cqc_ratings: cqc,
    // requirements §6: the judgement counts as it was recorded; its text is shown only to a viewer
    // cleared for its level (the engine quotes it in explanations).
    judgements: judgements.map(({ confidentiality, ...j }) =>
      viewer && !maySee(viewer, confidentiality)
        ? { ...j, summary: `[withheld: ${confidentiality}]` }
        : j,
    ),
  };
}

/** An eligibility run (SOF 2016, NHS OF 2022/23) or a scored one (NHS OF 2025/26, `method: "scored"`). */
export type AnyAssessmentRun = AssessmentRun | ScoredAssessmentRun;

export function isScoredRun(run: AnyAssessmentRun): run is ScoredAssessmentRun {
  return "method" in run && run.method === "scored";
}

export async function assess(
  ctx: ServiceContext,
  options: { asOf: CalendarDate; frameworkId?: string; orgCode?: string; viewer?: Actor },
): Promise<AnyAssessmentRun> {
  if (!isCalendarDate(options.asOf))
    throw new AssessmentRequestError(
      `as-of date must be YYYY-MM-DD, not "${options.asOf}"`,
      "bad_date",
    );
  const framework = frameworkFor(ctx, options.asOf, options.frameworkId);
  // The national run, kept while the data is unchanged (result-cache.ts): one per clearance level, since
  // that is all the viewer changes (judgement text above it is withheld).
  const clearance = options.viewer ? CLEARANCE[options.viewer.role] : "all";
  const { organisations, run } = await memoised(
    ctx,
    `assess:${framework.id}:${options.asOf}:${clearance}`,
    async () => {
      const input = await loadAssessmentInput(ctx, framework, options.asOf, options.viewer);
      return {
        organisations: new Set(input.organisations.map((o) => o.code as string)),
        // A scored framework ranks each trust within its whole trust type: assess all.
        run: (framework.criteria.method === "scored"
          ? assessScored(input)
          : assessOrganisations(input)) as AnyAssessmentRun,
      };
    },
  );
  if (options.orgCode && !organisations.has(options.orgCode)) {
    const found = await findOrganisationLifespan(ctx.db, options.orgCode);
    const open =
      found &&
      isOpenOn(
        {
          openDate: found.open_date as CalendarDate,
          closeDate: found.close_date as CalendarDate | null,
        },
        options.asOf,
      );
    const org = open ? found : undefined;
    throw new AssessmentRequestError(
      org
        ? `${options.orgCode} (${org.kind}) is not assessed under ${framework.id}, which covers ${framework.organisation_kinds.join(", ")}`
        : `no organisation ${options.orgCode} open on ${options.asOf}`,
      org ? "not_assessed" : "unknown_organisation",
    );
  }
  const orgCode = options.orgCode;
  return orgCode ? onlyOrganisations(run, (code) => code === orgCode) : run;
}

/** The run with only the assessments of the organisations `keep` accepts (the run is shared). */
function onlyOrganisations(
  run: AnyAssessmentRun,
  keep: (code: string) => boolean,
): AnyAssessmentRun {
  // Two branches only so each keeps its own assessment type.
  if (isScoredRun(run))
    return { ...run, assessments: run.assessments.filter((a) => keep(a.organisation.code)) };
  return { ...run, assessments: run.assessments.filter((a) => keep(a.organisation.code)) };
}

/**
 * The assessment as `actor` may see it (requirements §6): staff in scope only, the organisations of
 * their scope only, judgement text above their clearance withheld.
 */
export async function assessFor(
  ctx: ServiceContext,
  actor: Actor,
  options: { asOf: CalendarDate; frameworkId?: string; orgCode?: string },
): Promise<AnyAssessmentRun> {
  await authorise(ctx, actor, "assessment:read", {
    type: "assessment",
    ...(options.orgCode !== undefined ? { org_code: options.orgCode } : {}),
  });
  const run = await assess(ctx, { ...options, viewer: actor });
  return onlyOrganisations(run, await scopeFilter(ctx, actor, "assessment:read"));
}

/** The segment the framework in force proposes for one organisation on a date, and why. */
export interface ProposedSegment {
  /** 1–4; 5 (NHS OF 2025/26: the Recovery Support Programme); null if not segmented. */
  segment: 1 | 2 | 3 | 4 | 5 | null;
  framework_id: string;
  as_of: string;
  sentence: string;
}

/**
 * The engine's proposal for `orgCode` on `asOf` under the framework then in force; null when no
 * framework is in force or the one in force does not assess this kind of organisation.
 */
export async function proposedSegment(
  ctx: ServiceContext,
  orgCode: string,
  asOf: CalendarDate,
  viewer?: Actor,
): Promise<ProposedSegment | null> {
  let run: AnyAssessmentRun;
  try {
    run = await assess(ctx, { asOf, orgCode, ...(viewer ? { viewer } : {}) });
  } catch (error) {
    if (
      error instanceof AssessmentRequestError &&
      (error.reason === "no_framework_in_force" || error.reason === "not_assessed")
    )
      return null;
    throw error;
  }
  if (isScoredRun(run)) {
    const a = run.assessments[0];
    return a
      ? {
          segment: a.final_segment,
          framework_id: run.framework.id,
          as_of: asOf,
          sentence: a.sentence,
        }
      : null;
  }
  const a = run.assessments[0];
  return a
    ? {
        segment: a.proposed_segment,
        framework_id: run.framework.id,
        as_of: asOf,
        sentence: a.sentence,
      }
    : null;
}
