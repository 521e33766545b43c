/** Global teardown of playwright.stripe.config.ts: the secrets sweep over the billing run's own database and server log. */
import path from "node:path";
import { sweepSecrets } from "./secrets-sweep";

export const STRIPE_E2E_DATA_DIR = path.join(".data", "e2e-stripe");
export const STRIPE_E2E_SERVER_LOG = path.join(".data", "e2e-stripe-server.log");

export default function stripeSecretsSweep(): Promise<void> {
  return sweepSecrets(STRIPE_E2E_DATA_DIR, STRIPE_E2E_SERVER_LOG);
}
