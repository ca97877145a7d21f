/**
 * Identity (Issue 6): user accounts with a role and a scope, sign-in with argon2id-hashed
 * passwords and lockout, server-side sessions, and API tokens for machine clients. Every change
 * and every sign-in, failed or not, is appended to the hash-chained audit log.
 *
 * Secrets: a password is kept only as its argon2id hash; a session id and an API token's secret
 * are 32 random bytes, kept only as their SHA-256 (they carry 256 bits of entropy, so a fast hash
 * is enough, and a lookup needs no per-row salt). Nothing secret ever reaches the audit log.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import { hash, verify, type Algorithm } from "@node-rs/argon2";
import { z } from "zod";
import {
  NATION,
  ROLE_SCOPE,
  ROLES,
  scopeShapeProblem,
  type Actor,
  type UserRole,
} from "../domain/access/policy.js";
import { inAuditedTransaction, sha256Hex, type NewAuditEvent } from "../store/audit.js";
import type { Transaction } from "../store/database.js";
import { auditActor, authorise } from "./authorise.js";
import type { ServiceContext } from "./context.js";
import { InvalidInputError, NotFoundError, type FieldProblem } from "./errors.js";

/**
 * After this many failed sign-ins in a row for one name from one source, sign-in for that name
 * from there pauses: 1 minute, doubling with each further failure, at most THROTTLE_MAX_SECONDS.
 */
export const THROTTLE_AFTER_FAILURES = 5;
export const THROTTLE_MAX_SECONDS = 15 * 60;
/** A session lasts this long from sign-in, whatever the activity (then sign in again). */
export const SESSION_HOURS = 8;
export const MIN_PASSWORD_LENGTH = 12;

// Argon2id (the library's `Algorithm.Argon2id`, a const enum), its default costs: 19 MiB, 2 passes.
const ARGON2 = { algorithm: 2 as Algorithm };

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

const USER_COLUMNS = `id, username, display_name, role, scope, is_demo, disabled, failed_sign_ins,
  locked_until, created_at`;

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

const noNul = (v: string) => !v.includes("\u0000");

export const Password = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(1024, "must be at most 1024 characters")
  .refine(noNul, "must not contain NUL characters");

export const NewUser = z
  .object({
    username: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._@-]{0,63}$/, "must be 1–64 lower-case letters, digits or . _ @ -"),
    display_name: z.string().trim().min(1).max(200).refine(noNul, "must not contain NUL"),
    role: z.enum(ROLES),
    scope: z.string().default(NATION),
    password: Password,
  })
  .strict();

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const fields: FieldProblem[] = parsed.error.issues.map((i) => ({
    path: i.path.join(".") || "input",
    message: i.message,
  }));
  throw new InvalidInputError(fields.map((f) => `${f.path}: ${f.message}`).join("; "), fields);
}

function withAudit<T>(
  ctx: ServiceContext,
  work: (tx: Transaction, audit: (event: NewAuditEvent) => Promise<void>) => Promise<T>,
): Promise<T> {
  return inAuditedTransaction(ctx.db, work);
}

/** Checks that a scope names a place of the kind the role acts in, and that it exists. */
async function checkScope(ctx: ServiceContext, role: UserRole, scope: string): Promise<void> {
  const problem = scopeShapeProblem(role, scope);
  const fail = (message: string) => {
    throw new InvalidInputError(`scope: ${message}`, [{ path: "scope", message }]);
  };
  if (problem) fail(problem);
  const kind = ROLE_SCOPE[role];
  if (kind === "region") {
    const [row] = await ctx.db.query("SELECT 1 FROM regions WHERE code = $1", [scope]);
    if (!row) fail(`no region ${scope}`);
  } else if (kind === "icb" || kind === "organisation") {
    const [row] = await ctx.db.query<{ kind: string }>(
      "SELECT kind FROM organisations WHERE code = $1 AND superseded_at IS NULL",
      [scope],
    );
    if (!row) fail(`no organisation ${scope} in the registry (import the registry first)`);
    else if ((kind === "icb") !== (row.kind === "icb"))
      fail(`${scope} is ${kind === "icb" ? "not an ICB" : "an ICB, not a trust"}`);
  }
}

export async function countUsers(ctx: ServiceContext): Promise<number> {
  const [row] = await ctx.db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM users WHERE NOT is_demo",
  );
  return row?.n ?? 0;
}

