import { z } from "zod";

// The inputs of one's own account page (/account), apart from the code that writes them:
// the page's forms check the same schemas in the browser. No server imports here.

/** The rule for every new password: account:create, the demo seed's accounts and /account. */
export const newPasswordSchema = z
  .string({ error: "is required" })
  .min(12, "must be at least 12 characters")
  .max(1000, "must be at most 1,000 characters");

/** What the account holder types to prove it is them; checked against the hash, never stored. */
const currentPasswordSchema = z.string({ error: "is required" }).min(1, "is required").max(1000, "must be at most 1,000 characters");

export const accountNameSchema = z.object({
  firstName: z.string({ error: "is required" }).trim().min(1, "is required").max(100, "must be at most 100 characters"),
  lastName: z.string({ error: "must be text" }).trim().max(100, "must be at most 100 characters"),
});

export const accountEmailSchema = z.object({
  email: z.string({ error: "is required" }).trim().toLowerCase().max(320, "must be at most 320 characters").pipe(z.email("must be a valid e-mail address")),
  currentPassword: currentPasswordSchema,
});

export const accountPasswordSchema = z.object({
  currentPassword: currentPasswordSchema,
  newPassword: newPasswordSchema,
  confirmPassword: z.string({ error: "is required" }).max(1000, "must be at most 1,000 characters"),
}).refine((v) => v.newPassword === v.confirmPassword, { path: ["confirmPassword"], message: "must match the new password" });

/**
 * The server's additions to what the browser posts: the hash of the session the change is
 * made from, which stays signed in while the account's other sessions end. The action
 * fills it from the session cookie; a caller can name only a session of its own account.
 */
export const keepSessionSchema = z.object({
  keepSessionHash: z.string().regex(/^[0-9a-f]{64}$/, "must be a session hash").nullable().optional(),
});
