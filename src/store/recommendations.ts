/**
 * The recommendations repository (DOMAIN §6): recommendations, the considerations recorded on
 * them and the decisions taken. Each write is a single statement run in the caller's transaction;
 * the use cases (src/services/recommendations/) decide what to write.
 */
import type {
  DecisionBody,
  EnforcementAction,
  RecommendationState,
  WorkflowSegment,
} from "../domain/workflow/index.js";
import type { Queryable } from "./database.js";

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
  /** What the body publishes as its reasons (docs/domain.md §12); null when it gave none. */
  public_rationale: string | null;
}

export interface ConsiderationRecord {
  id: number;
  recommendation_id: number;
  body: DecisionBody;
  considered_by: string;
  considered_on: string;
  view: "supports" | "does_not_support";
  reference: string;
  note: string | null;
}

const REC_COLUMNS = `id, org_code, framework_id, proposed_on, proposer_user, proposer_role, proposer_team,
  from_segment, to_segment, rationale, judgement_ids, proposed_support, proposed_enforcement,
  state, routed_body, routing_rule_id, routing_citation, version`;
const DECISION_COLUMNS = `id, recommendation_id, body, decided_by, decided_on, outcome,
  resulting_segment, reference, exit_criteria_met, exit_criteria_evidence, public_rationale`;
const CONSIDERATION_COLUMNS = `id::int AS id, recommendation_id::int AS recommendation_id, body,
  considered_by, considered_on, view, reference, note`;

export type NewRecommendationRow = Omit<RecommendationRecord, "id" | "state" | "version">;

export async function insertRecommendation(
  tx: Queryable,
  r: NewRecommendationRow,
): Promise<RecommendationRecord> {
  const [row] = await tx.query<RecommendationRecord>(
    `INSERT INTO recommendations (org_code, framework_id, proposed_on, proposer_user, proposer_role,
       proposer_team, from_segment, to_segment, rationale, judgement_ids, proposed_support,
       proposed_enforcement, routed_body, routing_rule_id, routing_citation)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11, $12, $13, $14, $15)
     RETURNING ${REC_COLUMNS}`,
    [
      r.org_code,
      r.framework_id,
      r.proposed_on,
      r.proposer_user,
      r.proposer_role,
      r.proposer_team,
      r.from_segment,
      r.to_segment,
      r.rationale,
      JSON.stringify(r.judgement_ids),
      r.proposed_support,
      r.proposed_enforcement,
      r.routed_body,
      r.routing_rule_id,
      r.routing_citation,
    ],
  );
  return row!;
}

/** One recommendation; with `forUpdate`, locked for the rest of the transaction. */
export async function findRecommendation(
  db: Queryable,
  id: number,
  forUpdate = false,
): Promise<RecommendationRecord | undefined> {
  const [row] = await db.query<RecommendationRecord>(
    `SELECT ${REC_COLUMNS} FROM recommendations WHERE id = $1${forUpdate ? " FOR UPDATE" : ""}`,
    [id],
  );
  return row;
}

export interface RecommendationQuery {
  org_code?: string;
  state?: RecommendationState;
  body?: DecisionBody;
}

/** The recommendations matching every filter given, oldest proposal first. */
export async function findRecommendations(
  db: Queryable,
  q: RecommendationQuery,
): Promise<RecommendationRecord[]> {
  return db.query<RecommendationRecord>(
    `SELECT ${REC_COLUMNS} FROM recommendations
      WHERE ($1::text IS NULL OR org_code = $1) AND ($2::text IS NULL OR state = $2)
        AND ($3::text IS NULL OR routed_body = $3)
      ORDER BY proposed_on, id`,
    [q.org_code ?? null, q.state ?? null, q.body ?? null],
  );
}

/**
 * Moves the recommendation at `version` on: to `state` when given, else only its version (a
 * consideration recorded on it). Undefined if it is no longer at that version.
 */
export async function advanceRecommendation(
  tx: Queryable,
  id: number,
  version: number,
  state?: RecommendationState,
): Promise<RecommendationRecord | undefined> {
  const [row] = await tx.query<RecommendationRecord>(
    `UPDATE recommendations SET state = coalesce($3, state), version = version + 1,
            updated_at = now()
      WHERE id = $1 AND version = $2 RETURNING ${REC_COLUMNS}`,
    [id, version, state ?? null],
  );
  return row;
}

export async function insertDecision(
  tx: Queryable,
  d: Omit<DecisionRecord, "id">,
): Promise<DecisionRecord> {
  const [row] = await tx.query<DecisionRecord>(
    `INSERT INTO decisions (recommendation_id, body, decided_by, decided_on, outcome,
       resulting_segment, reference, exit_criteria_met, exit_criteria_evidence, public_rationale)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${DECISION_COLUMNS}`,
    [
      d.recommendation_id,
      d.body,
      d.decided_by,
      d.decided_on,
      d.outcome,
      d.resulting_segment,
      d.reference,
      d.exit_criteria_met,
      d.exit_criteria_evidence,
      d.public_rationale,
    ],
  );
  return row!;
}

/** The decisions matching every filter given, with their organisation, oldest first. */
export async function findDecisions(
  db: Queryable,
  q: { org_code?: string; body?: DecisionBody },
): Promise<(DecisionRecord & { org_code: string })[]> {
  const columns = DECISION_COLUMNS.split(",")
    .map((c) => `d.${c.trim()}`)
    .join(", ");
  return db.query<DecisionRecord & { org_code: string }>(
    `SELECT ${columns}, r.org_code FROM decisions d JOIN recommendations r ON r.id = d.recommendation_id
      WHERE ($1::text IS NULL OR r.org_code = $1) AND ($2::text IS NULL OR d.body = $2)
      ORDER BY d.decided_on, d.id`,
    [q.org_code ?? null, q.body ?? null],
  );
}

export async function insertConsideration(
  tx: Queryable,
  c: Omit<ConsiderationRecord, "id">,
): Promise<ConsiderationRecord> {
  const [row] = await tx.query<ConsiderationRecord>(
    `INSERT INTO recommendation_considerations
       (recommendation_id, body, considered_by, considered_on, view, reference, note)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${CONSIDERATION_COLUMNS}`,
    [c.recommendation_id, c.body, c.considered_by, c.considered_on, c.view, c.reference, c.note],
  );
  return row!;
}

/** The considerations recorded on a recommendation, in the order they were recorded. */
export async function findConsiderations(
  db: Queryable,
  recommendationId: number,
): Promise<ConsiderationRecord[]> {
  return db.query<ConsiderationRecord>(
    `SELECT ${CONSIDERATION_COLUMNS} FROM recommendation_considerations
      WHERE recommendation_id = $1 ORDER BY id`,
    [recommendationId],
  );
}
