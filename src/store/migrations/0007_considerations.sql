-- A body's consideration of a submitted recommendation before the deciding body takes it (DOMAIN
-- §6; SOF §4: requiring actions go to the PRC "having been through an RSG"). Append-only; the
-- recommendation's version moves on with each, so a decision taken on a stale view is refused.
CREATE TABLE recommendation_considerations (
  id bigserial PRIMARY KEY,
  recommendation_id bigint NOT NULL REFERENCES recommendations (id),
  body text NOT NULL CHECK (body IN ('rsg', 'prc', 'national_moderation', 'nhse_with_icb')),
  considered_by text NOT NULL,
  considered_on date NOT NULL,
  view text NOT NULL CHECK (view IN ('supports', 'does_not_support')),
  reference text NOT NULL,
  note text,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (recommendation_id, body)
);
