import { z } from "zod";
import { RFC_ERROR_CODES, validateRfc } from "@/lib/rfc/validate-rfc";
import { storableText } from "@/lib/schemas/safe-text";
import { keyedEndpoint } from "../endpoint";
import { VALIDATE_INVALID_EXAMPLE, VALIDATE_REQUEST_EXAMPLE, VALIDATE_RESPONSE_EXAMPLE } from "../examples";
import { component } from "../schemas";

export const validateRequestSchema = component(
  "ValidateRequest",
  z.object({ rfc: storableText().max(64, { message: "An RFC has at most 13 characters." }).meta({ description: "Trimmed and upper-cased before checking." }) }).strict(),
  { input: true },
);

export const rfcVerdictSchema = component(
  "RfcVerdict",
  z.object({
    rfc: z.string().meta({ description: "The input, trimmed and upper-cased." }),
    valid: z.boolean(),
    type: z.enum(["fisica", "moral"]).nullable().meta({ description: "fisica (13 characters), moral (12), or null when the format is unrecognisable." }),
    checks: z.object({ format: z.boolean(), date: z.boolean(), check_digit: z.boolean() }),
    errors: z.array(z.enum(RFC_ERROR_CODES)),
  }),
);

/** POST /api/public/validate: the Mexican RFC check; 200 with the verdict even when the RFC is invalid. */
export const validate = keyedEndpoint({
  method: "POST",
  path: "/api/public/validate",
  scope: "validate",
  metered: true,
  body: validateRequestSchema,
  response: { status: 200, schema: rfcVerdictSchema },
  handler: async ({ body }) => {
    const verdict = validateRfc(body.rfc);
    return { body: verdict, summary: { rfc: verdict.rfc, valid: verdict.valid } };
  },
  docs: {
    operationId: "validateRfc",
    summary: "Validate an RFC",
    description:
      "Checks a Mexican RFC's structure, date and check digit. Answers 200 with the verdict even when the RFC is invalid. " +
      "Input is trimmed and upper-cased; Ñ and & are letters. The generic RFCs XAXX010101000 and XEXX010101000 are valid.",
    tag: "RFC",
    bodyExamples: { fisica: { summary: "A persona física", value: VALIDATE_REQUEST_EXAMPLE } },
    response: {
      description: "The verdict, valid or not.",
      examples: {
        valid: { summary: "A valid RFC", value: VALIDATE_RESPONSE_EXAMPLE },
        invalid: { summary: "An impossible date (and so a wrong check digit)", value: VALIDATE_INVALID_EXAMPLE },
      },
    },
    errors: { details: [{ path: "rfc", message: "Invalid input: expected string, received number" }] },
  },
});
