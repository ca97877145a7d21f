/** Passwords: the rule a new one must meet, and argon2id hashing (its default costs). */
import { hash, type Algorithm } from "@node-rs/argon2";
import { z } from "zod";

export const MIN_PASSWORD_LENGTH = 12;

// Argon2id (the library's `Algorithm.Argon2id`, a const enum), its default costs: 19 MiB, 2 passes.
export const ARGON2 = { algorithm: 2 as Algorithm };

export const noNul = (v: string) => !v.includes("\u0000");

export const Password = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(1024, "must be at most 1024 characters")
  .refine(noNul, "must not contain NUL characters");

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2);
}
