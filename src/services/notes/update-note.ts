/**
 * Changing a note's text or confidentiality at the version the client read. Neither the note as
 * it is nor as it would become may be above the editor's clearance.
 */
import { z } from "zod";
import { CONFIDENTIALITY_LEVELS } from "../../domain/access/policy.js";
import { findNote, rewriteNote } from "../../store/notes.js";
import { authorisePublishing, type WorkflowActor } from "../authorise.js";
import type { ServiceContext } from "../context.js";
import { NotFoundError, StaleWriteError } from "../errors.js";
import { expectedVersion, text } from "../input-schemas.js";
import { defineCommand } from "../kernel/command.js";

export const NoteChange = z
  .object({
    body: text.optional(),
    confidentiality: z.enum(CONFIDENTIALITY_LEVELS).optional(),
  })
  .strict();

const NoteChangeAtVersion = NoteChange.extend({
  id: z.number().int().positive(),
  expected_version: expectedVersion,
}).strict();

export const updateNoteCommand = defineCommand({
  name: "note.update",
  input: NoteChangeAtVersion,
  action: "note:update",
  resource: (c) => ({ type: "note", id: String(c.id) }),
  load: async (ctx, c) => {
    const note = await findNote(ctx.db, c.id);
    if (!note) throw new NotFoundError(`no note ${c.id}`);
    return note;
  },
  locate: (note) => ({ org_code: note.org_code }),
  clearance: (c, note) => [note.confidentiality, c.confidentiality ?? note.confidentiality],
  // Publishing (lowering the level) is the author's organisation's decision, or national.
  prepare: async (ctx, actor, c, note) => {
    const level = c.confidentiality ?? note.confidentiality;
    if (
      CONFIDENTIALITY_LEVELS.indexOf(level) < CONFIDENTIALITY_LEVELS.indexOf(note.confidentiality)
    )
      await authorisePublishing(
        ctx,
        actor,
        { type: "note", id: String(c.id), org_code: note.org_code },
        note.author,
      );
  },
  versioned: {
    lock: (tx, c) => findNote(tx, c.id, true),
    expected: (c) => c.expected_version,
    describe: (c) => `note ${c.id}`,
  },
  run: async ({ tx, input: c, locked: current, audit }) => {
    const row = await rewriteNote(tx, c.id, current.version, {
      body: c.body ?? current.body,
      confidentiality: c.confidentiality ?? current.confidentiality,
    });
    if (!row) throw new StaleWriteError(`note ${c.id} has changed`, current);
    await audit({
      action: "note.updated",
      entity_type: "note",
      entity_id: String(c.id),
      before: current,
      after: row,
      rows: [{ table: "notes", value: c.id }],
    });
    return row;
  },
});

/** Changes a note's text or confidentiality; refused if the note has moved past `expectedVersion`. */
export function updateNote(
  ctx: ServiceContext,
  actor: WorkflowActor,
  id: number,
  expected_version: number,
  change: z.input<typeof NoteChange>,
) {
  return updateNoteCommand(ctx, actor, { ...change, id, expected_version });
}
