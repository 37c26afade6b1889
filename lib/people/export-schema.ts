import { z } from "zod";
import { idSchema } from "@/lib/validation";

// The input of an access export, apart from the code that builds it: the preview's form
// checks the same withholding rules in the browser. No server imports here.

/** The sections whose items the DPO may withhold before sending (Art. 15(4)), by their JSON key. */
export const WITHHOLD_SECTIONS = ["fieldHistory", "tickets", "messages", "enrolments", "waitingList", "loans", "invoices", "familyLinks"] as const;
export type WithholdSection = (typeof WITHHOLD_SECTIONS)[number];
export type WithheldItem = { section: WithholdSection; id: number };

const booleanParameter = z.preprocess((v) => (v === "true" ? true : v === "false" || v === "" ? false : v), z.boolean({ error: "must be true or false" }));

export const withheldItemSchema = z.object({
  section: z.enum(WITHHOLD_SECTIONS, { error: "must be a section of the export" }),
  id: idSchema,
  reason: z.string({ error: "is required" }).trim().min(1, "is required").max(300, "must be at most 300 characters"),
});

export const exportPersonSchema = z.object({
  id: idSchema,
  format: z.enum(["zip", "xlsx", "json"], { error: "must be zip or xlsx" }).default("zip"),
  origin: z.enum(["manual", "api"]).default("manual"),
  /** With the minors the person is guardian of (export-family.ts), one folder per person. */
  family: booleanParameter.default(false),
  withhold: z.array(withheldItemSchema, { error: "must be a list of items" }).max(5000, "must hold at most 5000 items").default([]),
}).refine((v) => !(v.family && v.format === "xlsx"), { path: ["format"], message: "must be zip for a family export" });

