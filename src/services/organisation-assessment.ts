/**
 * Use case: one organisation's assessment on a date with the path to every other segment (DOMAIN
 * §5: "what would have to change to move segment"), read from the memoised national run
 * (segmentation.ts) so a profile page costs no re-assessment.
 */
import {
  pathToSegment,
  type Assessment,
  type PathToSegment,
  type ScoredAssessment,
} from "../domain/assessment/index.js";
import type { Segment } from "../domain/criteria/types.js";
import type { CalendarDate } from "../domain/shared/dates.js";
import { AssessmentRequestError, isScoredRun } from "./assessment.js";
import { authorise, type WorkflowActor } from "./authorise.js";
import type { ServiceContext } from "./context.js";
import { assessmentRun } from "./segmentation.js";

export type OrganisationAssessment =
  | {
      method: "eligibility";
      framework: { id: string; name: string; short_name: string };
      assessment: Assessment;
      /** To each segment other than the proposed one, in segment order. */
      paths: PathToSegment[];
      warnings: string[];
    }
  | {
      method: "scored";
      framework: { id: string; name: string; short_name: string };
      assessment: ScoredAssessment;
      warnings: string[];
    };

/** Null when no framework is in force or the one in force does not assess this organisation. */
export async function organisationAssessment(
  ctx: ServiceContext,
  viewer: WorkflowActor,
  orgCode: string,
  asOf: CalendarDate,
): Promise<OrganisationAssessment | null> {
  // requirements §6: staff in scope only; judgement text above the viewer's clearance withheld.
  await authorise(ctx, viewer, "assessment:read", { type: "assessment", org_code: orgCode });
  let run;
  try {
    run = await assessmentRun(ctx, asOf, { viewer });
  } catch (error) {
    if (error instanceof AssessmentRequestError && error.reason === "no_framework_in_force")
      return null;
    throw error;
  }
  const warnings = run.warnings;
  if (isScoredRun(run)) {
    const assessment = run.assessments.find((a) => a.organisation.code === orgCode);
    return assessment ? { method: "scored", framework: run.framework, assessment, warnings } : null;
  }
  const assessment = run.assessments.find((a) => a.organisation.code === orgCode);
  if (!assessment) return null;
  const framework = ctx.frameworks.get(run.framework.id)!;
  const paths = framework.segments
    .map((s) => s.segment as Segment)
    .filter((s) => s !== assessment.proposed_segment)
    .map((target) => pathToSegment(framework, assessment, target));
  return { method: "eligibility", framework: run.framework, assessment, paths, warnings };
}
