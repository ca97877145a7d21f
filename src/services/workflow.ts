/**
 * Use cases of the oversight workflow (Issue 4; DOMAIN §6, §7, §12): a recommendation is
 * routed to the body that must decide it, submitted, withdrawn or decided; a decision by the
 * wrong body, or one that fails a guard, is refused with the reason; an agreed or amended
 * decision appends to the organisation's segment history with a snapshot of the assessment it
 * rested on. Every change appends an audit event in the same transaction, and every write to a
 * mutable record names the version it read (a stale one is refused with the current state).
 */
import { z } from "zod";
import { isCalendarDate, type CalendarDate } from "../domain/shared/dates.js";
import type { Framework } from "../domain/frameworks/schema.js";
import type { OrgKind } from "../domain/organisations/organisation.js";
import {
  checkDecision,
  DECISION_BODIES,
  ENFORCEMENT_ACTIONS,
  outcomeEvent,
  RECOMMENDATION_STATES,
  routeDecision,
  transition,
  type DecisionBody,
  type EnforcementAction,
  type GuardRefusal,
  type RecommendationEvent,
  type RecommendationState,
  type WorkflowSegment,
} from "../domain/workflow/index.js";
import { CONFIDENTIALITY_LEVELS, type Confidentiality } from "../ingest/bundle.js";
import { inAuditedTransaction, sha256Hex, type NewAuditEvent } from "../store/audit.js";
import type { Transaction } from "../store/database.js";
import { canonicalJson } from "../domain/workflow/audit-chain.js";
import { assess, AssessmentRequestError, isScoredRun } from "./assessment.js";
import {
  auditActor,
  authorise,
  authoriseBody,
  maySee,
  authoriseLevel,
  authorisePublishing,
  scopeFilter,
  type WorkflowActor,
} from "./authorise.js";
import type { ServiceContext } from "./context.js";
import { calendarDate, storable, text } from "./input-schemas.js";
import { InvalidInputError, NotFoundError, StaleWriteError, type FieldProblem } from "./errors.js";

export interface RecommendationRecord {
  id: number;
  org_code: string;
  framework_id: string;
  proposed_on: string;
  proposer_user: string;
  proposer_role: string;
  proposer_team: string | null;
  from_segment: WorkflowSegment;
  to_segment: WorkflowSegment;
  rationale: string;
  judgement_ids: number[];
  proposed_support: string | null;
  proposed_enforcement: EnforcementAction;
  state: RecommendationState;
  routed_body: DecisionBody;
  routing_rule_id: string;
  routing_citation: string;
  version: number;
}

export interface DecisionRecord {
  id: number;
  recommendation_id: number;
  body: DecisionBody;
  decided_by: string;
  decided_on: string;
  outcome: "agreed" | "rejected" | "amended";
  resulting_segment: WorkflowSegment | null;
  reference: string;
  exit_criteria_met: boolean;
  exit_criteria_evidence: string | null;
}

export interface AssessmentSnapshot {
  framework: { id: string; short_name: string };
  as_of: string;
  proposed_segment: number | null;
  criteria_fired: { id: string; label: string; sentence: string }[];
  judgement_inputs: {
    id: number;
    kind: string;
    summary: string;
    recorded_by: string;
    recorded_on: string;
  }[];
  /** The engine's full output for the organisation: explanation tree and paths. */
  explanation: unknown;
}

export interface SegmentHistoryEntry {
  id: number;
  org_code: string;
  segment: WorkflowSegment;
  effective_from: string;
  deciding_body: DecisionBody;
  decision_id: number | null;
  decision_reference: string;
  framework_id: string;
  data_as_at: string;
  assessment_snapshot: AssessmentSnapshot;
  recorded_by: string;
}

export interface NoteRecord {
  id: number;
  org_code: string;
  author: string;
  source: string;
  body: string;
  confidentiality: Confidentiality;
  version: number;
}

/** The input field each guard's refusal concerns. */
const GUARD_FIELDS: Record<GuardRefusal["guard"], string> = {
  no_routing_rule: "resulting_segment",
  wrong_body: "body",
  prior_consideration: "recommendation_id",
  intensive_support_national_only: "body",
  foundation_trust_licence_breach: "recommendation_id",
  exit_criteria_met: "exit_criteria_met",
};

/** A decision that a guard refuses (DOMAIN §6/§7): each refusal with its reason and citation. */
export class DecisionRefusedError extends InvalidInputError {
  constructor(readonly refusals: GuardRefusal[]) {
    super(
      `decision refused: ${refusals.map((r) => r.reason).join("; ")}`,
      refusals.map((r) => ({ path: GUARD_FIELDS[r.guard], message: r.reason })),
    );
    this.name = "DecisionRefusedError";
  }
}

const segment = z.number().int().min(1).max(5);

/** An organisation code given as a plain argument (a path or query parameter). */
export function orgCodeArgument(code: string, field = "org_code"): string {
  if (typeof code !== "string" || code.trim() === "" || !storable(code))
    throw new InvalidInputError(`${field}: must be an organisation code`, [
      { path: field, message: "must be an organisation code" },
    ]);
  return code;
}

export function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const fields: FieldProblem[] = parsed.error.issues.map((i) => ({
    path: i.path.join(".") || "input",
    message: i.message,
  }));
  throw new InvalidInputError(fields.map((f) => `${f.path}: ${f.message}`).join("; "), fields);
}

