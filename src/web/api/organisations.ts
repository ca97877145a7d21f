/** /api/organisations: the registry as on a date, one organisation, and its assessment. */
import type { z } from "zod";
import { segmentOn } from "../../services/segments/read-segments.js";
import type { CalendarDate } from "../../domain/shared/dates.js";
import { assessFor, isScoredRun } from "../../services/assessment.js";
import { NotFoundError } from "../../services/errors.js";
import { getOrganisation, listOrganisations } from "../../services/organisations.js";
import { resolveActor } from "./actor.js";
import { ERROR_RESPONSES } from "./errors.js";
import {
  AsOfQuery,
  AssessmentQuery,
  AssessmentResponseSchema,
  EligibilityAssessment,
  OrganisationDetailSchema,
  OrganisationListSchema,
  OrgParams,
  ScoredAssessment,
} from "./schemas.js";
import type { ApiInstance, ApiOptions } from "./api-instance.js";

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
