/**
 * requirements §4, JSON API: the one error shape, and what each kind of failure maps to — including the
 * 409 with the current state, which no read endpoint can provoke yet.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AssessmentRequestError } from "../../src/services/assessment.js";
import {
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  StaleWriteError,
} from "../../src/services/errors.js";
import { toApiError, underPart } from "../../src/web/api/errors.js";

describe("API error mapping (requirements §4: 400/403/404/409, never a leaked 500)", () => {
  it("a stale write is a 409 carrying the record as it now stands", () => {
    const current = { id: 7, state: "submitted", version: 3 };
    assert.deepEqual(toApiError(new StaleWriteError("recommendation 7 has changed", current)), {
      error: { status: 409, message: "recommendation 7 has changed", current },
    });
  });

  it("forbidden is 403, not found 404, invalid input 400 with its fields", () => {
    assert.equal(toApiError(new ForbiddenError("no")).error.status, 403);
    assert.equal(toApiError(new NotFoundError("none")).error.status, 404);
    const invalid = toApiError(
      underPart("body", new InvalidInputError("bad", [{ path: "theme", message: "unknown" }])),
    );
    assert.deepEqual(invalid, {
      error: { status: 400, message: "bad", fields: [{ path: "body.theme", message: "unknown" }] },
    });
  });

  it("an assessment that cannot be made: a bad request is 400 naming the field, nothing to assess 404", () => {
    const framework = toApiError(new AssessmentRequestError("unknown", "unknown_framework"));
    assert.deepEqual(framework.error.fields?.[0]?.path, "query.framework");
    assert.equal(toApiError(new AssessmentRequestError("x", "not_assessed")).error.status, 404);
    assert.equal(
      toApiError(new AssessmentRequestError("x", "no_framework_in_force")).error.status,
      404,
    );
  });

  it("Fastify's own 4xx keep their status; anything else is a 500 that says nothing of the cause", () => {
    const tooLarge = Object.assign(new Error("Request body is too large"), { statusCode: 413 });
    assert.equal(toApiError(tooLarge).error.status, 413);
    const defect = toApiError(new TypeError("cannot read properties of undefined (reading 'x')"));
    assert.deepEqual(defect, {
      error: { status: 500, message: "internal error: the failure has been logged" },
    });
    const pretending = Object.assign(new Error("secret"), { statusCode: 503 });
    assert.equal(
      toApiError(pretending).error.message,
      "internal error: the failure has been logged",
    );
  });
});
