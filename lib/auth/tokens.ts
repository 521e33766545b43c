import { createHash, randomBytes } from "node:crypto";

/** Opaque bearer tokens (sessions, invitation links): random, and stored only as a hash. */
export function newOpaqueToken(): string {
  return randomBytes(32).toString("base64url");
}

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
