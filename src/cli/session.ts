/**
 * What every command shares: its one-line error, who it acts as (the local operator, or the
 * account `--user` names) and the services it opens. commands.ts registers the commands; each
 * *-command.ts imports from here, not from commands.ts, so no two CLI modules import each other.
 */
import { userInfo } from "node:os";
import { readConfig } from "../config.js";
import { NATION, type Actor } from "../domain/access/policy.js";
import type { ServiceContext } from "../services/context.js";
import type { openServices } from "../services/open.js";
import { accountActor } from "../services/user-accounts.js";
import { cliEnv, invocation } from "./io.js";

/** A reason the command failed, printed as one line; the process exits 1. */
export class CliError extends Error {}

export const defaultUser = () => cliEnv().OVERSIGHT_USER ?? userInfo().username;

/**
 * Sets the command being run (to name it to another process that finds the database in use) and
 * the account it acts as (the global `--user` option), or the local operator.
 */
export function actAs(command: string, username: string | undefined): void {
  const run = invocation();
  run.command = command;
  run.actingUser = username;
}

/**
 * Who a command acts as (requirements §6, docs/access.md). The command line is the local operator's
 * channel: whoever runs it holds the database itself, so by default it acts as `system`, named
 * by the operating-system user. `--user NAME` acts as that enabled user account instead, with
 * its role and scope — the same matrix the API and pages apply.
 */
export async function cliActor(ctx: ServiceContext): Promise<Actor> {
  const { actingUser } = invocation();
  if (actingUser === undefined) return { user: defaultUser(), role: "system", scope: NATION };
  const actor = await accountActor(ctx, actingUser);
  if (!actor)
    throw new CliError(`--user ${actingUser}: no such enabled user account (oversight users list)`);
  return actor;
}

/** Opens the services and runs `work` as the command's actor (see cliActor). */
export async function withServicesAs<T>(
  work: (ctx: Awaited<ReturnType<typeof openServices>>, actor: Actor) => Promise<T>,
): Promise<T> {
  return withServices(async (ctx) => work(ctx, await cliActor(ctx)));
}

// The database engines and the web server are loaded by the commands that use them, so --help,
// argument errors and the commands that need neither start without loading them.
export async function withServices<T>(
  work: (ctx: Awaited<ReturnType<typeof openServices>>) => Promise<T>,
): Promise<T> {
  const { openServices } = await import("../services/open.js");
  const env = cliEnv();
  const config = readConfig(env);
  const ctx = await openServices(config.database, {
    dataDir: config.dataDir,
    env,
    holder: `the command \`oversight ${invocation().command}\``,
  });
  try {
    return await work(ctx);
  } finally {
    await ctx.close();
  }
}