const REC_COLUMNS = `id, org_code, framework_id, proposed_on, proposer_user, proposer_role, proposer_team,
  from_segment, to_segment, rationale, judgement_ids, proposed_support, proposed_enforcement,
  state, routed_body, routing_rule_id, routing_citation, version`;
const DECISION_COLUMNS = `id, recommendation_id, body, decided_by, decided_on, outcome,
  resulting_segment, reference, exit_criteria_met, exit_criteria_evidence`;
const HISTORY_COLUMNS = `id, org_code, segment, effective_from, deciding_body, decision_id,
  decision_reference, framework_id, data_as_at, assessment_snapshot, recorded_by`;
const NOTE_COLUMNS = `id, org_code, author, source, body, confidentiality, version`;

/** One workflow change: serialised on the audit chain's lock, its events appended before commit. */
export function inWorkflowTransaction<T>(
  ctx: ServiceContext,
  work: (tx: Transaction, audit: (event: NewAuditEvent) => Promise<void>) => Promise<T>,
): Promise<T> {
  return inAuditedTransaction(ctx.db, work);
}

export async function organisationOn(
  ctx: ServiceContext,
  code: string,
  date: string,
): Promise<{ kind: OrgKind }> {
  const [org] = await ctx.db.query<{ kind: OrgKind; open_date: string; close_date: string | null }>(
    "SELECT kind, open_date, close_date FROM organisations WHERE code = $1 AND superseded_at IS NULL",
    [code],
  );
  if (!org) throw new NotFoundError(`no organisation ${code}`);
  if (org.open_date > date || (org.close_date !== null && org.close_date < date))
    throw new InvalidInputError(
      `${code} was not open on ${date} (open ${org.open_date} to ${org.close_date ?? "now"})`,
    );
  return org;
}

function frameworkInForce(ctx: ServiceContext, date: CalendarDate): Framework {
  const framework = ctx.frameworks.inForceOn(date);
  if (!framework) throw new InvalidInputError(`no framework version is in force on ${date}`);
  return framework;
}

// ---------------------------------------------------------------------------------------------
// Recommendations

export const NewRecommendation = z
  .object({
    org_code: text,
    proposed_on: calendarDate,
    from_segment: segment,
    to_segment: segment,
    rationale: text,
    judgement_ids: z.array(z.number().int().positive()).default([]),
    proposed_support: text.nullable().default(null),
    proposed_enforcement: z.enum(ENFORCEMENT_ACTIONS).default("none"),
    proposer_team: text.nullable().default(null),
  })
  .strict();

export async function createRecommendation(
  ctx: ServiceContext,
  actor: WorkflowActor,
  input: z.input<typeof NewRecommendation>,
): Promise<RecommendationRecord> {
  const r = parse(NewRecommendation, input);
  await authorise(ctx, actor, "recommendation:create", {
    type: "recommendation",
    org_code: r.org_code,
  });
  const org = await organisationOn(ctx, r.org_code, r.proposed_on);
  const framework = frameworkInForce(ctx, r.proposed_on as CalendarDate);
  if (!framework.organisation_kinds.includes(org.kind))
    throw new InvalidInputError(
      `${r.org_code} (${org.kind}) is not segmented under ${framework.id}, in force on ${r.proposed_on}`,
    );
  const segments = framework.segments.map((s) => s.segment);
  for (const field of ["from_segment", "to_segment"] as const)
    if (!segments.includes(r[field]))
      throw new InvalidInputError(
        `${field}: ${framework.id} has segments ${segments.join(", ")}, not ${r[field]}`,
        [{ path: field, message: `not a segment of ${framework.id}` }],
      );
  const current = await latestEntry(ctx, r.org_code, r.proposed_on);
  if (current && current.segment !== r.from_segment)
    throw new InvalidInputError(
      `from_segment: ${r.org_code} is in segment ${current.segment} on ${r.proposed_on} (since ${current.effective_from}), not ${r.from_segment}`,
      [{ path: "from_segment", message: `the current segment is ${current.segment}` }],
    );
  if (r.judgement_ids.length) {
    const found = await ctx.db.query<{ id: number }>(
      "SELECT id FROM judgements WHERE org_code = $1 AND id = ANY($2::bigint[])",
      [r.org_code, r.judgement_ids],
    );
    const missing = r.judgement_ids.filter((id) => !found.some((f) => f.id === id));
    if (missing.length)
      throw new InvalidInputError(
        `judgement_ids: no judgement ${missing.join(", ")} of ${r.org_code}`,
        [{ path: "judgement_ids", message: `unknown: ${missing.join(", ")}` }],
      );
  }
  const routing = routeDecision(framework, {
    kind: org.kind,
    from: r.from_segment as WorkflowSegment,
    to: r.to_segment as WorkflowSegment,
    enforcement: r.proposed_enforcement,
  });
  if (!routing.routed) throw new InvalidInputError(routing.reason);

  return inWorkflowTransaction(ctx, async (tx, audit) => {
    const [row] = await tx.query<RecommendationRecord>(
      `INSERT INTO recommendations (org_code, framework_id, proposed_on, proposer_user, proposer_role,
         proposer_team, from_segment, to_segment, rationale, judgement_ids, proposed_support,
         proposed_enforcement, routed_body, routing_rule_id, routing_citation)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11, $12, $13, $14, $15)
       RETURNING ${REC_COLUMNS}`,
      [
        r.org_code,
        framework.id,
        r.proposed_on,
        actor.user,
        actor.role,
        r.proposer_team,
        r.from_segment,
        r.to_segment,
        r.rationale,
        JSON.stringify(r.judgement_ids),
        r.proposed_support,
        r.proposed_enforcement,
        routing.body,
        routing.rule_id,
        routing.citation,
      ],
    );
    await audit({
      actor: auditActor(actor),
      action: "recommendation.created",
      entity_type: "recommendation",
      entity_id: String(row!.id),
      before: null,
      after: row,
    });
    return row!;
  });
}

