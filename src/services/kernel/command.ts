/**
 * The command kernel: every write in the product is declared once — its name, its input schema,
 * the resource it acts on and the action it takes — and run through one pipeline, top to bottom:
 *
 *   parse → authorise → load the record → authorise in its organisation → clearance → prepare
 *         → one audited transaction { lock the record, optimistic version check, run, audit }
 *         → error mapping
 *
 * The CLI, the pages and the API call the same command with the same input; the schema is the
 * one validator of that input (the API derives its request body from it). docs/architecture.md
 * walks through a command.
 */
import type { z } from "zod";
import type { Action, Actor, Confidentiality } from "../../domain/access/policy.js";
import { inAuditedTransaction, type NewAuditEvent } from "../../store/audit.js";
import type { Transaction } from "../../store/database.js";
import { AssessmentRequestError } from "../assessment.js";
import { auditActor, authorise, authoriseLevel, type Resource } from "../authorise.js";
import type { ServiceContext } from "../context.js";
import { InvalidInputError, NotFoundError, StaleWriteError } from "../errors.js";
import { parseInput } from "./parse-input.js";

/** A record a client changes by naming the version it read. */
export interface VersionedRecord {
  version: number;
  /** A workflow record's state, named in the refusal of a stale write. */
  state?: string;
}

/** An audit event of the command: the actor is the command's, filled in by the kernel. */
export type CommandAuditEvent = Omit<NewAuditEvent, "actor">;

/** What a command's `run` works with, inside its transaction. */
export interface CommandStep<Input, Loaded, Prepared, Locked> {
  ctx: ServiceContext;
  tx: Transaction;
  actor: Actor;
  input: Input;
  /** What `load` read before the transaction (undefined without `load`). */
  loaded: Loaded;
  /** What `prepare` worked out before the transaction (undefined without `prepare`). */
  prepared: Prepared;
  /** The record as locked in the transaction, its version checked (undefined without `versioned`). */
  locked: Locked;
  /** Appends an audit event in the transaction, as the actor. */
  audit: (event: CommandAuditEvent) => Promise<void>;
}

export interface CommandDefinition<
  S extends z.ZodType,
  Loaded,
  Prepared,
  Locked extends VersionedRecord,
  Result,
> {
  /** What the command is called: `recommendation.submit`. */
  name: string;
  /** The one schema of the command's input, shared by the CLI, the pages and the API. */
  input: S;
  /** The action the access matrix is asked about (src/domain/access/policy.ts). */
  action: Action;
  /** The resource acted on, from the input alone: authorised before anything is read. */
  resource: (input: z.output<S>) => Resource;
  /**
   * Reads the record the command acts on (NotFoundError when there is none). The resource is then
   * authorised again with `locate`'s organisation, so a role scoped to a region is refused there.
   */
  load?: (ctx: ServiceContext, input: z.output<S>) => Promise<Loaded>;
  locate?: (loaded: Loaded, input: z.output<S>) => { org_code: string };
  /**
   * The confidentiality levels the material has and will have: the actor must be cleared for
   * each, so no one files or moves material above their own clearance.
   */
  clearance?: (input: z.output<S>, loaded: Loaded) => Confidentiality[];
  /**
   * The domain's checks before the transaction — dates, routing, guards, the seat on a body —
   * and what they work out for `run` (a routing, an assessment snapshot).
   */
  prepare?: (
    ctx: ServiceContext,
    actor: Actor,
    input: z.output<S>,
    loaded: Loaded,
  ) => Promise<Prepared>;
  /**
   * The optimistic version check: `lock` reads the record `FOR UPDATE` in the transaction; a
   * version other than `expected` is refused with the record as it now stands.
   */
  versioned?: {
    lock: (tx: Transaction, input: z.output<S>, loaded: Loaded) => Promise<Locked | undefined>;
    expected: (input: z.output<S>) => number;
    /** The record in a message: `recommendation 4`. */
    describe: (input: z.output<S>, loaded: Loaded) => string;
  };
  /** The change itself, with its audit events, in the one transaction. */
  run: (step: CommandStep<z.output<S>, Loaded, Prepared, Locked>) => Promise<Result>;
  /** Maps an error the pipeline raised to the one callers expect (e.g. a use case's own class). */
  mapError?: (error: unknown) => unknown;
}

/** A declared command: called with the context, the actor and the raw input. */
export interface Command<S extends z.ZodType, Result> {
  (ctx: ServiceContext, actor: Actor, input: z.input<S>): Promise<Result>;
  readonly commandName: string;
  readonly input: S;
  readonly action: Action;
}

/** Refuses a write based on a version other than the record's, with the record as it stands. */
export function assertVersion(subject: string, current: VersionedRecord, expected: number): void {
  if (current.version !== expected)
    throw new StaleWriteError(
      `${subject} has changed: it is at version ${current.version}${current.state ? ` (${current.state})` : ""}, not ${expected}`,
      current,
    );
}

async function pipeline<
  S extends z.ZodType,
  Loaded,
  Prepared,
  Locked extends VersionedRecord,
  Result,
>(
  definition: CommandDefinition<S, Loaded, Prepared, Locked, Result>,
  ctx: ServiceContext,
  actor: Actor,
  raw: unknown,
): Promise<Result> {
  const input = parseInput(definition.input, raw);
  const { action } = definition;
  let resource = definition.resource(input);
  // A role that may not take the action at all is refused before learning whether a record exists.
  await authorise(ctx, actor, action, resource);
  let loaded = undefined as Loaded;
  if (definition.load) {
    loaded = await definition.load(ctx, input);
    if (definition.locate) {
      resource = { ...resource, ...definition.locate(loaded, input) };
      await authorise(ctx, actor, action, resource);
    }
  }
  for (const level of definition.clearance?.(input, loaded) ?? [])
    await authoriseLevel(ctx, actor, action, resource, level);
  const prepared = (await definition.prepare?.(ctx, actor, input, loaded)) as Prepared;
  return inAuditedTransaction(ctx.db, async (tx, append) => {
    let locked = undefined as unknown as Locked;
    if (definition.versioned) {
      const subject = definition.versioned.describe(input, loaded);
      const current = await definition.versioned.lock(tx, input, loaded);
      if (!current) throw new NotFoundError(`no ${subject}`);
      assertVersion(subject, current, definition.versioned.expected(input));
      locked = current;
    }
    const audit = (event: CommandAuditEvent) => append({ actor: auditActor(actor), ...event });
    return definition.run({ ctx, tx, actor, input, loaded, prepared, locked, audit });
  });
}

/** The errors every command maps: an assessment it could not run is bad input (400). */
function mapKernelError(error: unknown): unknown {
  if (error instanceof AssessmentRequestError) return new InvalidInputError(error.message);
  return error;
}

/** Declares a command: the returned function runs the whole pipeline for each call. */
export function defineCommand<
  S extends z.ZodType,
  Result,
  Loaded = undefined,
  Prepared = undefined,
  Locked extends VersionedRecord = VersionedRecord,
>(definition: CommandDefinition<S, Loaded, Prepared, Locked, Result>): Command<S, Result> {
  const command = async (ctx: ServiceContext, actor: Actor, input: z.input<S>) => {
    try {
      return await pipeline(definition, ctx, actor, input);
    } catch (error) {
      const mapped = mapKernelError(error);
      throw definition.mapError ? definition.mapError(mapped) : mapped;
    }
  };
  return Object.assign(command, {
    commandName: definition.name,
    input: definition.input,
    action: definition.action,
  });
}
