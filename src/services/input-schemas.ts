/**
 * The input schemas every use case shares, so that each kind of field is checked one way.
 * PostgreSQL text cannot hold U+0000, and an unpaired surrogate (which JSON's \uD800 escapes can
 * make) is not Unicode text at all: both are refused here as bad input rather than failing in the
 * database as a 500.
 */
import { z } from "zod";
import { isCalendarDate } from "../domain/shared/dates.js";
import { InvalidInputError } from "./errors.js";

const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Whether the database can store `text` as given. */
export const storable = (text: string): boolean =>
  !text.includes("\u0000") && !UNPAIRED_SURROGATE.test(text);
export const UNSTORABLE_MESSAGE = "must be text without NUL characters or unpaired surrogates";

export const calendarDate = z.string().refine(isCalendarDate, "must be a date YYYY-MM-DD");

/** Free text: trimmed, not empty, storable. */
export const text = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .refine(storable, UNSTORABLE_MESSAGE);

/** A decision's or recommendation's segment: NHS OF 2025/26 adds segment 5. */
export const segmentNumber = z.number().int().min(1).max(5);

/** The version of a record the client read: a write names it, and a stale one is refused. */
export const expectedVersion = z.number().int().positive();

/** An organisation code given as a plain argument (a path or query parameter). */
export function orgCodeArgument(code: string, field = "org_code"): string {
  if (typeof code !== "string" || code.trim() === "" || !storable(code))
    throw new InvalidInputError(`${field}: must be an organisation code`, [
      { path: field, message: "must be an organisation code" },
    ]);
  return code;
}
