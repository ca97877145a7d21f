-- Judgement inputs (DOMAIN §5 "additional considerations"): recorded facts with author and date
-- that the assessment engine reads but never infers — catastrophic failure, longstanding issues,
-- capability to improve, mitigating circumstances, licence-breach evidence, a CQC recommendation.
-- A judgement is ended (ends_on), never deleted, so an old assessment can be reproduced.
CREATE TABLE judgements (
  id bigserial PRIMARY KEY,
  org_code text NOT NULL,
  kind text NOT NULL,
  summary text NOT NULL,
  theme text,
  recorded_by text NOT NULL,
  recorded_on date NOT NULL,
  ends_on date,
  confidentiality text NOT NULL DEFAULT 'official_sensitive'
    CHECK (confidentiality IN ('public', 'official', 'official_sensitive')),
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (ends_on IS NULL OR ends_on >= recorded_on)
);

CREATE INDEX judgements_org ON judgements (org_code, recorded_on);
