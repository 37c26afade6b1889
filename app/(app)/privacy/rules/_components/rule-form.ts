import type { UseFormRegister } from "react-hook-form";
import {
  type PersonConditions, personConditionsSchema, type RetentionRuleInput, type RuleScheduleInput, type TicketConditions, ticketConditionsSchema,
} from "@/lib/schedule/rule-schemas";
import { fieldOf, type RuleAction, type RuleObject } from "./rule-words";

// The rule editor's values between the page, the browser's form and the schema that
// both the browser and the server check them with (rule-schemas.ts).

/** A saved rule may hold a condition its schema refuses today; the editor shows it to be corrected. */
type Stored<T> = { [K in keyof T]?: unknown };

/** What the editor starts from: a new rule's defaults or a saved rule, with the conditions of its object. */
export type RuleEditorValues = { id?: number; name: string; action: RuleAction; schedule: RuleScheduleInput; enabled: boolean } & (
  | { object: "person"; conditions: Stored<PersonConditions> }
  | { object: "ticket"; conditions: Stored<TicketConditions> }
);

/** The form's values: what the browser holds (text, a checkbox, ticked days), shaped as the schema reads them. */
export type RuleFormValues = RetentionRuleInput;

const CONDITION_KEYS: Record<RuleObject, string[]> = {
  person: Object.keys(personConditionsSchema.shape),
  ticket: Object.keys(ticketConditionsSchema.shape),
};

const text = (value: unknown) => (value === undefined || value === null ? "" : String(value));

export function formValuesOf(initial: RuleEditorValues): RuleFormValues {
  const { schedule } = initial;
  return {
    name: initial.name,
    object: initial.object,
    action: initial.action,
    enabled: initial.enabled,
    conditions: Object.fromEntries(Object.entries(initial.conditions).map(([key, value]) => [key, text(value)])),
    // Both kinds carry the days, so that switching to "on chosen days" finds them ticked.
    schedule: { kind: schedule.kind, hour: String(schedule.hour), days: schedule.kind === "weekly" ? schedule.days.map(String) : [] } as RuleFormValues["schedule"],
  };
}

/**
 * The form keeps what was typed under both objects, so that switching back and forth
 * loses nothing; only the chosen object's conditions are posted, and only those are checked.
 */
export function postedConditions(values: RuleFormValues): RuleFormValues {
  const keys = CONDITION_KEYS[values.object] ?? [];
  return { ...values, conditions: Object.fromEntries(Object.entries(values.conditions ?? {}).filter(([key]) => keys.includes(key))) };
}

/** Field errors by field, whether the browser or the server found them; "schedule.days.0" belongs to the day list. */
export function errorsByField(errors: Record<string, string | string[]>) {
  const byField: Record<string, string[]> = {};
  for (const [key, messages] of Object.entries(errors)) (byField[fieldOf(key)] ??= []).push(...[messages].flat());
  return byField;
}

/** What each field of the editor needs: its element ids, its registration, its first value, its error. */
export type FieldKit = {
  ids: string;
  register: UseFormRegister<RuleFormValues>;
  defaults: RuleFormValues;
  errorOf: (name: string) => string | undefined;
};

/** A field's first value, also rendered on the server so the page shows it before the form takes over. */
export function defaultOf(kit: FieldKit, name: string): unknown {
  return name.split(".").reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], kit.defaults);
}

export function fieldProps(kit: FieldKit, name: string, key = name) {
  const error = kit.errorOf(name);
  return {
    ...kit.register(name as Parameters<FieldKit["register"]>[0]),
    id: `${kit.ids}-${key}`,
    defaultValue: String(defaultOf(kit, name) ?? ""),
    "aria-invalid": error ? true : undefined,
    "aria-describedby": `${kit.ids}-${key}-note`,
  };
}
