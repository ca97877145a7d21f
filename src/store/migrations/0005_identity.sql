-- Identity and access (requirements §6): user accounts with a role and the scope they act in, server-side
-- sign-in sessions, API tokens for machine clients, and the counters behind account lockout.
-- Secrets are never stored: passwords as argon2id hashes (PHC strings), session ids and token
-- secrets as SHA-256 digests of high-entropy random values.

CREATE TABLE users (
  id bigserial PRIMARY KEY,
  username text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9][a-z0-9._@-]{0,63}$'),
  display_name text NOT NULL,
  role text NOT NULL CHECK (role IN ('national_oversight', 'regional_team', 'rsg_member',
    'prc_member', 'icb_user', 'trust_user', 'cqc_user', 'admin')),
  -- 'national', a region code, an ICB code or an organisation code, as the role requires.
  scope text NOT NULL,
  password_hash text NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
  -- Demo accounts (one per role) sign in only while the server runs the demo.
  is_demo boolean NOT NULL DEFAULT false,
  disabled boolean NOT NULL DEFAULT false,
  failed_sign_ins integer NOT NULL DEFAULT 0 CHECK (failed_sign_ins >= 0),
  locked_until timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  password_changed_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sessions (
  -- sha256 of the cookie's value: a stolen table cannot be replayed as cookies.
  id_hash text PRIMARY KEY CHECK (id_hash ~ '^[0-9a-f]{64}$'),
  user_id bigint NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
  -- The public half of the token (`ovt_<id>_<secret>`), shown in listings.
  id text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{16}$'),
  user_id bigint NOT NULL REFERENCES users (id),
  name text NOT NULL,
  secret_hash text NOT NULL CHECK (secret_hash ~ '^[0-9a-f]{64}$'),
  read_only boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz,
  revoked_at timestamptz,
  last_used_at timestamptz
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);
