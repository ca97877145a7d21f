/**
 * Recommendation and decision forms (staff; DOMAIN §6): a recommendation is made from an
 * organisation's current segment, routed by the framework's rules to the body that must decide
 * (shown with its citation), submitted, then decided by that body. Every form posts without
 * JavaScript; a refusal — a field left out, a body the rules do not route to, a guard — comes
 * back as the NHS.UK error summary with each message linked to its field.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import {
  DECISION_BODIES,
  ENFORCEMENT_ACTIONS,
  RECOMMENDATION_STATES,
} from "../../domain/workflow/index.js";
import { InvalidInputError, StaleWriteError, type FieldProblem } from "../../services/errors.js";
import { getOrganisation } from "../../services/organisations.js";
import { segmentationOn } from "../../services/segmentation.js";
import {
  considerRecommendation,
  consideredFirstBy,
  createRecommendation,
  decide,
  getRecommendation,
  listConsiderations,
  listDecisions,
  listRecommendations,
  submitRecommendation,
  withdrawRecommendation,
} from "../../services/workflow.js";
import type { WorkflowActor } from "../../services/authorise.js";
import { orgCode, parseInput, problemsOf } from "./query.js";
import { renderPage, staffViewer, type PageOptions } from "./render.js";

const ENFORCEMENT_LABELS: Record<(typeof ENFORCEMENT_ACTIONS)[number], string> = {
  none: "No formal enforcement action",
  seeking_actions: "Seeking actions from the provider (for example undertakings)",
  requiring_actions:
    "Requiring actions (discretionary requirements, licence conditions, directions)",
};

const csrf = z.string().optional();
const segmentField = z.enum(["1", "2", "3", "4", "5"], "Select the segment").transform(Number);
const requiredText = (what: string) =>
  z
    .string(`Enter ${what}`)
    .trim()
    .min(1, `Enter ${what}`)
    .max(5000, `${what} must be 5,000 characters or fewer`);
const optionalLongText = z
  .string()
  .trim()
  .max(5000, "must be 5,000 characters or fewer")
  .optional()
  .transform((s) => (s ? s : null));

const RecommendationForm = z
  .object({
    _csrf: csrf,
    org_code: orgCode,
    from_segment: segmentField,
    to_segment: segmentField,
    rationale: requiredText("the rationale"),
    proposed_support: optionalLongText,
    proposed_enforcement: z.enum(ENFORCEMENT_ACTIONS, "Select the enforcement action"),
  })
  .strict();

const DecisionForm = z
  .object({
    _csrf: csrf,
    expected_version: z.coerce.number().int().positive(),
    body: z.enum(DECISION_BODIES, "Select the body deciding"),
    outcome: z.enum(["agreed", "rejected", "amended"], "Select the outcome"),
    resulting_segment: z.preprocess((v) => (v === "" ? undefined : v), segmentField.optional()),
    reference: requiredText("the decision reference"),
    decided_on: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Enter the date as YYYY-MM-DD"),
    exit_criteria_met: z.enum(["yes"]).optional(),
    exit_criteria_evidence: optionalLongText,
    public_rationale: optionalLongText,
  })
  .strict();

const ConsiderationForm = z
  .object({
    _csrf: csrf,
    expected_version: z.coerce.number().int().positive(),
    view: z.enum(["supports", "does_not_support"], "Select the view"),
    reference: requiredText("the reference of the minute or paper"),
    considered_on: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Enter the date as YYYY-MM-DD"),
    note: optionalLongText,
  })
  .strict();

const VersionForm = z
  .object({ _csrf: csrf, expected_version: z.coerce.number().int().positive() })
  .strict();
const IdParams = z.object({
  id: z.coerce.number().int().positive("must be a recommendation number"),
});
const ListQuery = z
  .object({
    state: z.preprocess(
      (v) => (v === "" ? undefined : v),
      z.enum(RECOMMENDATION_STATES).optional(),
    ),
  })
  .strict();
const NewQuery = z.object({ org: orgCode }).strict();

/** The NHS.UK error summary's list: each problem linked to its field's id. */
function errorList(fields: FieldProblem[], message: string, fallback: string) {
  const list = fields.length
    ? fields.map((f) => ({ text: f.message, href: `#${f.path.split(".")[0] || fallback}` }))
    : [{ text: message, href: `#${fallback}` }];
  const byField = Object.fromEntries(fields.map((f) => [f.path.split(".")[0], f.message]));
  return { list, byField };
}

