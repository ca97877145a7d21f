/**
 * Identity (Issue 6): sign-in with argon2id-hashed passwords and lockout, server-side sessions,
 * and the actor an API token stands for; the accounts and tokens themselves are managed in
 * user-accounts.ts (re-exported here). Every change and every sign-in, failed or not, is appended
 * to the hash-chained audit log.
 *
 * Secrets: a password is kept only as its argon2id hash; a session id and an API token's secret
 * are 32 random bytes, kept only as their SHA-256 (they carry 256 bits of entropy, so a fast hash
 * is enough, and a lookup needs no per-row salt). Nothing secret ever reaches the audit log.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";
import { NATION, type Actor } from "../domain/access/policy.js";
import { inAuditedTransaction, sha256Hex } from "../store/audit.js";
import { countRealUsers, USER_COLUMNS, type UserRecord } from "../store/users.js";
import { auditActor } from "./authorise.js";
import type { ServiceContext } from "./context.js";
import { ARGON2 } from "./passwords.js";

export { MIN_PASSWORD_LENGTH, Password } from "./passwords.js";
export * from "./user-accounts.js";

/** After this many failed sign-ins in a row, the account is locked for LOCKOUT_MINUTES. */
export const LOCKOUT_THRESHOLD = 5;
export const LOCKOUT_MINUTES = 15;
/** A session lasts this long from sign-in, whatever the activity (then sign in again). */
export const SESSION_HOURS = 8;

export async function countUsers(ctx: ServiceContext): Promise<number> {
  return countRealUsers(ctx.db);
}

// ---------------------------------------------------------------------------------------------
// Sign-in and sessions

export type SignInResult =
  | { ok: true; sessionId: string; actor: Actor }
  | { ok: false; reason: "no_users" | "invalid" | "locked" };

interface UserSecret extends UserRecord {
  password_hash: string;
}

// A hash to verify against when the username is unknown, so the answer takes as long either way.
let decoyHash: Promise<string> | undefined;
const decoy = () => (decoyHash ??= hash(randomBytes(24).toString("hex"), ARGON2));

function usable(user: UserRecord, demoMode: boolean): boolean {
  return !user.disabled && (!user.is_demo || demoMode);
}

/**
 * Signs a user in: on success a new session (a fresh id: any id the browser held before is never
 * reused, so a planted session cannot be fixed on the victim). Five failures in a row lock the
 * account for fifteen minutes; every attempt is audited. Demo accounts work only in `demoMode`.
 */
export async function signIn(
  ctx: ServiceContext,
  credentials: { username: string; password: string },
  options: { demoMode: boolean; now?: Date },
): Promise<SignInResult> {
  const now = options.now ?? new Date();
  const username = credentials.username.trim().toLowerCase().slice(0, 64);
  const [user] = await ctx.db.query<UserSecret>(
    `SELECT ${USER_COLUMNS}, password_hash FROM users WHERE username = $1`,
    [username.includes("\u0000") ? "" : username],
  );
  if (!user && (await countUsers(ctx)) === 0 && !options.demoMode)
    return { ok: false, reason: "no_users" };
  const password = credentials.password.slice(0, 1024);
  const matches = await verify(user?.password_hash ?? (await decoy()), password).catch(() => false);
  const attempted = { user: username, role: "public", scope: NATION };

  if (user && user.locked_until !== null && new Date(user.locked_until) > now) {
    await inAuditedTransaction(ctx.db, (_tx, audit) =>
      audit({
        actor: attempted,
        action: "sign_in.failed",
        entity_type: "user",
        entity_id: username,
        before: null,
        after: { reason: "locked", locked_until: user.locked_until },
      }),
    );
    return { ok: false, reason: "locked" };
  }

  if (!user || !matches || !usable(user, options.demoMode)) {
    const reason = !user
      ? "unknown user"
      : !matches
        ? "wrong password"
        : user.disabled
          ? "account disabled"
          : "demo account outside the demo";
    const locked = await inAuditedTransaction(ctx.db, async (tx, audit) => {
      let lockedUntil: string | null = null;
      if (user && !matches) {
        const failures = user.failed_sign_ins + 1;
        if (failures >= LOCKOUT_THRESHOLD)
          lockedUntil = new Date(now.getTime() + LOCKOUT_MINUTES * 60_000).toISOString();
        await tx.query("UPDATE users SET failed_sign_ins = $2, locked_until = $3 WHERE id = $1", [
          user.id,
          lockedUntil ? 0 : failures,
          lockedUntil,
        ]);
      }
      await audit({
        actor: attempted,
        action: "sign_in.failed",
        entity_type: "user",
        entity_id: username,
        before: null,
        after: { reason, ...(lockedUntil ? { locked_until: lockedUntil } : {}) },
      });
      if (lockedUntil)
        await audit({
          actor: attempted,
          action: "user.locked",
          entity_type: "user",
          entity_id: username,
          before: null,
          after: { locked_until: lockedUntil, after_failures: LOCKOUT_THRESHOLD },
        });
      return lockedUntil !== null;
    });
    return { ok: false, reason: locked ? "locked" : "invalid" };
  }

  const sessionId = randomBytes(32).toString("base64url");
  const actor: Actor = { user: user.username, role: user.role, scope: user.scope };
  await inAuditedTransaction(ctx.db, async (tx, audit) => {
    await tx.query("UPDATE users SET failed_sign_ins = 0, locked_until = NULL WHERE id = $1", [
      user.id,
    ]);
    await tx.query("INSERT INTO sessions (id_hash, user_id, expires_at) VALUES ($1, $2, $3)", [
      sha256Hex(sessionId),
      user.id,
      new Date(now.getTime() + SESSION_HOURS * 3_600_000).toISOString(),
    ]);
    await audit({
      actor: auditActor(actor),
      action: "sign_in.succeeded",
      entity_type: "user",
      entity_id: user.username,
      before: null,
      after: { session: sha256Hex(sessionId).slice(0, 12) },
    });
  });
  return { ok: true, sessionId, actor };
}

