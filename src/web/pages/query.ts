/**
 * Query strings and form bodies into typed values at the edge (zod), so a bad parameter is a 400
 * page naming the problem, never a 500. A repeated parameter arrives as an array and is refused.
 */
import { z } from "zod";
import { isCalendarDate, type CalendarDate } from "../../domain/shared/dates.js";
import { InvalidInputError, type FieldProblem } from "../../services/errors.js";

export const calendarDate = z
  .string()
  .refine(isCalendarDate, "must be a date YYYY-MM-DD")
  .transform((d) => d as CalendarDate);

/** An optional text filter: blank means absent. */
export const optionalText = z
  .string()
  .max(200, "must be at most 200 characters")
  .transform((s) => s.trim())
  .optional()
  .transform((s) => (s === "" ? undefined : s));

export const orgCode = z
  .string()
  .regex(/^[A-Za-z0-9]{2,10}$/, "must be an organisation code (letters and digits)");

export function problemsOf(error: z.ZodError): FieldProblem[] {
  return error.issues.map((i) => ({
    path: i.path.join(".") || "input",
    message: i.message,
  }));
}

/** Parses `input` or throws InvalidInputError with each problem (rendered as a 400 page). */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const fields = problemsOf(parsed.error);
  throw new InvalidInputError(fields.map((f) => `${f.path}: ${f.message}`).join("; "), fields);
}
