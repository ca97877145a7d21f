/**
 * Input into typed values at the edge of every use case: a zod schema's problems become one
 * InvalidInputError naming each field, which the API answers as 400 and the CLI as one line.
 */
import type { z } from "zod";
import { InvalidInputError, type FieldProblem } from "../errors.js";

/** Each problem of a failed parse, as the field it concerns and what is wrong with it. */
export function fieldProblems(error: z.ZodError): FieldProblem[] {
  return error.issues.map((i) => ({ path: i.path.join(".") || "input", message: i.message }));
}

/** Parses `input` with `schema`, or throws InvalidInputError naming every field at fault. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const fields = fieldProblems(parsed.error);
  throw new InvalidInputError(fields.map((f) => `${f.path}: ${f.message}`).join("; "), fields);
}
