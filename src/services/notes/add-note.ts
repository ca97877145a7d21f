/** Adding a note on an organisation (DOMAIN §8, §12); its author is the acting user. */
import { z } from "zod";
import { CONFIDENTIALITY_LEVELS } from "../../domain/access/policy.js";
import { insertNote } from "../../store/notes.js";
import { findOrganisationLifespan } from "../../store/organisations.js";
import { NotFoundError } from "../errors.js";
import { text } from "../input-schemas.js";
import { defineCommand } from "../kernel/command.js";

export const NewNote = z
  .object({
    org_code: text,
    source: text,
    body: text,
    confidentiality: z.enum(CONFIDENTIALITY_LEVELS),
  })
  .strict();

export const addNote = defineCommand({
  name: "note.create",
  input: NewNote,
  action: "note:create",
  resource: (n) => ({ type: "note", org_code: n.org_code }),
  clearance: (n) => [n.confidentiality],
  prepare: async (ctx, _actor, n) => {
    if (!(await findOrganisationLifespan(ctx.db, n.org_code)))
      throw new NotFoundError(`no organisation ${n.org_code}`);
  },
  run: async ({ tx, actor, input: n, audit }) => {
    const row = await insertNote(tx, { ...n, author: actor.user });
    await audit({
      action: "note.created",
      entity_type: "note",
      entity_id: String(row.id),
      before: null,
      after: row,
      rows: [{ table: "notes", value: row.id }],
    });
    return row;
  },
});
