/**
 * Synthetic NHS Oversight Framework 2025/26 quarters for the demo's national picture, only where
 * nothing is published here: the ambulance trusts, and every quarter after the latest real one
 * (docs/national-picture.md). Each later quarter is the quarter before moved a little, so a trust's
 * story stays plausible; every value made here is marked synthetic wherever it is shown.
 * Deterministic from the profile's seed (data/demo/nof-2025-synthetic.yaml).
 */
import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import type { Framework } from "../domain/frameworks/schema.js";
import type { CqcRating } from "../domain/scoring/metric-scores.js";

export const RATINGS: readonly CqcRating[] = [
  "outstanding",
  "good",
  "requires_improvement",
  "inadequate",
];

/** One trust's inputs in one quarter: raw values and the ratings behind score-only metrics. */
export interface NofTrustInputs {
  code: string;
  name: string;
  subtype: string;
  region: string;
  values: Map<string, number>;
  ratings: Map<string, CqcRating>;
  inProgramme: boolean;
}

type Drawn = { mean: number; sd: number; decimals: number } | { ratings: number[] };

export interface NofSyntheticProfile {
  seed: number;
  drift: number;
  rating_change: number;
  through_quarter: string;
  ambulance: Record<string, Drawn>;
}

class Random {
  private readonly rng;
  constructor(seed: number) {
    this.rng = xoroshiro128plus(seed);
  }
  uniform(): number {
    return uniformFloat64(this.rng);
  }
  /** Standard normal by Box–Muller. */
  normal(): number {
    const u = 1 - this.uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.uniform());
  }
  weighted(weights: readonly number[]): number {
    const total = weights.reduce((a, b) => a + b, 0);
    let x = this.uniform() * total;
    for (let i = 0; i < weights.length; i++) {
      x -= weights[i]!;
      if (x < 0) return i;
    }
    return weights.length - 1;
  }
}

const round = (value: number, decimals: number) => {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
};

function clamp(framework: Framework, id: string, value: number): number {
  const range = framework.metrics.find((m) => m.id === id)?.valid_range;
  return range ? Math.min(range.max, Math.max(range.min, value)) : value;
}

/** The ambulance trusts' first quarter, drawn from the profile. */
export function ambulanceQuarter(
  trusts: readonly { code: string; name: string; region: string }[],
  framework: Framework,
  profile: NofSyntheticProfile,
): NofTrustInputs[] {
  const random = new Random(profile.seed);
  return trusts.map((trust) => {
    const values = new Map<string, number>();
    const ratings = new Map<string, CqcRating>();
    for (const [id, drawn] of Object.entries(profile.ambulance)) {
      if ("ratings" in drawn) ratings.set(id, RATINGS[random.weighted(drawn.ratings)]!);
      else
        values.set(
          id,
          round(clamp(framework, id, drawn.mean + drawn.sd * random.normal()), drawn.decimals),
        );
    }
    return { ...trust, subtype: "Ambulance", values, ratings, inProgramme: false };
  });
}

function spread(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1));
}

/**
 * The quarter after `previous`: monthly and quarterly values step by `drift` × the metric's spread
 * between trusts; annual and ad hoc values only when the financial year changes; ratings change
 * by one step with probability `rating_change`. `salt` makes each quarter's draws its own.
 */
export function driftQuarter(
  previous: readonly NofTrustInputs[],
  framework: Framework,
  profile: NofSyntheticProfile,
  salt: number,
  newFinancialYear: boolean,
): NofTrustInputs[] {
  const random = new Random(profile.seed + salt);
  const frequency = new Map(framework.metrics.map((m) => [m.id, m.frequency]));
  const spreads = new Map<string, number>();
  for (const trust of previous)
    for (const id of trust.values.keys())
      if (!spreads.has(id))
        spreads.set(
          id,
          spread(previous.flatMap((t) => (t.values.has(id) ? [t.values.get(id)!] : []))),
        );
  return previous.map((trust) => {
    const values = new Map<string, number>();
    for (const [id, value] of trust.values) {
      const moves =
        newFinancialYear || (frequency.get(id) !== "annual" && frequency.get(id) !== "ad_hoc");
      const step = moves ? profile.drift * (spreads.get(id) ?? 0) * random.normal() : 0;
      values.set(id, round(clamp(framework, id, value + step), 2));
    }
    const ratings = new Map<string, CqcRating>();
    for (const [id, rating] of trust.ratings) {
      const i = RATINGS.indexOf(rating);
      const change =
        random.uniform() < profile.rating_change ? (random.uniform() < 0.5 ? -1 : 1) : 0;
      ratings.set(id, RATINGS[Math.min(RATINGS.length - 1, Math.max(0, i + change))]!);
    }
    return { ...trust, values, ratings };
  });
}
