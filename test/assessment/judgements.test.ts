/**
 * requirements §3 rule 4 (DOMAIN §5): judgement inputs are validated before anything is written — an
 * unknown organisation, kind or theme, an empty summary or author, a bad date, a date the
 * organisation was not open — each with a clear one-line reason; a judgement is ended once,
 * never deleted, and `listJudgements` shows what was recorded.
 */
import assert from "node:assert/strict";
import { NotFoundError } from "../../src/services/errors.js";
import { after, before, describe, it } from "node:test";
import {
  endJudgement,
  JudgementError,
  listJudgements,
  recordJudgement,
} from "../../src/services/judgements.js";
import { openTestDatabase, testEngines, type TestDatabase } from "../support/database.js";
import { FT_RI, ICB, importFixture, NT_RI } from "./fixture.js";
import { SYSTEM } from "../support/access.js";

const valid = {
  org_code: FT_RI,
  kind: "licence_breach_evidence",
  summary: "Breach of licence condition FT4",
  recorded_by: "regional-team",
  recorded_on: "2019-02-01",
} as const;

for (const engine of testEngines()) {
  describe(`judgements service [${engine}] (requirements §3 rule 4, DOMAIN §5)`, () => {
    let t: TestDatabase;
    before(async () => {
      t = await openTestDatabase(engine);
      await importFixture(t.ctx);
    });
    after(() => t.close());

    const count = async () =>
      (await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM judgements"))[0]!.n;

    it("refuses bad input with a one-line reason and writes nothing", async () => {
      const cases: [Record<string, unknown>, RegExp][] = [
        [{ org_code: "ZZZ9" }, /^unknown organisation ZZZ9$/],
        [{ kind: "bogus" }, /^kind: /],
        [{ theme: "no_such_theme" }, /^unknown theme no_such_theme$/],
        [{ summary: "   " }, /^summary: must not be empty$/],
        [{ recorded_by: "  " }, /^recorded_by: must not be empty$/],
        [{ recorded_on: "2019-02-30" }, /^recorded_on: must be a date YYYY-MM-DD$/],
        [{ recorded_on: "1/2/2019" }, /^recorded_on: must be a date YYYY-MM-DD$/],
        // The ICB opened on 2022-07-01: a judgement about it in 2019 would never be read.
        [{ org_code: ICB }, /^QX1 was not open on 2019-02-01 \(open 2022-07-01 to now\)$/],
        [{ extra: "field" }, /Unrecognized key/],
      ];
      for (const [change, reason] of cases) {
        await assert.rejects(
          recordJudgement(
            t.ctx,
            { ...valid, ...change } as Parameters<typeof recordJudgement>[1],
            SYSTEM,
          ),
          (e: unknown) => {
            assert.ok(e instanceof JudgementError, `${JSON.stringify(change)}: ${String(e)}`);
            assert.match(e.message, reason, JSON.stringify(change));
            assert.ok(!e.message.includes("\n"));
            return true;
          },
        );
      }
      assert.equal(await count(), 0);
    });

    it("records a judgement with its author, date and theme; lists it; ends it once", async () => {
      const j = await recordJudgement(
        t.ctx,
        {
          ...valid,
          summary: "  Breach of licence condition FT4  ",
          theme: "leadership_improvement_capability",
        },
        SYSTEM,
      );
      assert.deepEqual(
        { ...j, id: typeof j.id },
        {
          id: "number",
          org_code: FT_RI,
          kind: "licence_breach_evidence",
          summary: "Breach of licence condition FT4",
          theme: "leadership_improvement_capability",
          recorded_by: "regional-team",
          recorded_on: "2019-02-01",
          ends_on: null,
          confidentiality: "official_sensitive",
        },
      );
      const other = await recordJudgement(
        t.ctx,
        {
          ...valid,
          org_code: NT_RI,
          kind: "capability_to_improve",
        },
        SYSTEM,
      );
      assert.deepEqual(await listJudgements(t.ctx, undefined, SYSTEM), [j, other]);
      assert.deepEqual(await listJudgements(t.ctx, NT_RI, SYSTEM), [other]);
      assert.deepEqual(await listJudgements(t.ctx, "ZZZ9", SYSTEM), []);

      // Ending before it was recorded, or an id that does not exist: refused.
      await assert.rejects(endJudgement(t.ctx, j.id, "2019-01-31", SYSTEM), JudgementError);
      await assert.rejects(endJudgement(t.ctx, 999_999, "2019-03-01", SYSTEM), NotFoundError);
      await assert.rejects(
        endJudgement(t.ctx, j.id, "2019-13-01", SYSTEM),
        /ends_on: must be a date/,
      );
      const ended = await endJudgement(t.ctx, j.id, "2019-03-01", SYSTEM);
      assert.deepEqual(ended, { ...j, ends_on: "2019-03-01" });
      // Ending twice is refused, and the first end stands.
      await assert.rejects(endJudgement(t.ctx, j.id, "2019-04-01", SYSTEM), (e: unknown) => {
        assert.ok(e instanceof JudgementError);
        assert.match(e.message, /has already ended/);
        return true;
      });
      assert.deepEqual(await listJudgements(t.ctx, FT_RI, SYSTEM), [ended]);
      assert.equal(await count(), 2);
    });
  });
}