async function findRecommendation(ctx: ServiceContext, id: number): Promise<RecommendationRecord> {
  const [row] = await ctx.db.query<RecommendationRecord>(
    `SELECT ${REC_COLUMNS} FROM recommendations WHERE id = $1`,
    [id],
  );
  if (!row) throw new NotFoundError(`no recommendation ${id}`);
  return row;
}

/** One recommendation; 404 if there is none, 403 if its organisation is outside the scope. */
export async function getRecommendation(
  ctx: ServiceContext,
  actor: WorkflowActor,
  id: number,
): Promise<RecommendationRecord> {
  // A role that may not read recommendations at all is refused before learning whether one exists.
  await authorise(ctx, actor, "recommendation:read", { type: "recommendation", id: String(id) });
  const row = await findRecommendation(ctx, id);
  await authorise(ctx, actor, "recommendation:read", {
    type: "recommendation",
    id: String(id),
    org_code: row.org_code,
  });
  return row;
}

export interface RecommendationFilters {
  org_code?: string;
  state?: RecommendationState;
  body?: DecisionBody;
}

export async function listRecommendations(
  ctx: ServiceContext,
  actor: WorkflowActor,
  filters: RecommendationFilters = {},
): Promise<RecommendationRecord[]> {
  if (filters.org_code !== undefined) orgCodeArgument(filters.org_code);
  await authorise(ctx, actor, "recommendation:read", {
    type: "recommendation",
    ...(filters.org_code ? { org_code: filters.org_code } : {}),
  });
  if (filters.state && !RECOMMENDATION_STATES.includes(filters.state))
    throw new InvalidInputError(`state: must be one of ${RECOMMENDATION_STATES.join(", ")}`);
  if (filters.body && !DECISION_BODIES.includes(filters.body))
    throw new InvalidInputError(`body: must be one of ${DECISION_BODIES.join(", ")}`);
  const visible = await scopeFilter(ctx, actor, "recommendation:read");
  const rows = await ctx.db.query<RecommendationRecord>(
    `SELECT ${REC_COLUMNS} FROM recommendations
      WHERE ($1::text IS NULL OR org_code = $1) AND ($2::text IS NULL OR state = $2)
        AND ($3::text IS NULL OR routed_body = $3)
      ORDER BY proposed_on, id`,
    [filters.org_code ?? null, filters.state ?? null, filters.body ?? null],
  );
  return rows.filter((r) => visible(r.org_code));
}

/**
 * Reads the recommendation in `tx` and checks the version the caller read and the transition;
 * a stale version is refused with the current state.
 */
async function lockedRecommendation(
  tx: Transaction,
  id: number,
  expectedVersion: number,
  event: RecommendationEvent,
): Promise<{ current: RecommendationRecord; next: RecommendationState }> {
  const [current] = await tx.query<RecommendationRecord>(
    `SELECT ${REC_COLUMNS} FROM recommendations WHERE id = $1 FOR UPDATE`,
    [id],
  );
  if (!current) throw new NotFoundError(`no recommendation ${id}`);
  if (current.version !== expectedVersion)
    throw new StaleWriteError(
      `recommendation ${id} has changed: it is at version ${current.version} (${current.state}), not ${expectedVersion}`,
      current,
    );
  const step = transition(current.state, event);
  if (!step.ok) throw new InvalidInputError(`recommendation ${id}: ${step.reason}`);
  return { current, next: step.to };
}

async function moveRecommendation(
  tx: Transaction,
  current: RecommendationRecord,
  next: RecommendationState,
): Promise<RecommendationRecord> {
  const [row] = await tx.query<RecommendationRecord>(
    `UPDATE recommendations SET state = $3, version = version + 1, updated_at = now()
      WHERE id = $1 AND version = $2 RETURNING ${REC_COLUMNS}`,
    [current.id, current.version, next],
  );
  if (!row) throw new StaleWriteError(`recommendation ${current.id} has changed`, current);
  return row;
}

async function simpleTransition(
  ctx: ServiceContext,
  actor: WorkflowActor,
  id: number,
  expectedVersion: number,
  event: "submit" | "withdraw",
): Promise<RecommendationRecord> {
  const action = event === "submit" ? "recommendation:submit" : "recommendation:withdraw";
  await authorise(ctx, actor, action, { type: "recommendation", id: String(id) });
  const rec = await findRecommendation(ctx, id);
  await authorise(ctx, actor, action, {
    type: "recommendation",
    id: String(id),
    org_code: rec.org_code,
  });
  return inWorkflowTransaction(ctx, async (tx, audit) => {
    const { current, next } = await lockedRecommendation(tx, id, expectedVersion, event);
    const row = await moveRecommendation(tx, current, next);
    await audit({
      actor: auditActor(actor),
      action: event === "submit" ? "recommendation.submitted" : "recommendation.withdrawn",
      entity_type: "recommendation",
      entity_id: String(id),
      before: current,
      after: row,
    });
    return row;
  });
}

export function submitRecommendation(
  ctx: ServiceContext,
  actor: WorkflowActor,
  id: number,
  expectedVersion: number,
): Promise<RecommendationRecord> {
  return simpleTransition(ctx, actor, id, expectedVersion, "submit");
}

