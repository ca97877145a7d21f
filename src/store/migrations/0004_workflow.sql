-- Oversight workflow (requirements §4; DOMAIN §6, §7, §12): recommendations routed to the body that must
-- decide, decisions, the segment history they produce (each entry with a snapshot of the
-- assessment it rested on, so it can be shown exactly as it was made after data are revised),
-- notes and intelligence with their confidentiality, and an append-only, hash-chained audit log.
--
-- Mutable records (recommendations, notes) carry a `version` for optimistic concurrency: a write
-- names the version it read and is refused if the row has moved on.

CREATE TABLE recommendations (
  id bigserial PRIMARY KEY,
  org_code text NOT NULL,
  -- The framework version in force on proposed_on, whose routing table routed it.
  framework_id text NOT NULL,
  proposed_on date NOT NULL,
  proposer_user text NOT NULL,
  proposer_role text NOT NULL,
  proposer_team text,
  from_segment integer NOT NULL CHECK (from_segment BETWEEN 1 AND 5),
  to_segment integer NOT NULL CHECK (to_segment BETWEEN 1 AND 5),
  rationale text NOT NULL,
  -- Ids of the judgements (DOMAIN §5) the recommendation rests on.
  judgement_ids jsonb NOT NULL DEFAULT '[]'::jsonb,
  proposed_support text,
  proposed_enforcement text NOT NULL DEFAULT 'none'
    CHECK (proposed_enforcement IN ('none', 'seeking_actions', 'requiring_actions')),
  state text NOT NULL DEFAULT 'draft'
    CHECK (state IN ('draft', 'submitted', 'agreed', 'rejected', 'amended', 'withdrawn')),
  routed_body text NOT NULL
    CHECK (routed_body IN ('rsg', 'prc', 'national_moderation', 'nhse_with_icb')),
  routing_rule_id text NOT NULL,
  routing_citation text NOT NULL,
  version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX recommendations_org ON recommendations (org_code, proposed_on);
CREATE INDEX recommendations_state ON recommendations (state);

CREATE TABLE decisions (
  id bigserial PRIMARY KEY,
  -- One decision per recommendation: a decided recommendation is final.
  recommendation_id bigint NOT NULL UNIQUE REFERENCES recommendations (id),
  body text NOT NULL CHECK (body IN ('rsg', 'prc', 'national_moderation', 'nhse_with_icb')),
  decided_by text NOT NULL,
  decided_on date NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('agreed', 'rejected', 'amended')),
  resulting_segment integer CHECK (resulting_segment BETWEEN 1 AND 5),
  reference text NOT NULL,
  exit_criteria_met boolean NOT NULL DEFAULT false,
  exit_criteria_evidence text,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((outcome = 'rejected') = (resulting_segment IS NULL)),
  CHECK (NOT exit_criteria_met OR exit_criteria_evidence IS NOT NULL)
);

CREATE TABLE segment_history (
  id bigserial PRIMARY KEY,
  org_code text NOT NULL,
  segment integer NOT NULL CHECK (segment BETWEEN 1 AND 5),
  effective_from date NOT NULL,
  deciding_body text NOT NULL
    CHECK (deciding_body IN ('rsg', 'prc', 'national_moderation', 'nhse_with_icb')),
  decision_id bigint REFERENCES decisions (id),
  decision_reference text NOT NULL,
  framework_id text NOT NULL,
  data_as_at date NOT NULL,
  -- The assessment as it stood: criteria fired, explanation, judgement inputs (DOMAIN §12).
  assessment_snapshot jsonb NOT NULL,
  recorded_by text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX segment_history_org ON segment_history (org_code, effective_from, id);

CREATE TABLE notes (
  id bigserial PRIMARY KEY,
  org_code text NOT NULL,
  author text NOT NULL,
  source text NOT NULL,
  body text NOT NULL,
  -- DOMAIN §12: every note carries its confidentiality; publication never leaks it.
  confidentiality text NOT NULL
    CHECK (confidentiality IN ('public', 'official', 'official_sensitive')),
  version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notes_org ON notes (org_code, created_at);

-- Every change, append-only. Each event carries the hash of the one before (prev_hash) and its
-- own hash, sha256 over a canonical serialisation of the event including prev_hash, so an edit
-- or a deletion behind the system's back breaks the chain (`oversight audit verify`).
CREATE TABLE audit_events (
  seq bigint PRIMARY KEY CHECK (seq >= 1),
  occurred_at timestamptz NOT NULL,
  actor jsonb NOT NULL,
  action text NOT NULL,
  entity_type text NOT NULL,
  entity_id text NOT NULL,
  before jsonb,
  after jsonb,
  prev_hash text NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
  hash text NOT NULL UNIQUE CHECK (hash ~ '^[0-9a-f]{64}$')
);
CREATE INDEX audit_events_entity ON audit_events (entity_type, entity_id, seq);

-- Defence in depth: the application only ever inserts; the database refuses the rest.
CREATE FUNCTION audit_events_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP;
END;
$$;

CREATE TRIGGER audit_events_no_update_or_delete
  BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();

CREATE TRIGGER audit_events_no_truncate
  BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
