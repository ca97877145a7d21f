/**
 * The API's request and response schemas (zod): the validators, the response serialisers and,
 * through @fastify/swagger, the OpenAPI document are all made from these.
 */
import { z } from "zod";
import { JUDGEMENT_KINDS } from "../../domain/frameworks/schema.js";
import { ORG_KINDS, SECTORS } from "../../domain/organisations/organisation.js";
import { isCalendarDate } from "../../domain/shared/dates.js";
import { CONFIDENTIALITY_LEVELS } from "../../domain/access/policy.js";
import { NewJudgement } from "../../services/judgements.js";
import {
  NewConsideration,
  NewDecision,
  NewNote,
  NewRecommendation,
  NoteChange,
} from "../../services/workflow.js";
import { NewEnforcementEvent } from "../../services/enforcement.js";
import { ENFORCEMENT_EVENT_KINDS } from "../../domain/enforcement/events.js";
import { DECISION_BODIES } from "../../domain/workflow/index.js";

export const CalendarDateSchema = z
  .string()
  .refine(isCalendarDate, "must be a date YYYY-MM-DD")
  .meta({ format: "date", examples: ["2024-06-01"] });

export const OrgCodeSchema = z
  .string()
  .regex(/^[A-Za-z0-9]{1,10}$/, "must be an ODS code: 1–10 letters or digits")
  .meta({ examples: ["RJ7"] });

const FrameworkIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, "must be a framework id such as nof-2025")
  .meta({ examples: ["nof-2025"] });

const Segment = z.literal([1, 2, 3, 4]);
/** NHS OF 2025/26 adds segment 5, the Recovery Support Programme. */
const ScoredSegment = z.literal([1, 2, 3, 4, 5]);

// ---- requests --------------------------------------------------------------------------------

const asOf = CalendarDateSchema.optional().describe(
  "The day to see things as on (Europe/London); default today",
);

export const AsOfQuery = z.object({ as_of: asOf }).strict();
export const AssessmentQuery = z
  .object({
    as_of: asOf,
    framework: FrameworkIdSchema.optional().describe(
      "A framework version id; default the one in force on as_of",
    ),
  })
  .strict();
export const OrgParams = z.object({ code: OrgCodeSchema }).strict();
export const FrameworkParams = z.object({ id: FrameworkIdSchema }).strict();
export const JudgementsQuery = z
  .object({ org: OrgCodeSchema.optional().describe("Only this organisation's judgements") })
  .strict();

/** The author of a judgement is the actor recording it, never a field of the request. */
export const NewJudgementBody = NewJudgement.omit({ recorded_by: true });

// ---- responses -------------------------------------------------------------------------------

export const OrganisationSchema = z.object({
  code: z.string(),
  name: z.string(),
  kind: z.enum(ORG_KINDS),
  sector: z.enum(SECTORS).nullable(),
  region: z.string(),
  regionName: z.string(),
  icbCode: z.string().nullable(),
  icbName: z.string().nullable(),
  openDate: z.string(),
  closeDate: z.string().nullable(),
});

export const OrganisationListSchema = z.object({
  as_of: z.string(),
  organisations: z.array(OrganisationSchema),
});

export const CurrentSegmentSchema = z
  .object({
    segment: z.union([ScoredSegment, z.null()]),
    basis: z
      .enum(["decided", "proposed"])
      .describe(
        "`decided`: the segment history's entry in effect on the date. `proposed`: none has been decided, so the assessment engine's proposal, which is not a decision.",
      ),
    framework_id: z.string(),
    as_of: z.string(),
    sentence: z.string(),
    decision: z
      .object({
        effective_from: z.string(),
        deciding_body: z.string(),
        decision_reference: z.string(),
      })
      .nullable()
      .describe("The decision behind a decided segment; null for a proposal"),
  })
  .nullable()
  .describe(
    "Null when nothing has been decided and no framework in force on the date assesses this kind of organisation",
  );

export const OrganisationDetailSchema = z.object({
  as_of: z.string(),
  organisation: OrganisationSchema,
  current_segment: CurrentSegmentSchema,
});

const OrgRef = z.object({
  code: z.string(),
  name: z.string(),
  kind: z.enum(ORG_KINDS),
  sector: z.enum(SECTORS).nullable(),
  region: z.string(),
  icb_code: z.string().nullable(),
});

/** A node of the explanation tree; its evidence and children are shaped as this node. */
const ExplanationNode = z.looseObject({
  id: z.string(),
  label: z.string(),
  status: z.string(),
  sentence: z.string(),
  evidence: z.array(z.looseObject({ type: z.string() })),
  children: z.array(z.looseObject({})),
});

export const EligibilityAssessment = z.looseObject({
  organisation: OrgRef,
  framework: z.object({ id: z.string(), short_name: z.string() }),
  as_of: z.string(),
  proposed_segment: Segment,
  eligible_segment: Segment,
  held: z.looseObject({}).nullable(),
  sentence: z.string(),
  segments: z.array(z.looseObject({})).describe("The explanation tree, segment by segment"),
  theme_needs: z.array(z.looseObject({})),
  licence_breach: z.looseObject({}).nullable(),
  considerations: z.array(ExplanationNode),
  metrics: z.array(z.looseObject({ metric_id: z.string(), sentence: z.string() })),
  paths: z
    .array(
      z.looseObject({
        from_segment: Segment,
        target_segment: Segment,
        direction: z.enum(["better", "worse"]),
        sentence: z.string(),
        requirement: z.looseObject({ sentence: z.string(), needed: z.number() }),
      }),
    )
    .describe("The way out: what would have to be true for each better segment"),
});

