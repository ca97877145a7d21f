-- Enforcement events (DOMAIN §10): each step or outcome of enforcement action, as a recorded fact
-- with its date, reference and author. Append-only: a correction is a new event, and the audit
-- log carries every one. Each triggers an immediate review of the segment (DOMAIN §7).
CREATE TABLE enforcement_events (
  id bigserial PRIMARY KEY,
  org_code text NOT NULL,
  kind text NOT NULL CHECK (kind IN (
    'informal_action', 'undertakings_accepted', 'undertakings_breached', 'notice_of_intent',
    'final_notice', 'discretionary_requirement', 'non_compliance_penalty', 'direction',
    'additional_licence_condition', 'special_licence_condition', 'licence_revocation')),
  occurred_on date NOT NULL,
  reference text,
  summary text NOT NULL,
  -- DOMAIN §12: regulatory intelligence is confidential unless marked otherwise.
  confidentiality text NOT NULL DEFAULT 'official_sensitive'
    CHECK (confidentiality IN ('public', 'official', 'official_sensitive')),
  recorded_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX enforcement_events_org ON enforcement_events (org_code, occurred_on);
