/**
 * Results that are costly to compute (a national assessment takes about two seconds) kept while
 * the data they were computed from is unchanged. The data's stamp — the last audit event of a
 * data change (workflow writes: recommendations, decisions, segment history, notes, judgements,
 * enforcement events; not sign-ins or refusals), the last import (organisations, observations,
 * CQC ratings, intelligence) and the judgements (recorded and ended) — is read from the store
 * again whenever this process has written anything since it last read it (`Database.writes`), and
 * at least once a second otherwise, so a change made here is seen at once and one made by another
 * process (the CLI against the same PostgreSQL server) within a second; concurrent requests share
 * one read. Correctness does not rest on anyone remembering to invalidate.
 */
import type { ServiceContext } from "./context.js";

/** How many results each context keeps (oldest evicted first). */
const CAPACITY = 16;

const memos = new WeakMap<ServiceContext, Map<string, Promise<unknown>>>();

/** A text that changes whenever data an assessment or the workflow reads changes. */
export async function dataStamp(ctx: ServiceContext): Promise<string> {
  const [row] = await ctx.db.query<{ audit: string; imports: string; judgements: string }>(
    `SELECT (SELECT coalesce(max(seq), 0)::text FROM audit_events
              WHERE entity_type NOT IN ('user', 'api_token', 'session')
                AND action NOT LIKE 'access.%') AS audit,
            (SELECT coalesce(max(id), 0)::text FROM imports) AS imports,
            (SELECT count(*)::text || '.' || coalesce(max(id), 0)::text || '.' ||
                    count(ends_on)::text || '.' || coalesce(max(ends_on)::text, '')
               FROM judgements) AS judgements`,
  );
  return `${row!.audit}:${row!.imports}:${row!.judgements}`;
}

/**
 * `compute()` once per `key` and data stamp. A failed computation is not kept. Callers must not
 * mutate what they are given: it is shared.
 */
/** How long a stamp read is trusted when this process has written nothing since. */
const STAMP_FRESH_MS = 1000;

const stamps = new WeakMap<
  ServiceContext,
  { writes: number; readAt: number; stamp: Promise<string> }
>();

/** The data stamp, read again only when this process wrote or a second has passed. */
export function currentStamp(ctx: ServiceContext): Promise<string> {
  const writes = ctx.db.writes();
  const now = Date.now();
  const known = stamps.get(ctx);
  if (known && known.writes === writes && now - known.readAt < STAMP_FRESH_MS) return known.stamp;
  const stamp = dataStamp(ctx);
  const entry = { writes, readAt: now, stamp };
  stamps.set(ctx, entry);
  // A failed read is not kept; a newer read that replaced it meanwhile stays.
  stamp.catch(() => stamps.get(ctx) === entry && stamps.delete(ctx));
  return stamp;
}

export async function memoised<T>(
  ctx: ServiceContext,
  key: string,
  compute: () => Promise<T>,
): Promise<T> {
  const stamp = await currentStamp(ctx);
  let memo = memos.get(ctx);
  if (!memo) memos.set(ctx, (memo = new Map()));
  const full = `${key}@${stamp}`;
  const cached = memo.get(full);
  if (cached) {
    // Most recently used last.
    memo.delete(full);
    memo.set(full, cached);
    return cached as Promise<T>;
  }
  const pending = compute();
  memo.set(full, pending);
  while (memo.size > CAPACITY) memo.delete(memo.keys().next().value!);
  pending.catch(() => memo.delete(full));
  return pending;
}