/** The actor a session cookie stands for, or null if it is unknown, ended, expired or barred. */
export async function sessionActor(
  ctx: ServiceContext,
  sessionId: string,
  options: { demoMode: boolean; now?: Date },
): Promise<Actor | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(sessionId)) return null;
  const [row] = await ctx.db.query<UserRecord & { expires_at: string; revoked_at: string | null }>(
    `SELECT u.username, u.role, u.scope, u.disabled, u.is_demo, s.expires_at, s.revoked_at
       FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = $1`,
    [sha256Hex(sessionId)],
  );
  if (!row || row.revoked_at !== null) return null;
  if (new Date(row.expires_at) <= (options.now ?? new Date())) return null;
  if (!usable(row, options.demoMode)) return null;
  return { user: row.username, role: row.role, scope: row.scope };
}

/** Ends a session (sign-out). */
export async function signOut(ctx: ServiceContext, sessionId: string, actor: Actor): Promise<void> {
  await inAuditedTransaction(ctx.db, async (tx, audit) => {
    await tx.query(
      "UPDATE sessions SET revoked_at = now() WHERE id_hash = $1 AND revoked_at IS NULL",
      [sha256Hex(sessionId)],
    );
    await audit({
      actor: auditActor(actor),
      action: "sign_out",
      entity_type: "user",
      entity_id: actor.user,
      before: null,
      after: null,
    });
  });
}

// ---------------------------------------------------------------------------------------------
// API tokens

const TOKEN_PATTERN = /^ovt_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

/** The actor an API token stands for; null if it is malformed, unknown, revoked or expired. */
export async function tokenActor(
  ctx: ServiceContext,
  token: string,
  options: { demoMode: boolean; now?: Date },
): Promise<Actor | null> {
  const match = TOKEN_PATTERN.exec(token);
  if (!match) return null;
  const [, id, secret] = match as unknown as [string, string, string];
  const [row] = await ctx.db.query<
    UserRecord & {
      secret_hash: string;
      read_only: boolean;
      expires_at: string | null;
      revoked_at: string | null;
    }
  >(
    `SELECT u.username, u.role, u.scope, u.disabled, u.is_demo, t.secret_hash, t.read_only,
            t.expires_at, t.revoked_at
       FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.id = $1`,
    [id],
  );
  if (!row || row.revoked_at !== null) return null;
  const presented = Buffer.from(sha256Hex(secret));
  if (!timingSafeEqual(presented, Buffer.from(row.secret_hash))) return null;
  if (row.expires_at !== null && new Date(row.expires_at) <= (options.now ?? new Date()))
    return null;
  if (!usable(row, options.demoMode)) return null;
  await ctx.db.query("UPDATE api_tokens SET last_used_at = now() WHERE id = $1", [id]);
  return { user: row.username, role: row.role, scope: row.scope, readOnly: row.read_only };
}
