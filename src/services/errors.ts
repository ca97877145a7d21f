/**
 * The errors a use case raises for its caller to act on. Adapters map them: the API to
 * 400/403/404/409 (src/web/api/errors.ts), the CLI to a one-line reason.
 */

/** A field of the input and what is wrong with it. */
export interface FieldProblem {
  /** Dotted path to the field, e.g. `body.org_code` or `query.as_of`. */
  path: string;
  message: string;
}

/** The input is well-formed but wrong: an unknown theme, a date the organisation did not exist. */
export class InvalidInputError extends Error {
  constructor(
    message: string,
    readonly fields: FieldProblem[] = [],
  ) {
    super(message);
    this.name = "InvalidInputError";
  }
}

/** The thing asked for does not exist (or did not on the date asked about). */
export class NotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NotFoundError";
  }
}

/** The actor may not do this. */
export class ForbiddenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ForbiddenError";
  }
}

/** A write based on a version that has since changed: refused, with the current state. */
export class StaleWriteError extends Error {
  constructor(
    message: string,
    readonly current: unknown,
  ) {
    super(message);
    this.name = "StaleWriteError";
  }
}
