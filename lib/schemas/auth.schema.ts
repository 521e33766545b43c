import { z } from "zod";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/password";

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: "Enter a valid email address." }).max(254));

export const credentialsSchema = z.object({
  email: emailSchema,
  password: z
    .string()
    .min(MIN_PASSWORD_LENGTH, { message: `Use at least ${MIN_PASSWORD_LENGTH} characters.` })
    .max(200, { message: "Use at most 200 characters." }),
  next: z.string().optional(),
});

export const signInSchema = credentialsSchema.extend({
  // Signing in checks the password, not today's length rule.
  password: z.string().min(1, { message: "Enter your password." }).max(200),
});
