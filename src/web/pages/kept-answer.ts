/**
 * A public answer kept while the data are unchanged (the public site and the public league tables):
 * the same for every visitor of its kind, so it is made once, and its bytes — plain and gzipped,
 * each made at the first request that wants it — are kept with it, never re-encoded per request
 * (requirements §13: downloads prepared once per data change).
 */
import { gzipSync } from "node:zlib";
import type { FastifyReply, FastifyRequest } from "fastify";

export interface KeptAnswer {
  type: string;
  body: string;
  filename?: string;
  /** The body's bytes, made at the first request and kept. */
  bytes?: Buffer;
  /** The body gzipped, made at the first request that accepts it and kept. */
  gzip?: Buffer;
}

/** Sends a kept answer: gzipped to a client that accepts it, its kept bytes otherwise. */
export function sendKept(request: FastifyRequest, reply: FastifyReply, a: KeptAnswer) {
  if (a.filename) reply.header("content-disposition", `attachment; filename="${a.filename}"`);
  reply.header("vary", "accept-encoding");
  if (/\bgzip\b/.test(String(request.headers["accept-encoding"] ?? ""))) {
    a.gzip ??= gzipSync(a.body);
    return reply.header("content-encoding", "gzip").type(a.type).send(a.gzip);
  }
  a.bytes ??= Buffer.from(a.body);
  return reply.type(a.type).send(a.bytes);
}
