/**
 * Recording that the body the routing rule names in `considered_first_by` has considered a
 * submitted recommendation (DOMAIN §6; SOF §4: requiring actions go to the PRC "having been
 * through an RSG"), with its view. Only that body, once, before the decision; the recommendation's
 * version moves on. Who considered it is the acting user, who must sit on that body.
 */
import { z } from "zod";
import { DECISION_BODIES } from "../../domain/workflow/index.js";
import {
  advanceRecommendation,
  findConsiderations,
  findRecommendation,
  insertConsideration,
  type ConsiderationRecord,
  type RecommendationRecord,
} from "../../store/recommendations.js";
import { authoriseBody } from "../authorise.js";
import { InvalidInputError, StaleWriteError } from "../errors.js";
import { calendarDate, expectedVersion, text } from "../input-schemas.js";
import { defineCommand } from "../kernel/command.js";
import { consideredFirstBy } from "./considerations.js";
import { recommendationOrNotFound } from "./read-recommendation.js";

export const NewConsideration = z
  .object({
    recommendation_id: z.number().int().positive(),
    expected_version: expectedVersion,
    body: z.enum(DECISION_BODIES),
    considered_on: calendarDate,
    view: z.enum(["supports", "does_not_support"]),
    reference: text,
    note: text.nullable().default(null),
  })
  .strict();

export const considerRecommendation = defineCommand({
  name: "recommendation.consider",
  input: NewConsideration,
  action: "recommendation:consider",
  resource: (c) => ({ type: "recommendation", id: String(c.recommendation_id) }),
  load: (ctx, c) => recommendationOrNotFound(ctx, c.recommendation_id),
  locate: (rec) => ({ org_code: rec.org_code }),
  prepare: async (ctx, actor, c, rec) => {
    const first = await consideredFirstBy(ctx, rec, c.considered_on);
    if (first === null || first !== c.body)
      throw new InvalidInputError(
        first === null
          ? `body: recommendation ${rec.id} goes straight to ${rec.routed_body} (rule ${rec.routing_rule_id}); no other body considers it first`
          : `body: recommendation ${rec.id} is considered first by ${first} (rule ${rec.routing_rule_id}), not ${c.body}`,
        [{ path: "body", message: `must be ${first ?? "none"}` }],
      );
    if (c.considered_on < rec.proposed_on)
      throw new InvalidInputError(
        `considered_on: ${c.considered_on} is before the recommendation was proposed (${rec.proposed_on})`,
      );
    // The acting user must sit on the body whose consideration is recorded (docs/access.md).
    await authoriseBody(ctx, actor, c.body, rec.org_code, {
      type: "recommendation",
      id: String(rec.id),
      org_code: rec.org_code,
    });
  },
  versioned: {
    lock: (tx, c) => findRecommendation(tx, c.recommendation_id, true),
    expected: (c) => c.expected_version,
    describe: (c) => `recommendation ${c.recommendation_id}`,
  },
  run: async ({
    tx,
    actor,
    input: c,
    locked: current,
    audit,
  }): Promise<{ recommendation: RecommendationRecord; consideration: ConsiderationRecord }> => {
    if (current.state !== "submitted")
      throw new InvalidInputError(
        `recommendation ${current.id} is ${current.state}: only a submitted recommendation is considered`,
      );
    if ((await findConsiderations(tx, current.id)).some((k) => k.body === c.body))
      throw new InvalidInputError(
        `recommendation ${current.id} has already been considered by ${c.body}`,
      );
    const consideration = await insertConsideration(tx, {
      recommendation_id: current.id,
      body: c.body,
      considered_by: actor.user,
      considered_on: c.considered_on,
      view: c.view,
      reference: c.reference,
      note: c.note,
    });
    const recommendation = await advanceRecommendation(tx, current.id, current.version);
    if (!recommendation)
      throw new StaleWriteError(`recommendation ${current.id} has changed`, current);
    await audit({
      action: "recommendation.considered",
      entity_type: "recommendation",
      entity_id: String(current.id),
      before: current,
      after: { ...recommendation, consideration },
    });
    return { recommendation, consideration };
  },
});