type FormBody = Record<string, unknown>;

export function recommendationPages(app: FastifyInstance, options: PageOptions): void {
  const { ctx, today } = options;

  async function renderNewForm(
    request: FastifyRequest,
    reply: FastifyReply,
    code: string,
    values: FormBody,
    errors: ReturnType<typeof errorList> | null,
  ) {
    const viewer = staffViewer(request);
    const asOf = today();
    const organisation = await getOrganisation(ctx, code, asOf);
    const segmentation = await segmentationOn(ctx, viewer, asOf);
    const current = segmentation.organisations.find((r) => r.organisation.code === code);
    const framework = segmentation.framework
      ? ctx.frameworks.get(segmentation.framework.id)
      : undefined;
    const from = Number(values.from_segment) || current?.segment || null;
    return renderPage(
      options,
      request,
      reply,
      "pages/recommendation-new.njk",
      {
        title: `${errors ? "Error: " : ""}Recommend a segment change – ${organisation.name}`,
        organisation,
        current,
        from,
        targets: (framework?.segments ?? []).filter((s) => s.segment !== from),
        enforcementLabels: ENFORCEMENT_LABELS,
        values,
        errors,
      },
      errors ? 400 : 200,
    );
  }

  app.get("/recommendations", async (request, reply) => {
    const viewer = staffViewer(request);
    const query = parseInput(ListQuery, request.query);
    const recommendations = await listRecommendations(
      ctx,
      viewer,
      query.state ? { state: query.state } : {},
    );
    return renderPage(options, request, reply, "pages/recommendations.njk", {
      title: "Recommendations",
      recommendations: [...recommendations].reverse(),
      states: RECOMMENDATION_STATES,
      query,
    });
  });

  app.get("/recommendations/new", async (request, reply) => {
    staffViewer(request);
    const { org } = parseInput(NewQuery, request.query);
    return renderNewForm(request, reply, org, {}, null);
  });

  app.post("/recommendations", async (request, reply) => {
    const viewer = staffViewer(request);
    const body = (request.body ?? {}) as FormBody;
    const code = parseInput(orgCode, body.org_code);
    const parsed = RecommendationForm.safeParse(body);
    if (!parsed.success)
      return renderNewForm(
        request,
        reply,
        code,
        body,
        errorList(problemsOf(parsed.error), "", "to_segment"),
      );
    const form = parsed.data;
    try {
      const created = await createRecommendation(ctx, viewer, {
        org_code: form.org_code,
        proposed_on: today(),
        from_segment: form.from_segment,
        to_segment: form.to_segment,
        rationale: form.rationale,
        proposed_support: form.proposed_support,
        proposed_enforcement: form.proposed_enforcement,
      });
      return reply.redirect(`/recommendations/${created.id}`, 303);
    } catch (error) {
      if (error instanceof InvalidInputError)
        return renderNewForm(
          request,
          reply,
          code,
          body,
          errorList(error.fields, error.message, "to_segment"),
        );
      throw error;
    }
  });

  async function renderRecommendation(
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    values: FormBody,
    errors: ReturnType<typeof errorList> | null,
  ) {
    const viewer = staffViewer(request);
    const recommendation = await getRecommendation(ctx, viewer, id);
    const organisation = await getOrganisation(
      ctx,
      recommendation.org_code,
      recommendation.proposed_on as never,
    );
    const decisions = (
      await listDecisions(ctx, viewer, { org_code: recommendation.org_code })
    ).filter((d) => d.recommendation_id === id);
    const framework = ctx.frameworks.get(recommendation.framework_id);
    // DOMAIN §6: whether it has been through the body that considers it first.
    const firstBy = await consideredFirstBy(ctx, recommendation);
    const considerations = firstBy ? await listConsiderations(ctx, viewer, id) : [];
    return renderPage(
      options,
      request,
      reply,
      "pages/recommendation.njk",
      {
        title: `${errors ? "Error: " : ""}Recommendation ${id} – ${organisation.name}`,
        recommendation,
        organisation,
        decisions,
        bodies: DECISION_BODIES,
        segments: framework?.segments ?? [],
        enforcementLabels: ENFORCEMENT_LABELS,
        firstBy,
        considered: considerations.find((c) => c.body === firstBy) ?? null,
        values: {
          body: recommendation.routed_body,
          decided_on: today(),
          considered_on: today(),
          ...values,
        },
        errors,
      },
      errors ? 400 : 200,
    );
  }

  app.get<{ Params: { id: string } }>("/recommendations/:id", async (request, reply) => {
    const { id } = parseInput(IdParams, request.params);
    return renderRecommendation(request, reply, id, {}, null);
  });

  for (const action of ["submit", "withdraw"] as const)
    app.post<{ Params: { id: string } }>(
      `/recommendations/:id/${action}`,
      async (request, reply) => {
        const viewer = staffViewer(request);
        const { id } = parseInput(IdParams, request.params);
        const { expected_version } = parseInput(VersionForm, request.body);
        try {
          await (action === "submit" ? submitRecommendation : withdrawRecommendation)(
            ctx,
            viewer,
            id,
            expected_version,
          );
        } catch (error) {
          if (error instanceof InvalidInputError || error instanceof StaleWriteError)
            return renderRecommendation(
              request,
              reply,
              id,
              {},
              errorList([], error.message, "actions"),
            );
          throw error;
        }
        return reply.redirect(`/recommendations/${id}`, 303);
      },
    );

  /**
   * A form posted on a recommendation's page: parsed, then `act`; a bad field, a refusal or a
   * stale version sends the page back with the NHS.UK error summary (linked to `fallback` when
   * no field is named), success back to the page.
   */
  function recommendationForm<S extends z.ZodType>(
    path: string,
    schema: S,
    fallback: string,
    act: (form: z.output<S>, viewer: WorkflowActor, id: number) => Promise<unknown>,
  ): void {
    app.post<{ Params: { id: string } }>(path, async (request, reply) => {
      const viewer = staffViewer(request);
      const { id } = parseInput(IdParams, request.params);
      const body = (request.body ?? {}) as FormBody;
      const parsed = schema.safeParse(body);
      if (!parsed.success)
        return renderRecommendation(
          request,
          reply,
          id,
          body,
          errorList(problemsOf(parsed.error), "", fallback),
        );
      try {
        await act(parsed.data, viewer, id);
      } catch (error) {
        if (error instanceof InvalidInputError || error instanceof StaleWriteError)
          return renderRecommendation(
            request,
            reply,
            id,
            body,
            errorList(
              error instanceof InvalidInputError ? error.fields : [],
              error.message,
              fallback,
            ),
          );
        throw error;
      }
      return reply.redirect(`/recommendations/${id}`, 303);
    });
  }

  recommendationForm(
    "/recommendations/:id/consideration",
    ConsiderationForm,
    "view",
    async (form, viewer, id) => {
      const recommendation = await getRecommendation(ctx, viewer, id);
      await considerRecommendation(ctx, viewer, {
        recommendation_id: id,
        expected_version: form.expected_version,
        // The body the rules name; the service refuses when there is none.
        body: (await consideredFirstBy(ctx, recommendation)) ?? recommendation.routed_body,
        considered_on: form.considered_on,
        view: form.view,
        reference: form.reference,
        note: form.note ?? null,
      });
    },
  );

  recommendationForm(
    "/recommendations/:id/decision",
    DecisionForm,
    "outcome",
    async (form, viewer, id) =>
      decide(ctx, viewer, {
        recommendation_id: id,
        expected_version: form.expected_version,
        body: form.body,
        decided_on: form.decided_on,
        outcome: form.outcome,
        ...(form.resulting_segment !== undefined
          ? { resulting_segment: form.resulting_segment }
          : {}),
        reference: form.reference,
        exit_criteria_met: form.exit_criteria_met === "yes",
        exit_criteria_evidence: form.exit_criteria_evidence,
        public_rationale: form.public_rationale,
      }),
  );
}
