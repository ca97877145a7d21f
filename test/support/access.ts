/**
 * Accounts and credentials for tests (Issue 6): a user of any role and scope with an API token,
 * made through the same services `oversight users add` and `oversight tokens create` call, and
 * the local operator's `system` actor the CLI uses.
 */
import type { Actor, UserRole } from "../../src/domain/access/policy.js";
import type { ServiceContext } from "../../src/services/context.js";
import { addUser, createApiToken } from "../../src/services/identity.js";

export const SYSTEM: Actor = { user: "test-operator", role: "system", scope: "national" };

/** A password good enough for the rules, used by every test account. */
export const TEST_PASSWORD = "correct horse battery staple";

export interface TestAccount {
  username: string;
  role: UserRole;
  scope: string;
  actor: Actor;
  /** An API token acting as the user (read and write unless asked otherwise). */
  token: string;
  /** `Authorization: Bearer …` for fetch. */
  headers: Record<string, string>;
}

export async function createAccount(
  ctx: ServiceContext,
  account: { username: string; role: UserRole; scope: string; readOnly?: boolean },
): Promise<TestAccount> {
  await addUser(ctx, SYSTEM, {
    username: account.username,
    display_name: account.username,
    role: account.role,
    scope: account.scope,
    password: TEST_PASSWORD,
  });
  const { token } = await createApiToken(ctx, SYSTEM, account.username, {
    name: "test",
    read_only: account.readOnly ?? false,
  });
  return {
    ...account,
    actor: { user: account.username, role: account.role, scope: account.scope },
    token,
    headers: { authorization: `Bearer ${token}` },
  };
}