export const ScoredAssessment = z.looseObject({
  organisation: OrgRef,
  framework: z.object({ id: z.string(), short_name: z.string() }),
  as_of: z.string(),
  segmented: z.boolean(),
  average_score: z.number().nullable(),
  final_segment: z.union([ScoredSegment, z.null()]),
  sentence: z.string(),
  metric_scores: z.array(z.looseObject({ metric_id: z.string(), sentence: z.string() })),
  domain_scores: z.array(z.looseObject({ theme: z.string(), score: z.number() })),
  explanation: z.array(ExplanationNode),
  paths: z
    .array(
      z.looseObject({
        from_segment: ScoredSegment,
        target_segment: ScoredSegment,
        reachable: z.boolean(),
        sentence: z.string(),
      }),
    )
    .describe("The way out: the metric moves that would reach each better segment"),
});

export const AssessmentResponseSchema = z.discriminatedUnion("method", [
  z.object({
    method: z.literal("eligibility").describe("SOF 2016, NHS OF 2022/23"),
    framework: z.object({ id: z.string(), name: z.string(), short_name: z.string() }),
    as_of: z.string(),
    assessment: EligibilityAssessment,
    warnings: z.array(z.string()),
  }),
  z.object({
    method: z.literal("scored").describe("NHS OF 2025/26"),
    framework: z.object({ id: z.string(), name: z.string(), short_name: z.string() }),
    as_of: z.string(),
    assessment: ScoredAssessment,
    warnings: z.array(z.string()),
  }),
]);

export const FrameworkSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  short_name: z.string(),
  in_force_from: z.string(),
  in_force_to: z.string().nullable(),
  method: z.enum(["eligibility", "scored"]),
  organisation_kinds: z.array(z.enum(ORG_KINDS)),
});

export const JudgementSchema = z.object({
  id: z.number().int(),
  org_code: z.string(),
  kind: z.enum(JUDGEMENT_KINDS),
  summary: z.string(),
  theme: z.string().nullable(),
  recorded_by: z.string(),
  recorded_on: z.string(),
  ends_on: z.string().nullable(),
  confidentiality: z.enum(CONFIDENTIALITY_LEVELS),
});

// ---- workflow writes -------------------------------------------------------------------------

const VersionField = z
  .number()
  .int()
  .min(1)
  .max(2 ** 31 - 1)
  .describe("The version the client read: if the record has moved on, the write is a 409");

export const RecommendationIdParams = z
  .object({
    id: z.coerce
      .number()
      .int()
      .min(1)
      .max(2 ** 53 - 1),
  })
  .strict();

/** A new draft recommendation; its proposer is the acting user, never a field of the request. */
export const NewRecommendationBody = NewRecommendation;

export const VersionBody = z.object({ version: VersionField }).strict();

/** A decision on the recommendation in the path; its recorder defaults to the acting user. */
export const DecisionBodySchema = NewDecision.omit({
  recommendation_id: true,
  expected_version: true,
})
  .extend({ version: VersionField })
  .strict();

export const DecisionsQuery = z
  .object({
    org: OrgCodeSchema.optional().describe("Only decisions on this organisation"),
    body: z.enum(DECISION_BODIES).optional().describe("Only decisions by this body"),
  })
  .strict();

export const NewNoteBody = NewNote.omit({ org_code: true });

/** A change to a note: its text or confidentiality, at the version read. */
export const NoteChangeBody = NoteChange.extend({ version: VersionField }).strict();

export const NoteIdParams = RecommendationIdParams;

/** The RSG's (or another body's) consideration before the deciding body takes the recommendation. */
export const ConsiderationBodySchema = NewConsideration.omit({
  recommendation_id: true,
  expected_version: true,
})
  .extend({ version: VersionField })
  .strict();

export const ConsiderationSchema = z.object({
  id: z.number().int(),
  recommendation_id: z.number().int(),
  body: z.enum(DECISION_BODIES),
  considered_by: z.string(),
  considered_on: z.string(),
  view: z.enum(["supports", "does_not_support"]),
  reference: z.string(),
  note: z.string().nullable(),
});

export const NewEnforcementEventBody = NewEnforcementEvent.omit({ org_code: true });

export const EnforcementEventSchema = z.object({
  id: z.number().int(),
  org_code: z.string(),
  kind: z.enum(ENFORCEMENT_EVENT_KINDS),
  occurred_on: z.string(),
  reference: z.string().nullable(),
  summary: z.string(),
  confidentiality: z.enum(CONFIDENTIALITY_LEVELS),
  recorded_by: z.string(),
});

export const DecisionSchema = z.object({
  id: z.number().int(),
  recommendation_id: z.number().int(),
  body: z.enum(DECISION_BODIES),
  decided_by: z.string(),
  decided_on: z.string(),
  outcome: z.enum(["agreed", "rejected", "amended"]),
  resulting_segment: z.union([ScoredSegment, z.null()]),
  reference: z.string(),
  exit_criteria_met: z.boolean(),
  exit_criteria_evidence: z.string().nullable(),
  public_rationale: z
    .string()
    .nullable()
    .describe("The short summary of reasons published with the segment (docs/domain.md §12)"),
});

export const SegmentHistoryEntrySchema = z.object({
  id: z.number().int(),
  org_code: z.string(),
  segment: ScoredSegment,
  effective_from: z.string(),
  deciding_body: z.enum(DECISION_BODIES),
  decision_id: z.number().int().nullable(),
  decision_reference: z.string(),
  framework_id: z.string(),
  data_as_at: z.string(),
  assessment_snapshot: z.unknown().describe("The assessment the decision rested on"),
  recorded_by: z.string(),
});

export const NoteSchema = z.object({
  id: z.number().int(),
  org_code: z.string(),
  author: z.string(),
  source: z.string(),
  body: z.string(),
  confidentiality: z.enum(CONFIDENTIALITY_LEVELS),
  version: z.number().int(),
});