export function withdrawRecommendation(
  ctx: ServiceContext,
  actor: WorkflowActor,
  id: number,
  expectedVersion: number,
): Promise<RecommendationRecord> {
  return simpleTransition(ctx, actor, id, expectedVersion, "withdraw");
}

// ---------------------------------------------------------------------------------------------
// Decisions

export const NewDecision = z
  .object({
    recommendation_id: z.number().int().positive(),
    expected_version: z.number().int().positive(),
    body: z.enum(DECISION_BODIES),
    decided_by: text.optional(),
    decided_on: calendarDate,
    outcome: z.enum(["agreed", "rejected", "amended"]),
    /** Amended only: the segment the body decided instead. */
    resulting_segment: segment.optional(),
    reference: text,
    exit_criteria_met: z.boolean().default(false),
    exit_criteria_evidence: text.nullable().default(null),
  })
  .strict();

export interface DecisionResult {
  recommendation: RecommendationRecord;
  decision: DecisionRecord;
  history: SegmentHistoryEntry | null;
}

async function licenceBreachEvidenceOn(
  ctx: ServiceContext,
  orgCode: string,
  date: string,
): Promise<boolean> {
  const [row] = await ctx.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM judgements
      WHERE org_code = $1 AND kind = 'licence_breach_evidence'
        AND recorded_on <= $2 AND (ends_on IS NULL OR ends_on > $2)`,
    [orgCode, date],
  );
  return (row?.n ?? 0) > 0;
}

/** The assessment the decision rests on, as it stands on the decision date (DOMAIN §12). */
async function assessmentSnapshot(
  ctx: ServiceContext,
  orgCode: string,
  frameworkId: string,
  asOf: CalendarDate,
): Promise<AssessmentSnapshot> {
  const run = await assess(ctx, { asOf, frameworkId, orgCode }).catch((error: unknown) => {
    if (error instanceof AssessmentRequestError) throw new InvalidInputError(error.message);
    throw error;
  });
  const judgements = await judgementInputsOn(ctx, asOf, orgCode);
  return snapshotOf(run, orgCode, judgements.get(orgCode) ?? []);
}

type JudgementInput = AssessmentSnapshot["judgement_inputs"][number];

/** The judgements in effect on `asOf`, by organisation (one, or every one). */
async function judgementInputsOn(
  ctx: ServiceContext,
  asOf: CalendarDate,
  orgCode?: string,
): Promise<Map<string, JudgementInput[]>> {
  const rows = await ctx.db.query<JudgementInput & { org_code: string }>(
    `SELECT org_code, id, kind, summary, recorded_by, recorded_on FROM judgements
      WHERE ($1::text IS NULL OR org_code = $1) AND recorded_on <= $2
        AND (ends_on IS NULL OR ends_on > $2)
      ORDER BY recorded_on, id`,
    [orgCode ?? null, asOf],
  );
  const byOrg = new Map<string, JudgementInput[]>();
  for (const { org_code, ...j } of rows) byOrg.set(org_code, [...(byOrg.get(org_code) ?? []), j]);
  return byOrg;
}

/** One organisation's assessment in `run`, as a segment history entry keeps it. */
function snapshotOf(
  run: Awaited<ReturnType<typeof assess>>,
  orgCode: string,
  judgements: JudgementInput[],
): AssessmentSnapshot {
  if (isScoredRun(run)) {
    const a = run.assessments.find((x) => x.organisation.code === orgCode);
    return {
      framework: run.framework,
      as_of: run.as_of,
      proposed_segment: a?.final_segment ?? null,
      criteria_fired: (a?.explanation ?? [])
        .filter((n) => n.status === "fired")
        .map((n) => ({ id: n.id, label: n.label, sentence: n.sentence })),
      judgement_inputs: judgements,
      explanation: a ?? null,
    };
  }
  const a = run.assessments.find((x) => x.organisation.code === orgCode);
  return {
    framework: run.framework,
    as_of: run.as_of,
    proposed_segment: a?.proposed_segment ?? null,
    criteria_fired: (a?.segments ?? []).flatMap((s) =>
      s.criteria
        .filter((c) => c.status === "fired")
        .map((c) => ({ id: c.id, label: c.label, sentence: c.sentence })),
    ),
    judgement_inputs: judgements,
    explanation: a ?? null,
  };
}

/**
 * Records the decision on a submitted recommendation. Refused, with the reason, when the body is
 * not the one the framework routes the change to, or a guard fails (DOMAIN §6/§7, Annex A); an
 * agreed or amended decision appends to the segment history with the assessment snapshot.
 */
export async function decide(
  ctx: ServiceContext,
  actor: WorkflowActor,
  input: z.input<typeof NewDecision>,
): Promise<DecisionResult> {
  const d = parse(NewDecision, input);
  await authorise(ctx, actor, "decision:record", {
    type: "decision",
    id: String(d.recommendation_id),
  });
  const rec = await findRecommendation(ctx, d.recommendation_id);
  const resource = { type: "decision", id: String(rec.id), org_code: rec.org_code };
  await authorise(ctx, actor, "decision:record", resource);
  if (rec.version !== d.expected_version)
    throw new StaleWriteError(
      `recommendation ${rec.id} has changed: it is at version ${rec.version} (${rec.state}), not ${d.expected_version}`,
      rec,
    );
  const step = transition(rec.state, outcomeEvent(d.outcome));
  if (!step.ok) throw new InvalidInputError(`recommendation ${rec.id}: ${step.reason}`);
  if (d.decided_on < rec.proposed_on)
    throw new InvalidInputError(
      `decided_on: ${d.decided_on} is before the recommendation was proposed (${rec.proposed_on})`,
    );
  const framework = ctx.frameworks.get(rec.framework_id);
  if (!framework) throw new InvalidInputError(`unknown framework ${rec.framework_id}`);
  if (d.outcome === "amended" && d.resulting_segment === undefined)
    throw new InvalidInputError(
      "resulting_segment: an amended decision names the segment decided",
      [{ path: "resulting_segment", message: "required when the outcome is amended" }],
    );
  if (d.outcome !== "amended" && d.resulting_segment !== undefined)
    throw new InvalidInputError(
      `resulting_segment: only an amended decision names one (${d.outcome} ${d.outcome === "agreed" ? "results in the recommended segment" : "leaves the segment unchanged"})`,
    );
  const resulting: WorkflowSegment | null =
    d.outcome === "rejected" ? null : ((d.resulting_segment ?? rec.to_segment) as WorkflowSegment);
  if (resulting !== null && !framework.segments.some((s) => s.segment === resulting))
    throw new InvalidInputError(`resulting_segment: ${framework.id} has no segment ${resulting}`);

  const org = await organisationOn(ctx, rec.org_code, d.decided_on);
  // A rejection changes no segment, but is still the routed body's to make.
  const refusals: GuardRefusal[] =
    resulting === null
      ? rec.routed_body === d.body
        ? []
        : [
            {
              guard: "wrong_body",
              reason: `recommendation ${rec.id} is routed to ${rec.routed_body} (rule ${rec.routing_rule_id}), not ${d.body}`,
              citation: rec.routing_citation,
            },
          ]
      : checkDecision({
          framework,
          kind: org.kind,
          from: rec.from_segment,
          to: resulting,
          enforcement: rec.proposed_enforcement,
          body: d.body,
          licenceBreachEvidence: await licenceBreachEvidenceOn(ctx, rec.org_code, d.decided_on),
          exitCriteria: { met: d.exit_criteria_met, evidence: d.exit_criteria_evidence },
          consideredBy: (await considerationsOf(ctx, rec.id)).map((c) => c.body),
        });
  if (refusals.length) throw new DecisionRefusedError(refusals);
  // Issue 6: the acting user must sit on the body the decision is recorded for.
  await authoriseBody(ctx, actor, d.body, rec.org_code, resource);

  const snapshot =
    resulting === null
      ? null
      : await assessmentSnapshot(ctx, rec.org_code, framework.id, d.decided_on as CalendarDate);
  const decidedBy = d.decided_by ?? actor.user;

  return inWorkflowTransaction(ctx, async (tx, audit) => {
    const { current, next } = await lockedRecommendation(
      tx,
      rec.id,
      d.expected_version,
      outcomeEvent(d.outcome),
    );
    const recommendation = await moveRecommendation(tx, current, next);
    const [decision] = await tx.query<DecisionRecord>(
      `INSERT INTO decisions (recommendation_id, body, decided_by, decided_on, outcome,
         resulting_segment, reference, exit_criteria_met, exit_criteria_evidence)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${DECISION_COLUMNS}`,
      [
        rec.id,
        d.body,
        decidedBy,
        d.decided_on,
        d.outcome,
        resulting,
        d.reference,
        d.exit_criteria_met,
        d.exit_criteria_evidence,
      ],
    );
    await audit({
      actor: auditActor(actor),
      action: `recommendation.${next}`,
      entity_type: "recommendation",
      entity_id: String(rec.id),
      before: current,
      after: recommendation,
    });
    await audit({
      actor: auditActor(actor),
      action: "decision.recorded",
      entity_type: "decision",
      entity_id: String(decision!.id),
      before: null,
      after: decision,
    });
    let history: SegmentHistoryEntry | undefined;
    if (resulting !== null && snapshot !== null) {
      const [previous] = await tx.query<SegmentHistoryEntry>(
        `SELECT ${HISTORY_COLUMNS} FROM segment_history
          WHERE org_code = $1 AND effective_from <= $2
          ORDER BY effective_from DESC, id DESC LIMIT 1`,
        [rec.org_code, d.decided_on],
      );
      [history] = await tx.query<SegmentHistoryEntry>(
        `INSERT INTO segment_history (org_code, segment, effective_from, deciding_body, decision_id,
           decision_reference, framework_id, data_as_at, assessment_snapshot, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10) RETURNING ${HISTORY_COLUMNS}`,
        [
          rec.org_code,
          resulting,
          d.decided_on,
          d.body,
          decision!.id,
          d.reference,
          framework.id,
          d.decided_on,
          JSON.stringify(snapshot),
          actor.user,
        ],
      );
      // The snapshot is large: the event carries its hash, which pins it just as well.
      const summary = (e: SegmentHistoryEntry | undefined) =>
        e && {
          ...e,
          assessment_snapshot: undefined,
          snapshot_sha256: sha256Hex(canonicalJson(e.assessment_snapshot)),
        };
      await audit({
        actor: auditActor(actor),
        action: "segment.changed",
        entity_type: "segment_history",
        entity_id: String(history!.id),
        before: summary(previous) ?? null,
        after: summary(history),
      });
    }
    return { recommendation, decision: decision!, history: history ?? null };
  });
}

// ---------------------------------------------------------------------------------------------
// Segment history

async function latestEntry(
  ctx: ServiceContext,
  orgCode: string,
  asOf: string,
): Promise<SegmentHistoryEntry | undefined> {
  const [row] = await ctx.db.query<SegmentHistoryEntry>(
    `SELECT ${HISTORY_COLUMNS} FROM segment_history
      WHERE org_code = $1 AND effective_from <= $2
      ORDER BY effective_from DESC, id DESC LIMIT 1`,
    [orgCode, asOf],
  );
  return row;
}

/** The segment decided for `orgCode` in effect on `asOf`, or null if none has been decided. */
export interface ConsiderationRecord {
  id: number;
  recommendation_id: number;
  body: DecisionBody;
  considered_by: string;
  considered_on: CalendarDate;
  view: "supports" | "does_not_support";
  reference: string;
  note: string | null;
}

const CONSIDERATION_COLUMNS = `id::int AS id, recommendation_id::int AS recommendation_id, body,
  considered_by, considered_on, view, reference, note`;

export const NewConsideration = z
  .object({
    recommendation_id: z.number().int().positive(),
    expected_version: z.number().int().positive(),
    body: z.enum(DECISION_BODIES),
    considered_by: text.optional(),
    considered_on: calendarDate,
    view: z.enum(["supports", "does_not_support"]),
    reference: text,
    note: text.nullable().default(null),
  })
  .strict();

/**
 * The body the routing rule names to consider `rec` before its deciding body does (DOMAIN §6:
 * requiring actions go to the PRC having been through an RSG), or null when it goes straight to
 * its body. Read with the organisation's kind on `onDate`.
 */
export async function consideredFirstBy(
  ctx: ServiceContext,
  rec: RecommendationRecord,
  onDate: string = rec.proposed_on,
): Promise<DecisionBody | null> {
  const framework = ctx.frameworks.get(rec.framework_id);
  if (!framework) throw new InvalidInputError(`unknown framework ${rec.framework_id}`);
  const org = await organisationOn(ctx, rec.org_code, onDate);
  const routing = routeDecision(framework, {
    kind: org.kind,
    from: rec.from_segment,
    to: rec.to_segment,
    enforcement: rec.proposed_enforcement,
  });
  return routing.routed ? routing.considered_first_by : null;
}

/**
 * Records that the body the routing rule names in `considered_first_by` has considered a
 * submitted recommendation (DOMAIN §6; SOF §4: requiring actions go to the PRC "having been
 * through an RSG"), with its view. Only that body, once, before the decision; the
 * recommendation's version moves on.
 */
export async function considerRecommendation(
  ctx: ServiceContext,
  actor: WorkflowActor,
  input: z.input<typeof NewConsideration>,
): Promise<{ recommendation: RecommendationRecord; consideration: ConsiderationRecord }> {
  const c = parse(NewConsideration, input);
  await authorise(ctx, actor, "recommendation:consider", {
    type: "recommendation",
    id: String(c.recommendation_id),
  });
  const rec = await findRecommendation(ctx, c.recommendation_id);
  const resource = { type: "recommendation", id: String(rec.id), org_code: rec.org_code };
  await authorise(ctx, actor, "recommendation:consider", resource);
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
  // Issue 6: the acting user must sit on the body whose consideration is recorded.
  await authoriseBody(ctx, actor, c.body, rec.org_code, resource);
  return inWorkflowTransaction(ctx, async (tx, audit) => {
    const [current] = await tx.query<RecommendationRecord>(
      `SELECT ${REC_COLUMNS} FROM recommendations WHERE id = $1 FOR UPDATE`,
      [rec.id],
    );
    if (!current || current.version !== c.expected_version)
      throw new StaleWriteError(
        `recommendation ${rec.id} has changed: it is at version ${current?.version} (${current?.state}), not ${c.expected_version}`,
        current,
      );
    if (current.state !== "submitted")
      throw new InvalidInputError(
        `recommendation ${rec.id} is ${current.state}: only a submitted recommendation is considered`,
      );
    const [already] = await tx.query(
      "SELECT 1 FROM recommendation_considerations WHERE recommendation_id = $1 AND body = $2",
      [rec.id, c.body],
    );
    if (already)
      throw new InvalidInputError(
        `recommendation ${rec.id} has already been considered by ${c.body}`,
      );
    const [consideration] = await tx.query<ConsiderationRecord>(
      `INSERT INTO recommendation_considerations
         (recommendation_id, body, considered_by, considered_on, view, reference, note)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${CONSIDERATION_COLUMNS}`,
      [rec.id, c.body, c.considered_by ?? actor.user, c.considered_on, c.view, c.reference, c.note],
    );
    const [recommendation] = await tx.query<RecommendationRecord>(
      `UPDATE recommendations SET version = version + 1, updated_at = now()
        WHERE id = $1 RETURNING ${REC_COLUMNS}`,
      [rec.id],
    );
    await audit({
      actor: auditActor(actor),
      action: "recommendation.considered",
      entity_type: "recommendation",
      entity_id: String(rec.id),
      before: current,
      after: { ...recommendation!, consideration: consideration! },
    });
    return { recommendation: recommendation!, consideration: consideration! };
  });
}

/** The considerations recorded on a recommendation, in the order they were recorded. */
export async function listConsiderations(
  ctx: ServiceContext,
  actor: WorkflowActor,
  recommendationId: number,
): Promise<ConsiderationRecord[]> {
  const rec = await getRecommendation(ctx, actor, recommendationId);
  return considerationsOf(ctx, rec.id);
}

async function considerationsOf(
  ctx: ServiceContext,
  recommendationId: number,
): Promise<ConsiderationRecord[]> {
  return ctx.db.query<ConsiderationRecord>(
    `SELECT ${CONSIDERATION_COLUMNS} FROM recommendation_considerations
      WHERE recommendation_id = $1 ORDER BY id`,
    [recommendationId],
  );
}

/**
 * Onboarding: records as in force on `as_of` the segment the framework then in force proposes
 * for every organisation it segments that has no segment decided by then — the segmentation an
 * oversight team carries over from before Oversight (the demo uses it for the segments of the
 * quarter before its as-at date). Each entry names national moderation as the body, `reference`
 * as its reference, no decision, and keeps the assessment it rests on; each is audited as
 * `segment.adopted`. The local operator's only (the `system` actor): it bypasses routing.
 */
export async function adoptSegmentation(
  ctx: ServiceContext,
  actor: WorkflowActor,
  input: { as_of: string; reference: string },
): Promise<{ adopted: number; framework_id: string }> {
  const { as_of, reference } = parse(
    z.object({ as_of: calendarDate, reference: text }).strict(),
    input,
  );
  await authorise(ctx, actor, "segment:adopt", { type: "segment_history" });
  const asOf = as_of as CalendarDate;
  const run = await assess(ctx, { asOf }).catch((error: unknown) => {
    if (error instanceof AssessmentRequestError) throw new InvalidInputError(error.message);
    throw error;
  });
  const judgements = await judgementInputsOn(ctx, asOf);
  const proposals = isScoredRun(run)
    ? run.assessments.map((a) => [a.organisation.code, a.final_segment] as const)
    : run.assessments.map((a) => [a.organisation.code, a.proposed_segment] as const);
  return inWorkflowTransaction(ctx, async (tx, audit) => {
    const decided = new Set(
      (
        await tx.query<{ org_code: string }>(
          "SELECT DISTINCT org_code FROM segment_history WHERE effective_from <= $1",
          [asOf],
        )
      ).map((r) => r.org_code),
    );
    let adopted = 0;
    for (const [org, segment] of proposals) {
      if (segment === null || decided.has(org)) continue;
      const snapshot = snapshotOf(run, org, judgements.get(org) ?? []);
      const [entry] = await tx.query<SegmentHistoryEntry>(
        `INSERT INTO segment_history (org_code, segment, effective_from, deciding_body, decision_id,
           decision_reference, framework_id, data_as_at, assessment_snapshot, recorded_by)
         VALUES ($1, $2, $3, 'national_moderation', NULL, $4, $5, $3, $6::jsonb, $7)
         RETURNING ${HISTORY_COLUMNS}`,
        [org, segment, asOf, reference, run.framework.id, JSON.stringify(snapshot), actor.user],
      );
      await audit({
        actor: auditActor(actor),
        action: "segment.adopted",
        entity_type: "segment_history",
        entity_id: String(entry!.id),
        before: null,
        after: {
          ...entry!,
          assessment_snapshot: undefined,
          snapshot_sha256: sha256Hex(canonicalJson(entry!.assessment_snapshot)),
        },
      });
      adopted++;
    }
    return { adopted, framework_id: run.framework.id };
  });
}

export async function currentSegment(
  ctx: ServiceContext,
  actor: WorkflowActor,
  orgCode: string,
  asOf: CalendarDate,
): Promise<SegmentHistoryEntry | null> {
  orgCodeArgument(orgCode);
  await authorise(ctx, actor, "segment:read", { type: "segment_history", org_code: orgCode });
  if (!isCalendarDate(asOf))
    throw new InvalidInputError(`as_of: must be a date YYYY-MM-DD, not "${asOf}"`);
  return (await latestEntry(ctx, orgCode, asOf)) ?? null;
}

/** Every segment decided for `orgCode`, oldest first, each with the snapshot it rested on. */
export async function segmentHistory(
  ctx: ServiceContext,
  actor: WorkflowActor,
  orgCode: string,
): Promise<SegmentHistoryEntry[]> {
  orgCodeArgument(orgCode);
  await authorise(ctx, actor, "segment_history:read", {
    type: "segment_history",
    org_code: orgCode,
  });
  return ctx.db.query<SegmentHistoryEntry>(
    `SELECT ${HISTORY_COLUMNS} FROM segment_history WHERE org_code = $1
      ORDER BY effective_from, id`,
    [orgCode],
  );
}

export interface DecisionFilters {
  org_code?: string;
  body?: DecisionBody;
}

/** The decisions recorded, oldest first, optionally of one organisation or by one body. */
export async function listDecisions(
  ctx: ServiceContext,
  actor: WorkflowActor,
  filters: DecisionFilters = {},
): Promise<DecisionRecord[]> {
  if (filters.org_code !== undefined) orgCodeArgument(filters.org_code);
  await authorise(ctx, actor, "decision:read", {
    type: "decision",
    ...(filters.org_code ? { org_code: filters.org_code } : {}),
  });
  if (filters.body && !DECISION_BODIES.includes(filters.body))
    throw new InvalidInputError(`body: must be one of ${DECISION_BODIES.join(", ")}`);
  const columns = DECISION_COLUMNS.split(",")
    .map((c) => `d.${c.trim()}`)
    .join(", ");
  const visible = await scopeFilter(ctx, actor, "decision:read");
  const rows = await ctx.db.query<DecisionRecord & { org_code: string }>(
    `SELECT ${columns}, r.org_code FROM decisions d JOIN recommendations r ON r.id = d.recommendation_id
      WHERE ($1::text IS NULL OR r.org_code = $1) AND ($2::text IS NULL OR d.body = $2)
      ORDER BY d.decided_on, d.id`,
    [filters.org_code ?? null, filters.body ?? null],
  );
  return rows.filter((r) => visible(r.org_code)).map(({ org_code: _org, ...d }) => d);
}

// ---------------------------------------------------------------------------------------------
// Notes and intelligence

export const NewNote = z
  .object({
    org_code: text,
    source: text,
    body: text,
    confidentiality: z.enum(CONFIDENTIALITY_LEVELS),
  })
  .strict();

export async function addNote(
  ctx: ServiceContext,
  actor: WorkflowActor,
  input: z.input<typeof NewNote>,
): Promise<NoteRecord> {
  const n = parse(NewNote, input);
  await authorise(ctx, actor, "note:create", { type: "note", org_code: n.org_code });
  await authoriseLevel(
    ctx,
    actor,
    "note:create",
    { type: "note", org_code: n.org_code },
    n.confidentiality,
  );
  const [org] = await ctx.db.query(
    "SELECT 1 FROM organisations WHERE code = $1 AND superseded_at IS NULL",
    [n.org_code],
  );
  if (!org) throw new NotFoundError(`no organisation ${n.org_code}`);
  return inWorkflowTransaction(ctx, async (tx, audit) => {
    const [row] = await tx.query<NoteRecord>(
      `INSERT INTO notes (org_code, author, source, body, confidentiality)
       VALUES ($1, $2, $3, $4, $5) RETURNING ${NOTE_COLUMNS}`,
      [n.org_code, actor.user, n.source, n.body, n.confidentiality],
    );
    await audit({
      actor: auditActor(actor),
      action: "note.created",
      entity_type: "note",
      entity_id: String(row!.id),
      before: null,
      after: row,
      rows: [{ table: "notes", value: row!.id }],
    });
    return row!;
  });
}

export const NoteChange = z
  .object({
    body: text.optional(),
    confidentiality: z.enum(CONFIDENTIALITY_LEVELS).optional(),
  })
  .strict();

/** Changes a note's text or confidentiality; refused if the note has moved past `expectedVersion`. */
export async function updateNote(
  ctx: ServiceContext,
  actor: WorkflowActor,
  id: number,
  expectedVersion: number,
  input: z.input<typeof NoteChange>,
): Promise<NoteRecord> {
  const change = parse(NoteChange, input);
  await authorise(ctx, actor, "note:update", { type: "note", id: String(id) });
  const [found] = await ctx.db.query<NoteRecord>(
    `SELECT ${NOTE_COLUMNS} FROM notes WHERE id = $1`,
    [id],
  );
  if (!found) throw new NotFoundError(`no note ${id}`);
  await authorise(ctx, actor, "note:update", {
    type: "note",
    id: String(id),
    org_code: found.org_code,
  });
  // Neither the note as it is nor as it would become may be above the editor's clearance.
  for (const level of [found.confidentiality, change.confidentiality ?? found.confidentiality])
    await authoriseLevel(
      ctx,
      actor,
      "note:update",
      { type: "note", id: String(id), org_code: found.org_code },
      level,
    );
  // Issue 20: publishing (lowering the level) is the author's organisation's decision, or national.
  const lowered = change.confidentiality ?? found.confidentiality;
  if (
    CONFIDENTIALITY_LEVELS.indexOf(lowered) < CONFIDENTIALITY_LEVELS.indexOf(found.confidentiality)
  )
    await authorisePublishing(
      ctx,
      actor,
      { type: "note", id: String(id), org_code: found.org_code },
      found.author,
    );
  return inWorkflowTransaction(ctx, async (tx, audit) => {
    const [current] = await tx.query<NoteRecord>(
      `SELECT ${NOTE_COLUMNS} FROM notes WHERE id = $1 FOR UPDATE`,
      [id],
    );
    if (!current) throw new NotFoundError(`no note ${id}`);
    if (current.version !== expectedVersion)
      throw new StaleWriteError(
        `note ${id} has changed: it is at version ${current.version}, not ${expectedVersion}`,
        current,
      );
    const [row] = await tx.query<NoteRecord>(
      `UPDATE notes SET body = $3, confidentiality = $4, version = version + 1, updated_at = now()
        WHERE id = $1 AND version = $2 RETURNING ${NOTE_COLUMNS}`,
      [
        id,
        expectedVersion,
        change.body ?? current.body,
        change.confidentiality ?? current.confidentiality,
      ],
    );
    await audit({
      actor: auditActor(actor),
      action: "note.updated",
      entity_type: "note",
      entity_id: String(id),
      before: current,
      after: row,
      rows: [{ table: "notes", value: id }],
    });
    return row!;
  });
}

export async function listNotes(
  ctx: ServiceContext,
  actor: WorkflowActor,
  orgCode: string,
): Promise<NoteRecord[]> {
  orgCodeArgument(orgCode);
  await authorise(ctx, actor, "note:read", { type: "note", org_code: orgCode });
  const notes = await ctx.db.query<NoteRecord>(
    `SELECT ${NOTE_COLUMNS} FROM notes WHERE org_code = $1 ORDER BY created_at, id`,
    [orgCode],
  );
  // DOMAIN §12: each reader sees only the notes at or below their clearance.
  return notes.filter((n) => maySee(actor, n.confidentiality));
}
