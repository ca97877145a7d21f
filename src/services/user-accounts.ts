/**
 * Managing accounts (docs/access.md): add a user with a role and a scope, disable or re-enable
 * one, reset a password, create and revoke API tokens, and the demo's accounts. Each change is a
 * command (kernel/command.ts) audited in its transaction; nothing secret reaches the audit log.
 * The first admin is added by the local operator (`oversight users add`).
 */
import { randomBytes } from "node:crypto";
import { z } from "zod";
import {
  NATION,
  ROLE_SCOPE,
  ROLES,
  scopeShapeProblem,
  type Actor,
  type UserRole,
} from "../domain/access/policy.js";
import { sha256Hex } from "../store/audit.js";
import type { Queryable } from "../store/database.js";
import {
  findOrganisationLifespan,
  firstTrustWithIcb,
  regionExists,
} from "../store/organisations.js";
import {
  enabledDemoUsernames,
  findApiTokens,
  findUser,
  findUsers,
  insertApiToken,
  clearSignInThrottle,
  insertUser,
  revokeSessions,
  revokeToken,
  revokeTokensOf,
  setDisabled,
  setPasswordHash,
  type ApiTokenRecord,
  type UserRecord,
} from "../store/users.js";
import { authorise } from "./authorise.js";
import type { ServiceContext } from "./context.js";
import { InvalidInputError, NotFoundError } from "./errors.js";
import { defineCommand } from "./kernel/command.js";
import { hashPassword, noNul, Password } from "./passwords.js";

export type { ApiTokenRecord, UserRecord } from "../store/users.js";

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

/** Checks that a scope names a place of the kind the role acts in, and that it exists. */
async function checkScope(db: Queryable, role: UserRole, scope: string): Promise<void> {
  const problem = scopeShapeProblem(role, scope);
  const fail = (message: string) => {
    throw new InvalidInputError(`scope: ${message}`, [{ path: "scope", message }]);
  };
  if (problem) fail(problem);
  const kind = ROLE_SCOPE[role];
  if (kind === "region") {
    if (!(await regionExists(db, scope))) fail(`no region ${scope}`);
  } else if (kind === "icb" || kind === "organisation") {
    const org = await findOrganisationLifespan(db, scope);
    if (!org) fail(`no organisation ${scope} in the registry (import the registry first)`);
    else if ((kind === "icb") !== (org.kind === "icb"))
      fail(`${scope} is ${kind === "icb" ? "not an ICB" : "an ICB, not a trust"}`);
  }
}

/** The account `username`, locked in the transaction, or NotFoundError. */
async function lockedUser(tx: Queryable, username: string): Promise<UserRecord> {
  const user = await findUser(tx, username, true);
  if (!user) throw new NotFoundError(`no user ${username}`);
  return user;
}

export const addUserCommand = defineCommand({
  name: "user.add",
  input: NewUser.extend({ is_demo: z.boolean().default(false) }).strict(),
  action: "user:manage",
  resource: (u) => ({ type: "user", id: u.username }),
  prepare: async (ctx, _actor, u) => {
    await checkScope(ctx.db, u.role, u.scope);
    if (u.password.toLowerCase().includes(u.username.toLowerCase()))
      throw new InvalidInputError("password: must not contain the username", [
        { path: "password", message: "must not contain the username" },
      ]);
    return hashPassword(u.password);
  },
  run: async ({ tx, input: u, prepared: passwordHash, audit }) => {
    if (await findUser(tx, u.username))
      throw new InvalidInputError(`username: ${u.username} already exists`, [
        { path: "username", message: "already exists" },
      ]);
    const row = await insertUser(tx, { ...u, password_hash: passwordHash });
    await audit({
      action: "user.added",
      entity_type: "user",
      entity_id: u.username,
      before: null,
      after: row,
    });
    return row;
  },
});

/** Adds a user account (a demo account with `isDemo`). */
export function addUser(
  ctx: ServiceContext,
  actor: Actor,
  input: z.input<typeof NewUser>,
  options: { isDemo?: boolean } = {},
): Promise<UserRecord> {
  return addUserCommand(ctx, actor, { ...input, is_demo: options.isDemo ?? false });
}

export async function listUsers(ctx: ServiceContext, actor: Actor): Promise<UserRecord[]> {
  await authorise(ctx, actor, "user:manage", { type: "user" });
  return findUsers(ctx.db);
}

const Username = z.string().min(1);

