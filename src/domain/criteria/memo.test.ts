import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { NO_MEMO, SlotMemo } from "./memo.js";

/** A compute function that counts its calls. */
function counted<T, R>(f: (item: T) => R): { fn: (item: T) => R; calls: T[] } {
  const calls: T[] = [];
  return {
    calls,
    fn: (item: T) => {
      calls.push(item);
      return f(item);
    },
  };
}

describe("remembering parts of an assessment between re-assessments (criteria/memo.ts)", () => {
  test("get: the last result while the inputs are the same objects, recomputed when one is not", () => {
    const memo = new SlotMemo();
    const a = { v: 1 };
    const b = { v: 2 };
    let calls = 0;
    const sum = () => (calls++, a.v + b.v);
    assert.equal(memo.get("s", [a, b], sum), 3);
    assert.equal(memo.get("s", [a, b], sum), 3);
    assert.equal(calls, 1);
    // Same contents, another object: identity, never contents, decides.
    assert.equal(memo.get("s", [a, { v: 2 }], sum), 3);
    assert.equal(calls, 2);
    // Primitives compare by value, so counts and labels can be inputs.
    assert.equal(
      memo.get("t", [2, "fired"], () => "x"),
      "x",
    );
    assert.equal(
      memo.get("t", [2, "fired"], () => "y"),
      "x",
    );
    assert.equal(
      memo.get("t", [3, "fired"], () => "z"),
      "z",
    );
  });

  test("slots split by an object keep one result per object", () => {
    const memo = new SlotMemo();
    const m1 = {};
    const m2 = {};
    const input = {};
    assert.equal(
      memo.getOne("s", input, () => "one", m1),
      "one",
    );
    assert.equal(
      memo.getOne("s", input, () => "two", m2),
      "two",
    );
    assert.equal(
      memo.getOne("s", input, () => "again", m1),
      "one",
    );
  });

  test("map: an item that is the same object at the same place keeps its result; the rest are derived", () => {
    const memo = new SlotMemo();
    const [x, y, z] = [{ n: 1 }, { n: 2 }, { n: 3 }];
    const double = counted((o: { n: number }) => ({ doubled: o.n * 2 }));
    const first = memo.map("s", [x, y, z], double.fn);
    assert.deepEqual(
      first.map((r) => r.doubled),
      [2, 4, 6],
    );
    assert.equal(double.calls.length, 3);

    // Every item the same: the very same array back, so what is derived from it is kept too.
    const again = memo.map("s", [x, y, z], double.fn);
    assert.equal(again, first);
    assert.equal(double.calls.length, 3);

    // One item replaced: only it is derived; the others are the very results of last time.
    const y2 = { n: 20 };
    const changed = memo.map("s", [x, y2, z], double.fn);
    assert.notEqual(changed, first);
    assert.deepEqual(double.calls.slice(3), [y2]);
    assert.equal(changed[0], first[0]);
    assert.equal(changed[2], first[2]);
    assert.equal(changed[1]?.doubled, 40);

    // Items shift place (a list grew at the front): compared by place, so derived again.
    const w = { n: 0 };
    const shifted = memo.map("s", [w, x, y2, z], double.fn);
    assert.deepEqual(
      shifted.map((r) => r.doubled),
      [0, 2, 40, 6],
    );
    assert.deepEqual(double.calls.slice(4), [w, x, y2, z]);

    // A shorter list of the same leading items is a new list, not the remembered one.
    const shorter = memo.map("s", [w, x], double.fn);
    assert.equal(shorter.length, 2);
    assert.equal(shorter[0], shifted[0]);
  });

  test("NO_MEMO remembers nothing: a full assessment derives each part once", () => {
    const double = counted((n: number) => n * 2);
    assert.deepEqual(NO_MEMO.map("s", [1, 2], double.fn), [2, 4]);
    assert.deepEqual(NO_MEMO.map("s", [1, 2], double.fn), [2, 4]);
    assert.equal(double.calls.length, 4);
    let calls = 0;
    NO_MEMO.get("s", [], () => calls++);
    NO_MEMO.get("s", [], () => calls++);
    assert.equal(calls, 2);
  });
});
