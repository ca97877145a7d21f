import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { assuranceIcon, specialCauseOf, variationIcon } from "./icons.js";

describe("polarity", () => {
  test("polarity: high is improvement when higher is better and concern when lower is better (MDC)", () => {
    assert.equal(specialCauseOf("high", "higher_is_better"), "improvement");
    assert.equal(specialCauseOf("low", "higher_is_better"), "concern");
    assert.equal(specialCauseOf("high", "lower_is_better"), "concern");
    assert.equal(specialCauseOf("low", "lower_is_better"), "improvement");
  });

  test("polarity: neutral signals are neutral; no signal is none", () => {
    assert.equal(specialCauseOf("high", "neutral"), "neutral");
    assert.equal(specialCauseOf("low", "neutral"), "neutral");
    assert.equal(specialCauseOf(null, "higher_is_better"), "none");
  });
});

describe("variation icon", () => {
  test("variation icon: each direction and polarity gives its MDC icon (NHSRplotthedots)", () => {
    assert.equal(variationIcon(null, "higher_is_better"), "common_cause");
    assert.equal(variationIcon("high", "higher_is_better"), "special_cause_improvement_high");
    assert.equal(variationIcon("low", "lower_is_better"), "special_cause_improvement_low");
    assert.equal(variationIcon("high", "lower_is_better"), "special_cause_concern_high");
    assert.equal(variationIcon("low", "higher_is_better"), "special_cause_concern_low");
    assert.equal(variationIcon("high", "neutral"), "special_cause_neutral_high");
    assert.equal(variationIcon("low", "neutral"), "special_cause_neutral_low");
  });
});

describe("assurance icon", () => {
  const limits = { lpl: 80, upl: 90 };

  test("assurance: higher is better, target below the lower limit → consistently passing (MDC)", () => {
    assert.equal(assuranceIcon(75, limits, "higher_is_better"), "consistently_passing");
  });

  test("assurance: higher is better, target above the upper limit → consistently failing (MDC)", () => {
    assert.equal(assuranceIcon(95, limits, "higher_is_better"), "consistently_failing");
  });

  test("assurance: lower is better reverses pass and fail", () => {
    assert.equal(assuranceIcon(95, limits, "lower_is_better"), "consistently_passing");
    assert.equal(assuranceIcon(75, limits, "lower_is_better"), "consistently_failing");
  });

  test("assurance: a target between the limits, or on one, is hit and miss (NHSRplotthedots)", () => {
    assert.equal(assuranceIcon(85, limits, "higher_is_better"), "hit_and_miss");
    assert.equal(assuranceIcon(90, limits, "higher_is_better"), "hit_and_miss");
    assert.equal(assuranceIcon(80, limits, "lower_is_better"), "hit_and_miss");
  });

  test("assurance: none without a target or when polarity is neutral", () => {
    assert.equal(assuranceIcon(undefined, limits, "higher_is_better"), null);
    assert.equal(assuranceIcon(95, limits, "neutral"), null);
  });
});
