import { describe, expect, it } from "vitest";
import { z } from "zod";
import { checkboxSchema, decodeForm, MAX_ENTRIES, MAX_FIELD_LENGTH } from "./form";
import { privacySettingsSchema } from "./privacy/settings/schema";
import { retentionRuleSchema, updateRetentionRuleSchema } from "./schedule/rule-schemas";
import { fieldErrorsOf, idSchema, optionalIdSchema } from "./validation";

function form(entries: [string, string | Blob][]) {
  const data = new FormData();
  for (const [key, value] of entries) data.append(key, value);
  return data;
}

function decoded(entries: [string, string | Blob][], schema: z.core.$ZodType) {
  const result = decodeForm(form(entries), schema);
  if (!result.ok) throw new Error(result.message);
  return result.data;
}

function refused(entries: [string, string | Blob][], schema: z.core.$ZodType) {
  const result = decodeForm(form(entries), schema);
  if (result.ok) throw new Error("the form was accepted");
  return result;
}

const small = z.object({
  name: z.string().max(20),
  note: z.string().optional(),
  until: z.string().nullable(),
  count: z.coerce.number().int(),
  ref: optionalIdSchema,
  agreed: z.boolean(),
  maybe: z.boolean().optional(),
  tags: z.array(z.string()),
  extra: z.array(z.string()).optional(),
  nested: z.object({ depth: z.number(), label: z.string() }),
});

