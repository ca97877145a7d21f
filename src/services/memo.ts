/**
 * Results that are costly to compute (a national assessment takes about two seconds) kept while
 * the data they were computed from is unchanged. The data's stamp is read from the store on every
 * call — the last audit event (workflow writes: recommendations, decisions, segment history,
 * notes), the last import (organisations, observations, CQC ratings, intelligence) and the
 * judgements (recorded and ended) — so a change made by any process, the CLI included, is seen at
 * once: correctness does not rest on anyone remembering to invalidate.
 */
import type { ServiceContext } from "./context.js";

/** How many results each context keeps (oldest evicted first). */
const CAPACITY = 16;

const memos = new WeakMap<ServiceContext, Map<string, Promise<unknown>>>();

/** A text that changes whenever data an assessment or the workflow reads changes. */
export async function dataStamp(ctx: ServiceContext): Promise<string> {
  const [row] = await ctx.db.query<{ audit: string; imports: string; judgements: string }>(
    `SELECT (SELECT coalesce(max(seq), 0)::text FROM audit_events) AS audit,
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
export async function memoised<T>(
  ctx: ServiceContext,
  key: string,
  compute: () => Promise<T>,
): Promise<T> {
  const stamp = await dataStamp(ctx);
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