/** Disables (or re-enables) an account; disabling also ends its sessions and revokes its tokens. */
export const setUserDisabledCommand = defineCommand({
  name: "user.disable",
  input: z.object({ username: Username, disabled: z.boolean() }).strict(),
  action: "user:manage",
  resource: (u) => ({ type: "user", id: u.username }),
  run: async ({ tx, input: { username, disabled }, audit }) => {
    const before = await lockedUser(tx, username);
    const after = await setDisabled(tx, before.id, disabled);
    if (disabled) {
      await revokeSessions(tx, before.id);
      await revokeTokensOf(tx, before.id);
    }
    await audit({
      action: disabled ? "user.disabled" : "user.enabled",
      entity_type: "user",
      entity_id: username,
      before,
      after,
    });
    return after;
  },
});

export function setUserDisabled(
  ctx: ServiceContext,
  actor: Actor,
  username: string,
  disabled: boolean,
): Promise<UserRecord> {
  return setUserDisabledCommand(ctx, actor, { username, disabled });
}

/** Sets a new password, clears any lockout and ends the account's sessions. */
export const resetPasswordCommand = defineCommand({
  name: "user.reset_password",
  input: z.object({ username: Username, password: Password }).strict(),
  action: "user:manage",
  resource: (u) => ({ type: "user", id: u.username }),
  prepare: (_ctx, _actor, u) => hashPassword(u.password),
  run: async ({ tx, input: { username }, prepared: passwordHash, audit }) => {
    const before = await lockedUser(tx, username);
    const after = await setPasswordHash(tx, before.id, passwordHash);
    await revokeSessions(tx, before.id);
    // An administrator's reset also lifts any sign-in pause on the name.
    await clearSignInThrottle(tx, username);
    await audit({
      action: "user.password_reset",
      entity_type: "user",
      entity_id: username,
      before,
      after,
    });
    return after;
  },
});

export function resetPassword(
  ctx: ServiceContext,
  actor: Actor,
  username: string,
  password: string,
): Promise<UserRecord> {
  return resetPasswordCommand(ctx, actor, { username, password });
}

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
export const createApiTokenCommand = defineCommand({
  name: "api_token.create",
  input: NewApiToken.extend({ username: Username }).strict(),
  action: "user:manage",
  resource: (t) => ({ type: "api_token", id: t.username }),
  run: async ({ tx, input: t, audit }) => {
    const id = randomBytes(8).toString("hex");
    const secret = randomBytes(32).toString("base64url");
    const user = await lockedUser(tx, t.username);
    const record = await insertApiToken(tx, {
      id,
      user,
      name: t.name,
      secret_hash: sha256Hex(secret),
      read_only: t.read_only,
      expires_in_days: t.expires_in_days,
    });
    await audit({
      action: "api_token.created",
      entity_type: "api_token",
      entity_id: id,
      before: null,
      after: record,
    });
    return { token: `ovt_${id}_${secret}`, record };
  },
});

export function createApiToken(
  ctx: ServiceContext,
  actor: Actor,
  username: string,
  input: z.input<typeof NewApiToken>,
): Promise<{ token: string; record: ApiTokenRecord }> {
  return createApiTokenCommand(ctx, actor, { ...input, username });
}

export async function listApiTokens(ctx: ServiceContext, actor: Actor): Promise<ApiTokenRecord[]> {
  await authorise(ctx, actor, "user:manage", { type: "api_token" });
  return findApiTokens(ctx.db);
}

export const revokeApiTokenCommand = defineCommand({
  name: "api_token.revoke",
  input: z.object({ id: z.string() }).strict(),
  action: "user:manage",
  resource: (t) => ({ type: "api_token", id: t.id }),
  run: async ({ tx, input: { id }, audit }) => {
    const row = await revokeToken(tx, id);
    if (!row) throw new NotFoundError(`no API token ${id}`);
    await audit({
      action: "api_token.revoked",
      entity_type: "api_token",
      entity_id: id,
      before: null,
      after: row,
    });
    return row;
  },
});

export function revokeApiToken(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
): Promise<ApiTokenRecord> {
  return revokeApiTokenCommand(ctx, actor, { id });
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
  const place = await firstTrustWithIcb(ctx.db);
  if (!place) throw new InvalidInputError("the demo accounts need the registry loaded");
  const accounts = demoAccounts(place);
  for (const account of accounts) {
    const existing = await findUser(ctx.db, account.username);
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
  const demo = await enabledDemoUsernames(ctx.db);
  for (const username of demo) await setUserDisabled(ctx, actor, username, true);
  return demo.length;
}

/** The actor an enabled, real account acts as (the CLI's `--user`), or null if there is none. */
export async function accountActor(ctx: ServiceContext, username: string): Promise<Actor | null> {
  const user = await findUser(ctx.db, username);
  if (!user || user.disabled || user.is_demo) return null;
  return { user: user.username, role: user.role, scope: user.scope };
}