describe("decodeForm", () => {
  it("reads checkboxes one way: ticked is true, absent is false (or not given where optional)", () => {
    expect(decoded([["agreed", "on"]], small)).toMatchObject({ agreed: true });
    expect(decoded([["agreed", "true"]], small)).toMatchObject({ agreed: true });
    for (const off of ["off", "false", ""]) expect(decoded([["agreed", off]], small)).toMatchObject({ agreed: false });
    const none = decoded([], small);
    expect(none.agreed).toBe(false);
    expect("maybe" in none).toBe(false);
  });

  it("turns digit strings into numbers and leaves anything else for the schema to refuse by name", () => {
    expect(decoded([["count", "42"], ["ref", "7"], ["nested.depth", "-1.5"]], small)).toMatchObject({ count: 42, ref: 7, nested: { depth: -1.5 } });
    const data = decoded([["count", "1e3"], ["nested.depth", "twelve"], ["ref", "99999999999999999999"]], small);
    expect(data).toMatchObject({ count: "1e3", nested: { depth: "twelve" }, ref: "99999999999999999999" });
    const parsed = small.safeParse(data);
    expect(parsed.success).toBe(false);
    expect(Object.keys(fieldErrorsOf(parsed.error!))).toEqual(expect.arrayContaining(["nested.depth", "ref"]));
    // "1e3" is left to the schema: idSchema refuses it where z.coerce would read 1000.
    expect(idSchema.safeParse(decoded([["count", "1e3"]], z.object({ count: idSchema })).count).success).toBe(false);
  });

  it("reads an empty field as not given or as null, as the schema allows, and keeps it where neither is allowed", () => {
    const data = decoded([["name", ""], ["note", ""], ["until", ""], ["count", ""], ["ref", ""]], small);
    expect(data.name).toBe("");
    expect("note" in data).toBe(false);
    expect(data.until).toBeNull();
    expect(data.count).toBe("");
    expect("ref" in data).toBe(false);
  });

  it("collects repeated names into lists: empty where required, not given where optional", () => {
    expect(decoded([["tags", "a"], ["tags", "b"], ["extra", "c"]], small)).toMatchObject({ tags: ["a", "b"], extra: ["c"] });
    const none = decoded([], small);
    expect(none.tags).toEqual([]);
    expect("extra" in none).toBe(false);
  });

  it("builds nested objects from dotted names and leaves out names the schema does not know", () => {
    const data = decoded([["nested.label", "x"], ["$ACTION_REF_1", ""], ["$ACTION_1:0", "{}"], ["stranger", "y"], ["nested.other", "z"]], small);
    expect(data.nested).toEqual({ label: "x" });
    expect(Object.keys(data)).not.toEqual(expect.arrayContaining(["stranger", "$ACTION_REF_1"]));
  });

  it("decodes the settings form: checkboxes, numbers, empty criteria as null, field policies whose keys hold dots", () => {
    const data = decoded([
      ["anonymisationEnabled", "on"], ["inactivePeriods", "3"], ["daysSinceLeaving", "365"], ["daysSinceActivity", ""],
      ["scope", "all"], ["fieldPolicies.phone", "mask"], ["fieldPolicies.custom.shoe_size", "keep"], ["timeZone", "Europe/Berlin"],
    ], privacySettingsSchema);
    expect(data).toMatchObject({
      anonymisationEnabled: true, manualRespectsCriteria: false, cycleEnabled: false,
      inactivePeriods: 3, daysSinceLeaving: 365, daysSinceActivity: null, scope: "all", timeZone: "Europe/Berlin",
      fieldPolicies: { phone: "mask", "custom.shoe_size": "keep" },
    });
    // Never posted by the form, so never sent to a partial update as "now empty".
    expect("customFieldDefinitions" in data).toBe(false);
  });

  it("decodes the rule editor: conditions as posted, the schedule by its kind, the days as numbers", () => {
    const weekly = decoded([
      ["name", "Old tickets"], ["object", "ticket"], ["action", "delete"], ["conditions.closedOlderThanDays", "365"], ["conditions.state", ""],
      ["schedule.kind", "weekly"], ["schedule.days", "1"], ["schedule.days", "4"], ["schedule.hour", "2"],
    ], updateRetentionRuleSchema);
    expect(weekly).toEqual({
      name: "Old tickets", object: "ticket", action: "delete", enabled: false,
      // The conditions' schema depends on the object, so they reach it as posted.
      conditions: { closedOlderThanDays: "365", state: "" },
      schedule: { kind: "weekly", days: [1, 4], hour: 2 },
    });
    expect(retentionRuleSchema.parse(weekly)).toMatchObject({ conditions: { closedOlderThanDays: 365 }, schedule: { days: [1, 4] } });

    const daily = decoded([["schedule.kind", "daily"], ["schedule.days", "1"], ["schedule.hour", "3"], ["enabled", "on"]], retentionRuleSchema);
    expect(daily).toMatchObject({ schedule: { kind: "daily", hour: 3 }, enabled: true, conditions: {} });
    expect("days" in (daily.schedule as object)).toBe(false);

    // An unknown kind: every alternative's fields, and the schema names what is wrong.
    const odd = decoded([["schedule.kind", "monthly"], ["schedule.hour", "3"]], retentionRuleSchema);
    expect(odd.schedule).toEqual({ kind: "monthly", hour: 3, days: [] });
    const parsed = retentionRuleSchema.safeParse(odd);
    expect(Object.keys(fieldErrorsOf(parsed.error!))).toContain("schedule.kind");
  });

  it("reads a yes/no in a schema with the checkbox's words, whether the form was decoded or not", () => {
    const box = checkboxSchema("must be ticked or not");
    for (const yes of [true, "on", "true"]) expect(box.parse(yes)).toBe(true);
    for (const no of [false, "off", "false", "", undefined, null]) expect(box.parse(no)).toBe(false);
    for (const odd of ["yes", 1, {}]) expect(box.safeParse(odd).error?.issues[0].message).toBe("must be ticked or not");
    const decodedBox = decoded([["agreed", "on"]], z.object({ agreed: box }));
    expect(decodedBox).toEqual({ agreed: true });
  });

  describe("refuses what no schema should see, naming the field", () => {
    // FormData itself turns a lone surrogate into U+FFFD, so only NUL can arrive.
    it("a NUL byte", () => {
      const nul = refused([["name", "a\u0000b"]], small);
      expect(nul.fieldErrors).toEqual({ name: ["must be text without NUL bytes or broken characters"] });
      expect(nul.code).toBe("invalid_input");
      expect(nul.message).toContain("name");
      expect(refused([["nested.label", "\u0000"]], small).fieldErrors).toHaveProperty(["nested.label"]);
      expect(refused([["conditions.kind", "x\u0000"]], retentionRuleSchema).fieldErrors).toHaveProperty(["conditions.kind"]);
    });

    it("a huge value, list or record", () => {
      expect(refused([["name", "x".repeat(MAX_FIELD_LENGTH + 1)]], small).fieldErrors?.name?.[0]).toMatch(/at most 100,000 characters/);
      const many: [string, string][] = Array.from({ length: MAX_ENTRIES + 1 }, (_, i) => ["tags", String(i)]);
      expect(refused(many, small).fieldErrors).toHaveProperty("tags");
      const keys: [string, string][] = Array.from({ length: MAX_ENTRIES + 1 }, (_, i) => [`conditions.k${i}`, "1"]);
      expect(refused(keys, retentionRuleSchema).fieldErrors).toHaveProperty("conditions");
    });

    it("a file, a repeated single value, a checkbox that is neither ticked nor not", () => {
      expect(refused([["name", new Blob(["x"])]], small).fieldErrors).toEqual({ name: ["must be text, not a file"] });
      expect(refused([["tags", new Blob(["x"])]], small).fieldErrors).toHaveProperty("tags");
      expect(refused([["count", "1"], ["count", "2"]], small).fieldErrors).toEqual({ count: ["must be given once"] });
      expect(refused([["agreed", "yes please"]], small).fieldErrors?.agreed?.[0]).toMatch(/ticked or not/);
      expect(refused([["enabled", "1"], ["name", "\u0000"]], retentionRuleSchema).fieldErrors).toEqual({
        name: ["must be text without NUL bytes or broken characters"],
        enabled: ["must be ticked or not (on, true, off or false)"],
      });
    });
  });
});
