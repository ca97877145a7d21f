/**
 * Identity (requirements §6): sign-in with argon2id-hashed passwords and lockout, server-side sessions,
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
import { auditActor, authorise } from "./authorise.js";
import type { ServiceContext } from "./context.js";
import { ARGON2 } from "./passwords.js";

export { MIN_PASSWORD_LENGTH, Password } from "./passwords.js";
export * from "./user-accounts.js";

/**
 * After this many failed sign-ins in a row for one name from one source, sign-in for that name
 * from there pauses: 1 minute, doubling with each further failure, at most THROTTLE_MAX_SECONDS.
 */
export const THROTTLE_AFTER_FAILURES = 5;
export const THROTTLE_MAX_SECONDS = 15 * 60;
/** A session lasts this long from sign-in, whatever the activity (then sign in again). */
export const SESSION_HOURS = 8;

export async function countUsers(ctx: ServiceContext): Promise<number> {
  return countRealUsers(ctx.db);
}

// ---------------------------------------------------------------------------------------------
// Sign-in and sessions

export type SignInResult =
  | { ok: true; sessionId: string; actor: Actor; device: string }
  /** `invalid` covers a wrong name or password and a throttled attempt alike (requirements §20). */
  | { ok: false; reason: "no_users" | "invalid" };

interface UserSecret extends UserRecord {
  password_hash: string;
}

// A hash to verify against when the username is unknown, so the answer takes as long either way.
let decoyHash: Promise<string> | undefined;
const decoy = () => (decoyHash ??= hash(randomBytes(24).toString("hex"), ARGON2));

function usable(user: UserRecord, demoMode: boolean): boolean {
  return !user.disabled && (!user.is_demo || demoMode);
}

/** The name as typed, storable and printable: a NUL (which no table can hold) shown as `\0`. */
function typedName(username: string): string {
  return username.trim().toLowerCase().slice(0, 64).replaceAll("\u0000", "\\0");
}

/** How long sign-in for a name from a source pauses after `failures` failures in a row. */
export function throttleSeconds(failures: number): number {
  if (failures < THROTTLE_AFTER_FAILURES) return 0;
  return Math.min(60 * 2 ** (failures - THROTTLE_AFTER_FAILURES), THROTTLE_MAX_SECONDS);
}

/**
 * Signs a user in: on success a new session (a fresh id: any id the browser held before is never
 * reused, so a planted session cannot be fixed on the victim) and a device cookie. Every attempt
 * is audited. requirements §20: failures are throttled per name typed and per source address, with
 * backoff (THROTTLE_AFTER_FAILURES, then 1, 2, 4 … up to 15 minutes), never by locking the
 * account: guessing from one place cannot keep the owner out, and a device that signed in before
 * (`device`) is not held back. An unknown name is throttled and answered exactly like a known one.
 * Demo accounts work only in `demoMode`.
 */
