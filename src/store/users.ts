/** The users repository: accounts, their sessions and their API tokens (secrets only as hashes). */
import type { UserRole } from "../domain/access/policy.js";
import type { Queryable } from "./database.js";

export interface UserRecord {
  id: number;
  username: string;
  display_name: string;
  role: UserRole;
  scope: string;
  is_demo: boolean;
  disabled: boolean;
  failed_sign_ins: number;
  locked_until: string | null;
  created_at: string;
}

export interface ApiTokenRecord {
  id: string;
  username: string;
  name: string;
  read_only: boolean;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
}

export const USER_COLUMNS = `id, username, display_name, role, scope, is_demo, disabled, failed_sign_ins,
  locked_until, created_at`;
const TOKEN_COLUMNS = `t.id, u.username, t.name, t.read_only, t.created_at, t.expires_at, t.revoked_at,
  t.last_used_at`;

/** One account by its username; with `forUpdate`, locked for the rest of the transaction. */
export async function findUser(
  db: Queryable,
  username: string,
  forUpdate = false,
): Promise<UserRecord | undefined> {
  const [row] = await db.query<UserRecord>(
    `SELECT ${USER_COLUMNS} FROM users WHERE username = $1${forUpdate ? " FOR UPDATE" : ""}`,
    [username],
  );
  return row;
}

export async function findUsers(db: Queryable): Promise<UserRecord[]> {
  return db.query<UserRecord>(`SELECT ${USER_COLUMNS} FROM users ORDER BY username`);
}

/** How many real (not demo) accounts there are. */
export async function countRealUsers(db: Queryable): Promise<number> {
  const [row] = await db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM users WHERE NOT is_demo",
  );
  return row?.n ?? 0;
}

/** The usernames of the demo accounts still enabled. */
export async function enabledDemoUsernames(db: Queryable): Promise<string[]> {
  const rows = await db.query<{ username: string }>(
    "SELECT username FROM users WHERE is_demo AND NOT disabled",
  );
  return rows.map((r) => r.username);
}

export async function insertUser(
  tx: Queryable,
  u: Pick<UserRecord, "username" | "display_name" | "role" | "scope" | "is_demo"> & {
    password_hash: string;
  },
): Promise<UserRecord> {
  const [row] = await tx.query<UserRecord>(
    `INSERT INTO users (username, display_name, role, scope, password_hash, is_demo)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${USER_COLUMNS}`,
    [u.username, u.display_name, u.role, u.scope, u.password_hash, u.is_demo],
  );
  return row!;
}

/** Disables or enables an account, clearing any lockout. */
export async function setDisabled(
  tx: Queryable,
  userId: number,
  disabled: boolean,
): Promise<UserRecord> {
  const [row] = await tx.query<UserRecord>(
    `UPDATE users SET disabled = $2, failed_sign_ins = 0, locked_until = NULL
      WHERE id = $1 RETURNING ${USER_COLUMNS}`,
    [userId, disabled],
  );
  return row!;
}

/** Sets a new password hash, clearing any lockout. */
export async function setPasswordHash(
  tx: Queryable,
  userId: number,
  passwordHash: string,
): Promise<UserRecord> {
  const [row] = await tx.query<UserRecord>(
    `UPDATE users SET password_hash = $2, failed_sign_ins = 0, locked_until = NULL,
            password_changed_at = now()
      WHERE id = $1 RETURNING ${USER_COLUMNS}`,
    [userId, passwordHash],
  );
  return row!;
}

/** Lifts every sign-in pause on a name (docs/access.md: sign-in throttling). */
export async function clearSignInThrottle(tx: Queryable, username: string): Promise<void> {
  await tx.query("DELETE FROM sign_in_throttle WHERE username = $1", [username]);
}

/** Ends every open session of an account. */
export async function revokeSessions(tx: Queryable, userId: number): Promise<void> {
  await tx.query(
    "UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL",
    [userId],
  );
}

/** Revokes every API token of an account still in force. */
export async function revokeTokensOf(tx: Queryable, userId: number): Promise<void> {
  await tx.query(
    "UPDATE api_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL",
    [userId],
  );
}

export async function insertApiToken(
  tx: Queryable,
  t: {
    id: string;
    user: Pick<UserRecord, "id" | "username">;
    name: string;
    secret_hash: string;
    read_only: boolean;
    expires_in_days: number | null;
  },
): Promise<ApiTokenRecord> {
  const [row] = await tx.query<ApiTokenRecord>(
    `INSERT INTO api_tokens (id, user_id, name, secret_hash, read_only, expires_at)
     VALUES ($1, $2, $3, $4, $5,
             CASE WHEN $6::int IS NULL THEN NULL ELSE now() + make_interval(days => $6::int) END)
     RETURNING id, $7::text AS username, name, read_only, created_at, expires_at, revoked_at,
               last_used_at`,
    [t.id, t.user.id, t.name, t.secret_hash, t.read_only, t.expires_in_days, t.user.username],
  );
  return row!;
}

export async function findApiTokens(db: Queryable): Promise<ApiTokenRecord[]> {
  return db.query<ApiTokenRecord>(
    `SELECT ${TOKEN_COLUMNS} FROM api_tokens t JOIN users u ON u.id = t.user_id
      ORDER BY u.username, t.created_at`,
  );
}

/** Revokes one token (keeping the first revocation's time); undefined if there is none. */
export async function revokeToken(tx: Queryable, id: string): Promise<ApiTokenRecord | undefined> {
  const [row] = await tx.query<ApiTokenRecord>(
    `UPDATE api_tokens t SET revoked_at = coalesce(t.revoked_at, now()) FROM users u
      WHERE t.id = $1 AND u.id = t.user_id RETURNING ${TOKEN_COLUMNS}`,
    [id],
  );
  return row;
}
