/** /api/organisations: the registry as on a date, one organisation, and its assessment. */
import type { z } from "zod";
import type { WorkflowActor } from "../../services/authorise.js";
import type { ServiceContext } from "../../services/context.js";
import { currentSegment } from "../../services/workflow.js";
import type { CalendarDate } from "../../domain/shared/dates.js";
import { decideAccess } from "../../domain/access/policy.js";
import { placementOf } from "../../services/authorise.js";
import { assessFor, isScoredRun, proposedSegment } from "../../services/assessment.js";
import { NotFoundError } from "../../services/errors.js";
import { getOrganisation, listOrganisations } from "../../services/organisations.js";
import { resolveActor } from "./actor.js";
import { ERROR_RESPONSES } from "./errors.js";
import {
  AsOfQuery,
  AssessmentQuery,
  AssessmentResponseSchema,
  CurrentSegmentSchema,
  EligibilityAssessment,
  OrganisationDetailSchema,
  OrganisationListSchema,
  OrgParams,
  ScoredAssessment,
} from "./schemas.js";
import type { ApiInstance, ApiOptions } from "./types.js";

/** The segment decided in effect on `asOf`; failing that, the engine's proposal, marked so. */
async function segmentOn(
  ctx: ServiceContext,
  actor: WorkflowActor,
  code: string,
  asOf: CalendarDate,
): Promise<z.output<typeof CurrentSegmentSchema>> {
  const decided = await currentSegment(ctx, actor, code, asOf);
  if (decided)
    return {
      segment: decided.segment,
      basis: "decided",
      framework_id: decided.framework_id,
      as_of: asOf,
      sentence: `Segment ${decided.segment} from ${decided.effective_from}, decided by ${decided.deciding_body} (${decided.decision_reference}).`,
      decision: {
        effective_from: decided.effective_from,
        deciding_body: decided.deciding_body,
        decision_reference: decided.decision_reference,
      },
    };
  // The engine's proposal is not published: only those who may read assessments see it.
  if (!decideAccess(actor, "assessment:read", await placementOf(ctx, code)).allowed) return null;
  const proposed = await proposedSegment(ctx, code, asOf, actor);
  return proposed && { ...proposed, basis: "proposed", decision: null };
}

export function organisationRoutes(api: ApiInstance, { ctx, today }: ApiOptions): void {
  api.get(
    "/organisations",
    {
      schema: {
        summary: "The organisations open on a date",
        tags: ["organisations"],
        querystring: AsOfQuery,
        response: { 200: OrganisationListSchema, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      resolveActor(request);
      const asOf = (request.query.as_of as CalendarDate | undefined) ?? today();
      return { as_of: asOf, organisations: await listOrganisations(ctx, asOf) };
    },
  );

  api.get(
    "/organisations/:code",
    {
      schema: {
        summary: "One organisation as on a date, with its current segment",
        tags: ["organisations"],
        params: OrgParams,
        querystring: AsOfQuery,
        response: { 200: OrganisationDetailSchema, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const actor = resolveActor(request);
      const asOf = (request.query.as_of as CalendarDate | undefined) ?? today();
      const organisation = await getOrganisation(ctx, request.params.code, asOf);
      return {
        as_of: asOf,
        organisation,
        current_segment: await segmentOn(ctx, actor, organisation.code, asOf),
      };
    },
  );

  api.get(
    "/organisations/:code/assessment",
    {
      schema: {
        summary: "The assessment engine's proposal for one organisation: explanation and path",
        tags: ["organisations"],
        params: OrgParams,
        querystring: AssessmentQuery,
        response: { 200: AssessmentResponseSchema, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const actor = resolveActor(request);
      const asOf = (request.query.as_of as CalendarDate | undefined) ?? today();
      const organisation = await getOrganisation(ctx, request.params.code, asOf);
      const run = await assessFor(ctx, actor, {
        asOf,
        orgCode: organisation.code,
        ...(request.query.framework ? { frameworkId: request.query.framework } : {}),
      });
      if (run.assessments.length !== 1)
        throw new NotFoundError(`no assessment of ${organisation.code} under ${run.framework.id}`);
      const common = { framework: run.framework, as_of: run.as_of, warnings: run.warnings };
      // The engine's interfaces have no index signature; the response schema checks the shape.
      return isScoredRun(run)
        ? {
            method: "scored" as const,
            ...common,
            assessment: run.assessments[0] as unknown as z.output<typeof ScoredAssessment>,
          }
        : {
            method: "eligibility" as const,
            ...common,
            assessment: run.assessments[0] as unknown as z.output<typeof EligibilityAssessment>,
          };
    },
  );
}