export async function signIn(
  ctx: ServiceContext,
  credentials: { username: string; password: string },
  options: { demoMode: boolean; now?: Date; source?: string; device?: string | undefined },
): Promise<SignInResult> {
  const now = options.now ?? new Date();
  const username = typedName(credentials.username);
  const source = (options.source ?? "local").slice(0, 100);
  const [user] = await ctx.db.query<UserSecret>(
    `SELECT ${USER_COLUMNS}, password_hash FROM users WHERE username = $1`,
    [username],
  );
  if (!user && (await countUsers(ctx)) === 0 && !options.demoMode)
    return { ok: false, reason: "no_users" };
  const password = credentials.password.slice(0, 1024);
  const matches = await verify(user?.password_hash ?? (await decoy()), password).catch(() => false);
  const attempted = { user: username, role: "public", scope: NATION };
  const knownDevice =
    user !== undefined &&
    options.device !== undefined &&
    /^[A-Za-z0-9_-]{43}$/.test(options.device) &&
    (
      await ctx.db.query("SELECT 1 FROM known_devices WHERE id_hash = $1 AND user_id = $2", [
        sha256Hex(options.device),
        user.id,
      ])
    ).length > 0;
  const [throttle] = await ctx.db.query<{ failures: number; blocked_until: string | null }>(
    "SELECT failures, blocked_until FROM sign_in_throttle WHERE username = $1 AND source = $2",
    [username, source],
  );
  const held =
    !knownDevice && throttle?.blocked_until != null && new Date(throttle.blocked_until) > now;

  if (held || !user || !matches || !usable(user, options.demoMode)) {
    const reason = held
      ? "throttled"
      : !user
        ? "unknown user"
        : !matches
          ? "wrong password"
          : user.disabled
            ? "account disabled"
            : "demo account outside the demo";
    await inAuditedTransaction(ctx.db, async (tx, audit) => {
      let blockedUntil: string | null = throttle?.blocked_until ?? null;
      if (!held) {
        const failures = (throttle?.failures ?? 0) + 1;
        const pause = throttleSeconds(failures);
        blockedUntil = pause > 0 ? new Date(now.getTime() + pause * 1000).toISOString() : null;
        await tx.query(
          `INSERT INTO sign_in_throttle (username, source, failures, blocked_until)
           VALUES ($1, $2, $3, $4)
           ON CONFLICT (username, source) DO UPDATE SET failures = $3, blocked_until = $4`,
          [username, source, failures, blockedUntil],
        );
      }
      await audit({
        actor: attempted,
        action: "sign_in.failed",
        entity_type: "user",
        entity_id: username,
        before: null,
        after: { reason, source, ...(blockedUntil ? { paused_until: blockedUntil } : {}) },
      });
    });
    return { ok: false, reason: "invalid" };
  }

  const sessionId = randomBytes(32).toString("base64url");
  const device = knownDevice ? options.device! : randomBytes(32).toString("base64url");
  const actor: Actor = { user: user.username, role: user.role, scope: user.scope };
  await inAuditedTransaction(ctx.db, async (tx, audit) => {
    await tx.query("DELETE FROM sign_in_throttle WHERE username = $1 AND source = $2", [
      username,
      source,
    ]);
    await tx.query("INSERT INTO sessions (id_hash, user_id, expires_at) VALUES ($1, $2, $3)", [
      sha256Hex(sessionId),
      user.id,
      new Date(now.getTime() + SESSION_HOURS * 3_600_000).toISOString(),
    ]);
    await tx.query(
      `INSERT INTO known_devices (id_hash, user_id) VALUES ($1, $2)
       ON CONFLICT (id_hash) DO UPDATE SET last_used_at = now()`,
      [sha256Hex(device), user.id],
    );
    await audit({
      actor: auditActor(actor),
      action: "sign_in.succeeded",
      entity_type: "user",
      entity_id: user.username,
      before: null,
      after: {
        session: sha256Hex(sessionId).slice(0, 12),
        source,
        known_device: knownDevice,
        ...(throttle ? { cleared_failures: throttle.failures } : {}),
      },
    });
  });
  return { ok: true, sessionId, actor, device };
}

/** Lifts every sign-in pause on `username` (an administrator's unlock), audited. */
export async function unlockSignIn(
  ctx: ServiceContext,
  actor: Actor,
  username: string,
): Promise<number> {
  await authorise(ctx, actor, "user:manage", { type: "user", id: username });
  return inAuditedTransaction(ctx.db, async (tx, audit) => {
    const lifted = await tx.query<{ source: string }>(
      "DELETE FROM sign_in_throttle WHERE username = $1 RETURNING source",
      [username],
    );
    await audit({
      actor: auditActor(actor),
      action: "sign_in.unlocked",
      entity_type: "user",
      entity_id: username,
      before: { paused_sources: lifted.map((l) => l.source) },
      after: null,
    });
    return lifted.length;
  });
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
