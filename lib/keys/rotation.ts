import { ROTATION_GRACE, type RotationGrace } from "./key-view.schema";

/**
 * When the old key of a rotation stops working: after the chosen grace period, but never past
 * the old key's own expiry (rotation must not extend a key's life).
 */
export function graceUntil(now: Date, grace: RotationGrace, expiresAt: Date | null): Date {
  const end = new Date(now.getTime() + ROTATION_GRACE[grace] * 1000);
  return expiresAt && expiresAt < end ? expiresAt : end;
}
