import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { assessOrganisations } from "./assess.js";
import { LEVELS, MONTHS, org, PEERS, scenarioInput, SUBJECT } from "./assessment-fixture.js";
import { createAssessment } from "./session.js";
import type { AssessmentInput, AssessmentRun, ObservationInput } from "./types.js";

const ICBS = ["I01", "I02", "I03", "I04", "I05", "I06"];
const LATEST = MONTHS[MONTHS.length - 1] as string;

/** The fixture with six ICBs, which are benchmarked among themselves, reporting every metric. */
function baseInput(): AssessmentInput {
  const input = scenarioInput({ others: ICBS.map((code) => org(code, "icb")) });
  const observations = [...input.observations];
  for (const [metricId, levels] of Object.entries(LEVELS)) {
    ICBS.forEach((code, i) =>
      MONTHS.forEach((period, month) =>
        observations.push({
          org_code: code,
          metric_id: metricId,
          period,
          value: levels.low + ((levels.high - levels.low) * i) / 5 + (month % 3) * 0.01,
        }),
      ),
    );
  }
  return { ...input, observations };
}

/** The input with the observation added, or its value revised. */
function withObservation(input: AssessmentInput, obs: ObservationInput): AssessmentInput {
  const same = (o: ObservationInput) =>
    o.org_code === obs.org_code && o.metric_id === obs.metric_id && o.period === obs.period;
  const found = input.observations.some(same);
  return {
    ...input,
    observations: found
      ? input.observations.map((o) => (same(o) ? obs : o))
      : [...input.observations, obs],
  };
}

const json = (run: AssessmentRun): unknown => JSON.parse(JSON.stringify(run));

/** Applies the updates one by one, checking the session against a full assessment after each. */
function checkUpdates(input: AssessmentInput, updates: readonly ObservationInput[]) {
  const session = createAssessment(input);
  assert.deepEqual(json(session.run), json(assessOrganisations(input)));
  let current = input;
  return updates.map((obs) => {
    const update = session.update(obs);
    current = withObservation(current, obs);
    assert.deepEqual(
      json(update.run),
      json(assessOrganisations(current)),
      `after ${obs.org_code} ${obs.metric_id} ${obs.period} = ${obs.value}`,
    );
    return update;
  });
}

const obs = (org_code: string, metric_id: string, period: string, value: number) => ({
  org_code,
  metric_id,
  period,
  value,
});

describe("incremental re-assessment: the same run as a full assessment of the updated input", () => {
  test("a new latest period, reported one organisation at a time (not benchmarkable, then benchmarked)", () => {
    const input = baseInput();
    const withoutMarch = {
      ...input,
      observations: input.observations.filter(
        (o) => !(o.metric_id === "m_wait" && o.period === LATEST && o.org_code !== "I01"),
      ),
    };
    const reporters = [SUBJECT, ...PEERS];
    const updates = checkUpdates(
      withoutMarch,
      reporters.map((code, i) => obs(code, "m_wait", LATEST, 70 + i * 1.3)),
    );
    // The first value of a new period moves every trust's current period and series.
    const first = updates[0]!.recomputed;
    assert.equal(first.benchmarks, 3);
    assert.equal(first.series, reporters.length);
    assert.ok(first.organisations.every((code) => !ICBS.includes(code)));
  });

  test("a revision of an old value outside the benchmarked periods re-analyses one series and re-assesses one organisation", () => {
    const [update] = checkUpdates(baseInput(), [obs("P05", "m_infection", MONTHS[1]!, 400)]);
    assert.deepEqual(update!.recomputed, { benchmarks: 0, series: 1, organisations: ["P05"] });
  });

  test("a revision of the current value moves the cut-points: its population is re-assessed, not the ICBs", () => {
    const input = baseInput();
    const before = createAssessment(input).run;
    const [update] = checkUpdates(input, [obs("P07", "m_delay", LATEST, 500)]);
    assert.equal(update!.recomputed.benchmarks, 1);
    assert.equal(update!.recomputed.series, 1);
    assert.ok(update!.recomputed.organisations.includes("P07"));
    assert.ok(update!.recomputed.organisations.every((code) => !ICBS.includes(code)));
    assert.equal(update!.run.benchmarks.length, before.benchmarks.length);
  });

  test("an organisation in a different population touches only that population", () => {
    const session = createAssessment(baseInput());
    const before = session.run;
    const update = session.update(obs("I03", "m_experience", LATEST, 99));
    for (const [i, a] of update.run.assessments.entries()) {
      const touched = update.recomputed.organisations.includes(a.organisation.code);
      if (!ICBS.includes(a.organisation.code)) assert.equal(a, before.assessments[i]);
      else if (!touched) assert.equal(a, before.assessments[i]);
    }
    assert.ok(update.recomputed.organisations.includes("I03"));
    assert.deepEqual(
      json(update.run),
      json(
        assessOrganisations(withObservation(baseInput(), obs("I03", "m_experience", LATEST, 99))),
      ),
    );
    // The earlier run is left as it was.
    assert.deepEqual(json(before), json(assessOrganisations(baseInput())));
  });

  test("a newcomer to a benchmarked period, a neutral metric, a finance value, and ignored observations", () => {
    const input = baseInput();
    const newcomer = {
      ...input,
      observations: input.observations.filter(
        (o) => !(o.org_code === "P11" && o.metric_id === "m_sickness"),
      ),
    };
    const updates = checkUpdates(newcomer, [
      obs("P11", "m_sickness", MONTHS[MONTHS.length - 2]!, 9.5),
      obs("P11", "m_sickness", LATEST, 9.5),
      obs("P02", "m_activity", LATEST, 5000),
      obs(SUBJECT, "m_plan_gap", LATEST, -3),
      obs(SUBJECT, "m_position", MONTHS[MONTHS.length - 3]!, -6),
      obs("P03", "m_unknown", LATEST, 1),
      obs("P03", "m_unknown", LATEST, 2),
      obs("X99", "m_wait", LATEST, 50),
      obs("P03", "m_wait", "2019-04-01", 1),
    ]);
    assert.equal(updates[2]!.recomputed.series, 0, "a neutral metric has no SPC");
    assert.deepEqual(updates.at(-1)!.recomputed.organisations, [], "after the assessment date");
  });

  test("a seeded sequence of mixed updates always equals the full assessment", () => {
    let seed = 20190331;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const codes = [...PEERS, SUBJECT, ...ICBS];
    const metricIds = Object.keys(LEVELS);
    const updates = Array.from({ length: 40 }, () => {
      const metricId = metricIds[next(metricIds.length)] as string;
      const levels = LEVELS[metricId]!;
      return obs(
        codes[next(codes.length)] as string,
        metricId,
        MONTHS[MONTHS.length - 1 - next(5)] as string,
        levels.worst + ((levels.best - levels.worst) * next(101)) / 100,
      );
    });
    checkUpdates(baseInput(), updates);
  });

  test("the session refuses what the full assessment refuses", () => {
    const session = createAssessment(baseInput());
    assert.throws(() => session.update(obs("P01", "m_wait", LATEST, NaN)), RangeError);
    assert.throws(() => session.update(obs("P01", "m_wait", "2019-3-01", 1)), RangeError);
  });
});
