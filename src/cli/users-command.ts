/**
 * `oversight users add|list|disable|enable|reset-password|unlock` and `oversight tokens
 * create|list|revoke` (requirements §6). The first administrator is created here — there is no default
 * password: it is read from $OVERSIGHT_NEW_PASSWORD, from standard input when piped, or asked
 * for twice at the terminal without echo.
 */
import { createInterface } from "node:readline";
import { InvalidArgumentError, Option, type Command } from "commander";
import { NATION, ROLES } from "../domain/access/policy.js";
import { CliError, withServicesAs } from "./session.js";
import { cliEnv, invocation, say, warn, write } from "./io.js";

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of invocation().io.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function ask(question: string): Promise<string> {
  return new Promise((resolve) => {
    // Only asked at a terminal, which only the program itself (the process's streams) has.
    const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
    // Echo nothing of what is typed.
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
      if (s.startsWith(question)) write(question);
    };
    rl.question(question, (answer) => {
      rl.close();
      write("\n");
      resolve(answer);
    });
  });
}

/** A new password: never a default, never on the command line (it would show in `ps`). */
export async function readNewPassword(): Promise<string> {
  const fromEnv = cliEnv().OVERSIGHT_NEW_PASSWORD;
  if (fromEnv) return fromEnv;
  if (!invocation().io.stdin.isTTY) {
    const line = (await readStdin()).split(/\r?\n/)[0] ?? "";
    if (line === "")
      throw new CliError(
        "no password given: pipe it on standard input or set OVERSIGHT_NEW_PASSWORD",
      );
    return line;
  }
  const first = await ask("New password: ");
  const second = await ask("Again: ");
  if (first !== second) throw new CliError("the two passwords differ; nothing was changed");
  return first;
}

function daysOption(value: string): number | null {
  if (value === "never") return null;
  if (!/^\d{1,4}$/.test(value) || Number(value) < 1)
    throw new InvalidArgumentError("--expires-days must be a number of days 1–3650, or never.");
  return Number(value);
}

export function registerUserCommands(program: Command): void {
  const users = program
    .command("users")
    .description("user accounts: each has a role and the scope it acts in (docs/access.md)");
  users
    .command("add")
    .description(
      "add a user; the password comes from $OVERSIGHT_NEW_PASSWORD, standard input, or a prompt",
    )
    .argument("<username>", "lower-case letters, digits or . _ @ -")
    .addOption(new Option("--role <role>", "the user's role").choices(ROLES).makeOptionMandatory())
    .option(
      "--scope <code>",
      "where the role acts: national, a region (Y56), an ICB or an organisation code",
      NATION,
    )
    .option("--name <text>", "the name shown (default: the username)")
    .action(
      async (
        username: string,
        opts: { role: (typeof ROLES)[number]; scope: string; name?: string },
      ) => {
        const { addUser } = await import("../services/identity.js");
        const password = await readNewPassword();
        const user = await withServicesAs((ctx, actor) =>
          addUser(ctx, actor, {
            username,
            display_name: opts.name ?? username,
            role: opts.role,
            scope: opts.scope,
            password,
          }),
        );
        say(`user ${user.username} added: ${user.role}, scope ${user.scope}`);
      },
    );
  users
    .command("list")
    .description("list the user accounts")
    .action(async () => {
      const { listUsers } = await import("../services/identity.js");
      const rows = await withServicesAs((ctx, actor) => listUsers(ctx, actor));
      for (const u of rows) {
        const state = [
          u.disabled ? "disabled" : "enabled",
          ...(u.is_demo ? ["demo"] : []),
          ...(u.locked_until && new Date(u.locked_until) > new Date()
            ? [`locked until ${u.locked_until}`]
            : []),
        ];
        say(`${u.username}\t${u.role}\t${u.scope}\t${state.join(", ")}\t${u.display_name}`);
      }
    });
  for (const [name, disabled] of [
    ["disable", true],
    ["enable", false],
  ] as const)
    users
      .command(name)
      .description(
        disabled
          ? "disable a user: ends their sessions and revokes their API tokens"
          : "enable a disabled user again",
      )
      .argument("<username>")
      .action(async (username: string) => {
        const { setUserDisabled } = await import("../services/identity.js");
        await withServicesAs((ctx, actor) => setUserDisabled(ctx, actor, username, disabled));
        say(`user ${username} ${disabled ? "disabled" : "enabled"}`);
      });
  users
    .command("reset-password")
    .description("set a new password (read like `users add`); lifts sign-in pauses, ends sessions")
    .argument("<username>")
    .action(async (username: string) => {
      const { resetPassword } = await import("../services/identity.js");
      const password = await readNewPassword();
      await withServicesAs((ctx, actor) => resetPassword(ctx, actor, username, password));
      say(`password of ${username} reset; their sessions have ended`);
    });
  users
    .command("unlock")
    .description(
      "lift every sign-in pause on a username (failures from one source pause that name from there: docs/access.md)",
    )
    .argument("<username>")
    .action(async (username: string) => {
      const { unlockSignIn } = await import("../services/identity.js");
      const lifted = await withServicesAs((ctx, actor) => unlockSignIn(ctx, actor, username));
      say(`${username}: sign-in pauses lifted from ${lifted} source(s)`);
    });

  const tokens = program
    .command("tokens")
    .description("API tokens for machine clients: hashed at rest, scoped, revocable");
  tokens
    .command("create")
    .description("create a token acting as a user (their role and scope); printed once")
    .argument("<username>")
    .requiredOption("--name <text>", "what the token is for")
    .option("--write", "allow changes (default: read-only)", false)
    .option("--expires-days <n>", "days until it expires, or never", daysOption, 90)
    .action(
      async (
        username: string,
        opts: { name: string; write: boolean; expiresDays: number | null },
      ) => {
        const { createApiToken } = await import("../services/identity.js");
        const { token, record } = await withServicesAs((ctx, actor) =>
          createApiToken(ctx, actor, username, {
            name: opts.name,
            read_only: !opts.write,
            expires_in_days: opts.expiresDays,
          }),
        );
        warn(
          `token ${record.id} for ${username} (${record.read_only ? "read-only" : "read and write"}, ${record.expires_at ? `expires ${record.expires_at}` : "no expiry"}); it is shown once:`,
        );
        say(token);
      },
    );
  tokens
    .command("list")
    .description("list API tokens (never their secrets)")
    .action(async () => {
      const { listApiTokens } = await import("../services/identity.js");
      const rows = await withServicesAs((ctx, actor) => listApiTokens(ctx, actor));
      for (const t of rows)
        say(
          `${t.id}\t${t.username}\t${t.read_only ? "read-only" : "read-write"}\t${t.revoked_at ? "revoked" : t.expires_at ? `expires ${t.expires_at}` : "no expiry"}\t${t.name}`,
        );
    });
  tokens
    .command("revoke")
    .description("revoke an API token at once")
    .argument("<id>", "the token's id (the 16 hex digits after ovt_)")
    .action(async (id: string) => {
      const { revokeApiToken } = await import("../services/identity.js");
      await withServicesAs((ctx, actor) => revokeApiToken(ctx, actor, id));
      say(`token ${id} revoked`);
    });
}
