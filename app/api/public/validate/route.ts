// POST /api/public/validate: the Mexican RFC check; 200 with the verdict even when the RFC is invalid.
import { z } from "zod";
import { validateRfc } from "@/lib/rfc/validate-rfc";
import { storableText } from "@/lib/schemas/safe-text";
import { methodNotAllowed, withApiKey } from "@/lib/public-api/with-api-key";

const bodySchema = z.object({ rfc: storableText().max(64, { message: "An RFC has at most 13 characters." }) }).strict();

export const POST = withApiKey(
  async ({ json }) => {
    const { rfc } = await json(bodySchema);
    const verdict = validateRfc(rfc);
    return { body: verdict, summary: { rfc: verdict.rfc, valid: verdict.valid } };
  },
  { scope: "validate", metered: true },
);
export const GET = methodNotAllowed(["POST"]);
export const PUT = GET;
export const PATCH = GET;
export const DELETE = GET;
