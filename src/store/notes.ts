/** The notes repository (DOMAIN §8, §12): notes on an organisation, each with its confidentiality. */
import type { Confidentiality } from "../domain/access/policy.js";
import type { Queryable } from "./database.js";

export interface NoteRecord {
  id: number;
  org_code: string;
  author: string;
  source: string;
  body: string;
  confidentiality: Confidentiality;
  version: number;
}

const NOTE_COLUMNS = `id, org_code, author, source, body, confidentiality, version`;

export async function insertNote(
  tx: Queryable,
  n: Omit<NoteRecord, "id" | "version">,
): Promise<NoteRecord> {
  const [row] = await tx.query<NoteRecord>(
    `INSERT INTO notes (org_code, author, source, body, confidentiality)
     VALUES ($1, $2, $3, $4, $5) RETURNING ${NOTE_COLUMNS}`,
    [n.org_code, n.author, n.source, n.body, n.confidentiality],
  );
  return row!;
}

/** One note; with `forUpdate`, locked for the rest of the transaction. */
export async function findNote(
  db: Queryable,
  id: number,
  forUpdate = false,
): Promise<NoteRecord | undefined> {
  const [row] = await db.query<NoteRecord>(
    `SELECT ${NOTE_COLUMNS} FROM notes WHERE id = $1${forUpdate ? " FOR UPDATE" : ""}`,
    [id],
  );
  return row;
}

/** An organisation's notes, oldest first. */
export async function findNotes(db: Queryable, orgCode: string): Promise<NoteRecord[]> {
  return db.query<NoteRecord>(
    `SELECT ${NOTE_COLUMNS} FROM notes WHERE org_code = $1 ORDER BY created_at, id`,
    [orgCode],
  );
}

/** Rewrites the note at `version`; undefined if it is no longer at that version. */
export async function rewriteNote(
  tx: Queryable,
  id: number,
  version: number,
  change: Pick<NoteRecord, "body" | "confidentiality">,
): Promise<NoteRecord | undefined> {
  const [row] = await tx.query<NoteRecord>(
    `UPDATE notes SET body = $3, confidentiality = $4, version = version + 1, updated_at = now()
      WHERE id = $1 AND version = $2 RETURNING ${NOTE_COLUMNS}`,
    [id, version, change.body, change.confidentiality],
  );
  return row;
}
