-- Foundation: reference data, provenance of every imported row, and the versioned records of
-- the organisation registry, metric observations, CQC ratings and intelligence.
--
-- Versioned records: a row is one revision of a record identified by its key. The current
-- revision has superseded_at NULL; a different value for the same key adds a revision and
-- stamps the old one, so nothing is ever silently overwritten.

CREATE TABLE regions (
  code text PRIMARY KEY,
  name text NOT NULL
);

CREATE TABLE imports (
  id bigserial PRIMARY KEY,
  kind text NOT NULL,
  imported_at timestamptz NOT NULL DEFAULT now(),
  imported_by text NOT NULL,
  -- Demo data made up by `oversight demo`: shown labelled synthetic wherever it appears.
  synthetic boolean NOT NULL DEFAULT false,
  summary jsonb NOT NULL
);

CREATE TABLE import_files (
  id bigserial PRIMARY KEY,
  import_id bigint NOT NULL REFERENCES imports (id),
  file_name text NOT NULL,
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$')
);

CREATE TABLE organisations (
  id bigserial PRIMARY KEY,
  code text NOT NULL,
  revision integer NOT NULL,
  superseded_at timestamptz,
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('nhs_trust', 'foundation_trust', 'icb')),
  sector text CHECK (sector IN ('acute', 'mental_health', 'community',
    'mental_health_and_community', 'ambulance', 'specialist')),
  region text NOT NULL REFERENCES regions (code),
  icb_code text,
  open_date date NOT NULL,
  close_date date,
  source_file_id bigint NOT NULL REFERENCES import_files (id),
  UNIQUE (code, revision),
  CHECK (close_date IS NULL OR close_date >= open_date),
  CHECK ((kind = 'icb') = (sector IS NULL))
);
CREATE UNIQUE INDEX organisations_current ON organisations (code) WHERE superseded_at IS NULL;

CREATE TABLE observations (
  id bigserial PRIMARY KEY,
  org_code text NOT NULL,
  metric_id text NOT NULL,
  period_start date NOT NULL,
  period_end date NOT NULL,
  revision integer NOT NULL,
  superseded_at timestamptz,
  value double precision NOT NULL,
  numerator double precision,
  denominator double precision,
  source_file_id bigint NOT NULL REFERENCES import_files (id),
  UNIQUE (org_code, metric_id, period_start, period_end, revision),
  CHECK (period_end >= period_start)
);
CREATE UNIQUE INDEX observations_current
  ON observations (org_code, metric_id, period_start, period_end) WHERE superseded_at IS NULL;
CREATE INDEX observations_metric_period ON observations (metric_id, period_end) WHERE superseded_at IS NULL;

CREATE TABLE cqc_ratings (
  id bigserial PRIMARY KEY,
  org_code text NOT NULL,
  published_on date NOT NULL,
  revision integer NOT NULL,
  superseded_at timestamptz,
  overall text CHECK (overall IN ('outstanding', 'good', 'requires_improvement', 'inadequate')),
  well_led text CHECK (well_led IN ('outstanding', 'good', 'requires_improvement', 'inadequate')),
  safe text CHECK (safe IN ('outstanding', 'good', 'requires_improvement', 'inadequate')),
  source_file_id bigint NOT NULL REFERENCES import_files (id),
  UNIQUE (org_code, published_on, revision)
);
CREATE UNIQUE INDEX cqc_ratings_current ON cqc_ratings (org_code, published_on) WHERE superseded_at IS NULL;

CREATE TABLE intelligence (
  id bigserial PRIMARY KEY,
  org_code text NOT NULL,
  received_on date NOT NULL,
  source text NOT NULL,
  summary text NOT NULL,
  revision integer NOT NULL,
  superseded_at timestamptz,
  category text NOT NULL,
  confidentiality text NOT NULL CHECK (confidentiality IN ('public', 'official', 'official_sensitive')),
  source_file_id bigint NOT NULL REFERENCES import_files (id),
  UNIQUE (org_code, received_on, source, summary, revision)
);
CREATE UNIQUE INDEX intelligence_current
  ON intelligence (org_code, received_on, source, summary) WHERE superseded_at IS NULL;
