-- Audit assurance (requirements §20, docs/audit.md) and intelligence identified by a content hash.
--
-- Hash version 2: each event hashed with a key the database does not hold, over its stored text
-- (numbers as written, time to the microsecond). Events written before keep version 1.
ALTER TABLE audit_events ADD COLUMN hash_version smallint NOT NULL DEFAULT 1
  CHECK (hash_version IN (1, 2));
-- The content hashes of the rows an event wrote: [{table, column, value, sha256}].
ALTER TABLE audit_events ADD COLUMN row_hashes jsonb;

-- Every audited transaction's new head, outside the audit table (and, once committed, in the
-- anchor log file next to the data folder): the chain must still contain each.
CREATE TABLE audit_anchors (
  id bigserial PRIMARY KEY,
  seq bigint NOT NULL CHECK (seq >= 1),
  hash text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
  anchored_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_anchors_seq ON audit_anchors (seq);

CREATE FUNCTION audit_anchors_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_anchors is append-only: % refused', TG_OP;
END;
$$;

CREATE TRIGGER audit_anchors_no_update_or_delete
  BEFORE UPDATE OR DELETE ON audit_anchors
  FOR EACH ROW EXECUTE FUNCTION audit_anchors_append_only();

CREATE TRIGGER audit_anchors_no_truncate
  BEFORE TRUNCATE ON audit_anchors
  FOR EACH STATEMENT EXECUTE FUNCTION audit_anchors_append_only();

-- An intelligence item is identified by its organisation, date, source and the SHA-256 of its
-- summary: a unique index over the summary itself refused any summary of more than about 2,700
-- bytes ("index row size exceeds btree maximum").
ALTER TABLE intelligence ADD COLUMN summary_sha256 text;
UPDATE intelligence SET summary_sha256 = encode(sha256(convert_to(summary, 'UTF8')), 'hex');
ALTER TABLE intelligence ALTER COLUMN summary_sha256 SET NOT NULL;
ALTER TABLE intelligence ADD CONSTRAINT intelligence_summary_sha256_shape
  CHECK (summary_sha256 ~ '^[0-9a-f]{64}$');
DO $$
DECLARE
  name text;
BEGIN
  SELECT conname INTO name FROM pg_constraint
   WHERE conrelid = 'intelligence'::regclass AND contype = 'u';
  EXECUTE format('ALTER TABLE intelligence DROP CONSTRAINT %I', name);
END;
$$;
DROP INDEX intelligence_current;
ALTER TABLE intelligence ADD CONSTRAINT intelligence_identity
  UNIQUE (org_code, received_on, source, summary_sha256, revision);
CREATE UNIQUE INDEX intelligence_current
  ON intelligence (org_code, received_on, source, summary_sha256) WHERE superseded_at IS NULL;

-- Sign-in throttling (requirements §20) instead of locking an account: failures are counted per name
-- typed and per source address, so guessing from one place slows only that place; a known device
-- (a cookie from an earlier successful sign-in) is not held back.
CREATE TABLE sign_in_throttle (
  username text NOT NULL,
  source text NOT NULL,
  failures integer NOT NULL CHECK (failures >= 0),
  blocked_until timestamptz,
  PRIMARY KEY (username, source)
);

CREATE TABLE known_devices (
  -- sha256 of the device cookie's value.
  id_hash text PRIMARY KEY CHECK (id_hash ~ '^[0-9a-f]{64}$'),
  user_id bigint NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX known_devices_user ON known_devices (user_id);

-- An import's audit event records the content hash of the rows each of its files wrote, read back
-- by source file (store/audit.ts rowsHash; `audit verify --deep`).
CREATE INDEX organisations_source_file ON organisations (source_file_id);
CREATE INDEX observations_source_file ON observations (source_file_id);
CREATE INDEX cqc_ratings_source_file ON cqc_ratings (source_file_id);
CREATE INDEX intelligence_source_file ON intelligence (source_file_id);