/** Adds a user account. The first admin is added by the local operator (`oversight users add`). */
export async function addUser(
  ctx: ServiceContext,
  actor: Actor,
  input: z.input<typeof NewUser>,
  options: { isDemo?: boolean } = {},
): Promise<UserRecord> {
  const u = parse(NewUser, input);
  await authorise(ctx, actor, "user:manage", { type: "user", id: u.username });
  await checkScope(ctx, u.role, u.scope);
  if (u.password.toLowerCase().includes(u.username.toLowerCase()))
    throw new InvalidInputError("password: must not contain the username", [
      { path: "password", message: "must not contain the username" },
    ]);
  const passwordHash = await hash(u.password, ARGON2);
  return withAudit(ctx, async (tx, audit) => {
    const [existing] = await tx.query("SELECT 1 FROM users WHERE username = $1", [u.username]);
    if (existing)
      throw new InvalidInputError(`username: ${u.username} already exists`, [
        { path: "username", message: "already exists" },
      ]);
    const [row] = await tx.query<UserRecord>(
      `INSERT INTO users (username, display_name, role, scope, password_hash, is_demo)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${USER_COLUMNS}`,
      [u.username, u.display_name, u.role, u.scope, passwordHash, options.isDemo ?? false],
    );
    await audit({
      actor: auditActor(actor),
      action: "user.added",
      entity_type: "user",
      entity_id: u.username,
      before: null,
      after: row,
    });
    return row!;
  });
}

export async function listUsers(ctx: ServiceContext, actor: Actor): Promise<UserRecord[]> {
  await authorise(ctx, actor, "user:manage", { type: "user" });
  return ctx.db.query<UserRecord>(`SELECT ${USER_COLUMNS} FROM users ORDER BY username`);
}

async function userByName(tx: Transaction, username: string): Promise<UserRecord> {
  const [row] = await tx.query<UserRecord>(
    `SELECT ${USER_COLUMNS} FROM users WHERE username = $1 FOR UPDATE`,
    [username],
  );
  if (!row) throw new NotFoundError(`no user ${username}`);
  return row;
}

/** Disables (or re-enables) an account; disabling also ends its sessions and revokes its tokens. */
export async function setUserDisabled(
  ctx: ServiceContext,
  actor: Actor,
  username: string,
  disabled: boolean,
): Promise<UserRecord> {
  await authorise(ctx, actor, "user:manage", { type: "user", id: username });
  return withAudit(ctx, async (tx, audit) => {
    const before = await userByName(tx, username);
    const [after] = await tx.query<UserRecord>(
      `UPDATE users SET disabled = $2, failed_sign_ins = 0, locked_until = NULL
        WHERE id = $1 RETURNING ${USER_COLUMNS}`,
      [before.id, disabled],
    );
    if (disabled) await revokeEverything(tx, before.id);
    await audit({
      actor: auditActor(actor),
      action: disabled ? "user.disabled" : "user.enabled",
      entity_type: "user",
      entity_id: username,
      before,
      after,
    });
    return after!;
  });
}

async function revokeEverything(tx: Transaction, userId: number): Promise<void> {
  await tx.query(
    "UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL",
    [userId],
  );
  await tx.query(
    "UPDATE api_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL",
    [userId],
  );
}

/** Sets a new password, clears any lockout and ends the account's sessions. */
export async function resetPassword(
  ctx: ServiceContext,
  actor: Actor,
  username: string,
  password: string,
): Promise<UserRecord> {
  await authorise(ctx, actor, "user:manage", { type: "user", id: username });
  const checked = parse(z.object({ password: Password }), { password }).password;
  const passwordHash = await hash(checked, ARGON2);
  return withAudit(ctx, async (tx, audit) => {
    const before = await userByName(tx, username);
    const [after] = await tx.query<UserRecord>(
      `UPDATE users SET password_hash = $2, failed_sign_ins = 0, locked_until = NULL,
              password_changed_at = now()
        WHERE id = $1 RETURNING ${USER_COLUMNS}`,
      [before.id, passwordHash],
    );
    await tx.query(
      "UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL",
      [before.id],
    );
    // An administrator's reset also lifts any sign-in pause on the name.
    await tx.query("DELETE FROM sign_in_throttle WHERE username = $1", [username]);
    await audit({
      actor: auditActor(actor),
      action: "user.password_reset",
      entity_type: "user",
      entity_id: username,
      before,
      after,
    });
    return after!;
  });
}

// ---------------------------------------------------------------------------------------------
// Sign-in and sessions

