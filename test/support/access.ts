/**
 * Accounts and credentials for tests (requirements §6): a user of any role and scope with an API token,
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

/** The cookies a response sets, as `name=value` pairs (attributes dropped). */
export function setCookies(response: Response): Map<string, string> {
  const jar = new Map<string, string>();
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(";");
    const at = pair!.indexOf("=");
    jar.set(pair!.slice(0, at).trim(), pair!.slice(at + 1));
  }
  return jar;
}

export const cookieHeader = (jar: Map<string, string>) =>
  [...jar].map(([k, v]) => `${k}=${v}`).join("; ");

/** GETs /sign-in as a browser would: the CSRF cookie it sets and the token in its form. */
export async function signInForm(
  base: string,
  jar: Map<string, string> = new Map(),
): Promise<{ jar: Map<string, string>; csrf: string; html: string }> {
  const response = await fetch(`${base}/sign-in`, { headers: { cookie: cookieHeader(jar) } });
  const html = await response.text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!csrf) throw new Error(`no CSRF token in the sign-in form (${response.status})`);
  for (const [k, v] of setCookies(response)) jar.set(k, v);
  return { jar, csrf, html };
}

/**
 * Signs in through the real form, as a browser (or a Playwright test) does: GET /sign-in, POST
 * the username, password and `_csrf` with the cookies it set. Returns the response and the
 * cookie jar holding the session (`oversight_session`) on success.
 */
export async function signInThroughForm(
  base: string,
  username: string,
  password: string,
  jar: Map<string, string> = new Map(),
): Promise<{ response: Response; jar: Map<string, string> }> {
  const form = await signInForm(base, jar);
  const response = await fetch(`${base}/sign-in`, {
    method: "POST",
    redirect: "manual",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      cookie: cookieHeader(form.jar),
    },
    body: new URLSearchParams({ username, password, _csrf: form.csrf }).toString(),
  });
  for (const [k, v] of setCookies(response)) form.jar.set(k, v);
  return { response, jar: form.jar };
}
