/**
 * A write through the API: the request's actor runs the command (src/services/kernel/command.ts)
 * with the request's input, and the fields a refusal names are moved under the request's body
 * (`org_code` → `body.org_code`). Every write route is this one line, not its own try/catch.
 */
import type { FastifyRequest } from "fastify";
import type { z } from "zod";
import type { ServiceContext } from "../../services/context.js";
import type { Command } from "../../services/kernel/command.js";
import { resolveActor } from "./actor.js";
import { underPart } from "./errors.js";

export async function runCommand<S extends z.ZodType, Result>(
  ctx: ServiceContext,
  request: FastifyRequest,
  command: Command<S, Result>,
  input: z.input<S>,
): Promise<Result> {
  try {
    return await command(ctx, resolveActor(request), input);
  } catch (error) {
    throw underPart("body", error);
  }
}

/** A request body naming the `version` read, as a command's input names it: `expected_version`. */
export function atVersion<B extends { version: number }>({
  version,
  ...rest
}: B): Omit<B, "version"> & { expected_version: number } {
  return { ...rest, expected_version: version };
}
