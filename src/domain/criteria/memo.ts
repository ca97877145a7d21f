/**
 * Remembering the parts of one organisation's assessment between re-assessments (session.ts).
 * Each part is computed from a few objects of the organisation's facts — a metric's facts, the
 * metrics of a theme, the CQC rating — and the session replaces only the objects an update
 * changes, keeping the others as they were. A part whose inputs are the very same objects as
 * last time is the same part: it is reused rather than derived again, so a new value that moves
 * one metric's cut-points re-derives that metric's pieces, not the whole explanation.
 *
 * Only identity is compared, never contents, so a slot's inputs must list every object the
 * computation reads (beyond the framework, which is fixed for a session).
 */
export interface Memo {
  /**
   * `compute()`, or its last result for `slot` when `inputs` are the same objects as then.
   * `of` splits a slot by an object (e.g. a metric) or an id (e.g. a theme's), so per-metric
   * parts need no string key built for every metric of every organisation.
   */
  get<T>(slot: string, inputs: readonly unknown[], compute: () => T, of?: object | string): T;
  /** `get` of a part computed from one object: no array of inputs made for each lookup. */
  getOne<T>(slot: string, input: unknown, compute: () => T, of?: object | string): T;
  /**
   * `items.map(compute)`, reusing last time's result for each item that is the same object at
   * the same place in the list, and giving back the very same array when every item is. One
   * lookup per list rather than one per item: lists of every metric run for every organisation.
   */
  map<T, R>(
    slot: string,
    items: readonly T[],
    compute: (item: T) => R,
    of?: object | string,
  ): readonly R[];
}

/** Remembers nothing: a full assessment derives each organisation's assessment once. */
export const NO_MEMO: Memo = {
  get: (_slot, _inputs, compute) => compute(),
  getOne: (_slot, _input, compute) => compute(),
  map: (_slot, items, compute) => items.map((item) => compute(item)),
};

interface Held {
  /** The inputs, or the one input of `getOne`. */
  inputs: unknown;
  value: unknown;
}

/** The last result of each slot, with the inputs it was computed from. */
export class SlotMemo implements Memo {
  #slots = new Map<string, Held>();
  #split = new Map<string, Map<unknown, Held>>();

  get<T>(slot: string, inputs: readonly unknown[], compute: () => T, of?: object | string): T {
    const slots = this.#slotsOf(slot, of);
    const held = slots.get(of ?? slot);
    if (held && sameObjects(held.inputs as readonly unknown[], inputs)) return held.value as T;
    const value = compute();
    slots.set(of ?? slot, { inputs, value });
    return value;
  }

  getOne<T>(slot: string, input: unknown, compute: () => T, of?: object | string): T {
    const slots = this.#slotsOf(slot, of);
    const held = slots.get(of ?? slot);
    if (held && held.inputs === input) return held.value as T;
    const value = compute();
    slots.set(of ?? slot, { inputs: input, value });
    return value;
  }

  map<T, R>(
    slot: string,
    items: readonly T[],
    compute: (item: T) => R,
    of?: object | string,
  ): readonly R[] {
    const slots = this.#slotsOf(slot, of);
    const held = slots.get(of ?? slot);
    const before = (held?.inputs ?? []) as readonly T[];
    const results = (held?.value ?? []) as readonly R[];
    let same = held !== undefined && before.length === items.length;
    const value: R[] = new Array<R>(items.length);
    for (let i = 0; i < items.length; i++) {
      const item = items[i] as T;
      if (i < before.length && before[i] === item) {
        value[i] = results[i] as R;
      } else {
        value[i] = compute(item);
        same = false;
      }
    }
    if (same) return results;
    slots.set(of ?? slot, { inputs: items, value });
    return value;
  }

  #slotsOf(slot: string, of: object | string | undefined): Map<unknown, Held> {
    if (of === undefined) return this.#slots;
    let split = this.#split.get(slot);
    if (!split) this.#split.set(slot, (split = new Map()));
    return split;
  }
}

function sameObjects(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