export type SignInResult =
  | { ok: true; sessionId: string; actor: Actor; device: string }
  /** `invalid` covers a wrong name or password and a throttled attempt alike (issue 20). */
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
 * is audited. Issue 20: failures are throttled per name typed and per source address, with
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
    await withAudit(ctx, async (tx, audit) => {
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
  await withAudit(ctx, async (tx, audit) => {
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
  return withAudit(ctx, async (tx, audit) => {
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
  await withAudit(ctx, async (tx, audit) => {
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

export const NewApiToken = z
  .object({
    name: z.string().trim().min(1).max(100).refine(noNul, "must not contain NUL"),
    read_only: z.boolean().default(true),
    expires_in_days: z.number().int().min(1).max(3650).nullable().default(90),
  })
  .strict();

/**
 * Creates an API token acting as `username` (with the user's role and scope), read-only unless
 * asked otherwise. The token is returned once; only its hash is kept.
 */
export async function createApiToken(
  ctx: ServiceContext,
  actor: Actor,
  username: string,
  input: z.input<typeof NewApiToken>,
): Promise<{ token: string; record: ApiTokenRecord }> {
  const t = parse(NewApiToken, input);
  await authorise(ctx, actor, "user:manage", { type: "api_token", id: username });
  const id = randomBytes(8).toString("hex");
  const secret = randomBytes(32).toString("base64url");
  const record = await withAudit(ctx, async (tx, audit) => {
    const user = await userByName(tx, username);
    const [row] = await tx.query<ApiTokenRecord>(
      `INSERT INTO api_tokens (id, user_id, name, secret_hash, read_only, expires_at)
       VALUES ($1, $2, $3, $4, $5,
               CASE WHEN $6::int IS NULL THEN NULL ELSE now() + make_interval(days => $6::int) END)
       RETURNING id, $7::text AS username, name, read_only, created_at, expires_at, revoked_at,
                 last_used_at`,
      [id, user.id, t.name, sha256Hex(secret), t.read_only, t.expires_in_days, user.username],
    );
    await audit({
      actor: auditActor(actor),
      action: "api_token.created",
      entity_type: "api_token",
      entity_id: id,
      before: null,
      after: row,
    });
    return row!;
  });
  return { token: `ovt_${id}_${secret}`, record };
}

export async function listApiTokens(ctx: ServiceContext, actor: Actor): Promise<ApiTokenRecord[]> {
  await authorise(ctx, actor, "user:manage", { type: "api_token" });
  return ctx.db.query<ApiTokenRecord>(
    `SELECT t.id, u.username, t.name, t.read_only, t.created_at, t.expires_at, t.revoked_at,
            t.last_used_at
       FROM api_tokens t JOIN users u ON u.id = t.user_id ORDER BY u.username, t.created_at`,
  );
}

export async function revokeApiToken(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
): Promise<ApiTokenRecord> {
  await authorise(ctx, actor, "user:manage", { type: "api_token", id });
  return withAudit(ctx, async (tx, audit) => {
    const [row] = await tx.query<ApiTokenRecord>(
      `UPDATE api_tokens t SET revoked_at = coalesce(t.revoked_at, now()) FROM users u
        WHERE t.id = $1 AND u.id = t.user_id
        RETURNING t.id, u.username, t.name, t.read_only, t.created_at, t.expires_at, t.revoked_at,
                  t.last_used_at`,
      [id],
    );
    if (!row) throw new NotFoundError(`no API token ${id}`);
    await audit({
      actor: auditActor(actor),
      action: "api_token.revoked",
      entity_type: "api_token",
      entity_id: id,
      before: null,
      after: row,
    });
    return row;
  });
}

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

// ---------------------------------------------------------------------------------------------
// Demo accounts

/** The demo's account of each role and where it acts: a London region, ICB and trust. */
export function demoAccounts(places: {
  region: string;
  icb: string;
  trust: string;
}): { username: string; role: UserRole; scope: string }[] {
  const scopeOf: Record<UserRole, string> = {
    national_oversight: NATION,
    regional_team: places.region,
    rsg_member: places.region,
    prc_member: NATION,
    icb_user: places.icb,
    trust_user: places.trust,
    cqc_user: NATION,
    admin: NATION,
  };
  return ROLES.map((role) => ({ username: `demo.${role}`, role, scope: scopeOf[role] }));
}

/**
 * Creates or refreshes the demo accounts (one per role, `is_demo`) with `password`, enabled.
 * They sign in only while the server runs the demo (`serve` with the demo on).
 */
export async function enableDemoAccounts(
  ctx: ServiceContext,
  actor: Actor,
  password: string,
): Promise<{ username: string; role: UserRole; scope: string }[]> {
  const [place] = await ctx.db.query<{ region: string; icb: string; trust: string }>(
    `SELECT t.region, t.icb_code AS icb, t.code AS trust
       FROM organisations t JOIN organisations i ON i.code = t.icb_code AND i.superseded_at IS NULL
      WHERE t.superseded_at IS NULL AND t.kind <> 'icb' AND t.close_date IS NULL
      ORDER BY t.region, t.icb_code, t.code LIMIT 1`,
  );
  if (!place) throw new InvalidInputError("the demo accounts need the registry loaded");
  const accounts = demoAccounts(place);
  for (const account of accounts) {
    const [existing] = await ctx.db.query<{ is_demo: boolean }>(
      "SELECT is_demo FROM users WHERE username = $1",
      [account.username],
    );
    if (existing && !existing.is_demo)
      throw new InvalidInputError(`${account.username} is a real account, not a demo one`);
    if (!existing)
      await addUser(
        ctx,
        actor,
        { ...account, display_name: `Demo ${account.role.replace(/_/g, " ")}`, password },
        { isDemo: true },
      );
    else {
      await resetPassword(ctx, actor, account.username, password);
      await setUserDisabled(ctx, actor, account.username, false);
    }
  }
  return accounts;
}

/** Disables every demo account (a server started without the demo). */
export async function disableDemoAccounts(ctx: ServiceContext, actor: Actor): Promise<number> {
  const demo = await ctx.db.query<{ username: string }>(
    "SELECT username FROM users WHERE is_demo AND NOT disabled",
  );
  for (const { username } of demo) await setUserDisabled(ctx, actor, username, true);
  return demo.length;
}
