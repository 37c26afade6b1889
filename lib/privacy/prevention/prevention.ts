import { sql } from "drizzle-orm";
import { type DbOrTx, rows } from "@/db/client";
import { recordAudit } from "@/lib/audit";
import { DomainError } from "@/lib/errors";
import { defineOperation } from "@/lib/operation";
import { describeFieldErrors } from "@/lib/validation";
import { type LocalDate, localDate } from "@/lib/schedule/clock";
import { getPrivacySettings } from "@/lib/privacy/settings/settings";
import { ts } from "@/db/sql";
import { maskWord } from "@/lib/privacy/masking";
import { DEFAULT_PHONE_COUNTRY, phoneForms, phoneRegex } from "@/lib/privacy/erasure/written-forms";
import { type LiftPreventionInput, liftPreventionInputSchema, type PreventionInput, preventionInputSchema } from "./schemas";

// "Prevent anonymisation" on a profile (SPEC §3 rule 3): a reason, who set it and when,
// and an optional expiry after which it lapses. A prevention is a hold (holds.ts).
// Setting and lifting each ask for a reason, and each leaves an entry on the profile's
// hold history (prevention_events, which goes with the person) and in the audit log
// (SPEC §13). The forms ask for reasons without personal data; as the audit log is
// append-only and outlives the person, the person's own names and e-mail address are
// masked in the audited copy of the reason.

type Actor = { accountId: number };
/** Replacing a prevention (and so shortening or lifting it) is for `privacy.prevent`. */
type PreventingActor = Actor & { permissions: readonly string[] };

async function lockPerson(tx: DbOrTx, personId: number) {
  const [person] = rows<{
    id: number; anonymised_at: string | null; system: boolean; prevented_at: string | null; prevention_expires_at: string | null;
    first_name: string; last_name: string; email: string | null; phone: string | null; external_id: string | null;
  }>(await tx.execute(sql`
    select id, anonymised_at, system, prevented_at, prevention_expires_at, first_name, last_name, email, phone, external_id
    from people where id = ${personId} for update`));
  if (!person) throw new DomainError("not_found", `Person ${personId} does not exist.`);
  return person;
}

/**
 * The calendar day on which a prevention ends, in the organisation's time zone: the day
 * the user entered. The stored instant is the first moment after it (midnight there),
 * so read naively it would name the next day.
 */
export function preventionExpiryDay(expiresAt: Date | string, timeZone: string): LocalDate {
  return localDate(new Date(new Date(expiresAt).getTime() - 1), timeZone);
}

/**
 * The reason as the audit log keeps it: the person's own names, e-mail address, phone
 * number (in any written form) and external id masked ("Letter for Nora Held" →
 * "Letter for N**a H**d"), since the log outlives them.
 */
export function withoutSubjectIdentifiers(
  reason: string,
  person: { first_name: string; last_name: string; email: string | null; phone?: string | null; external_id?: string | null },
  phoneCountry: string = DEFAULT_PHONE_COUNTRY,
) {
  let out = reason;
  if (person.email) out = out.replace(new RegExp(escapeRegExp(person.email), "giu"), (m) => maskWord(m));
  const phones = phoneForms(person.phone, phoneCountry);
  if (phones.length) out = out.replace(new RegExp(phoneRegex(phones), "g"), (m) => maskWord(m));
  if (person.external_id && Array.from(person.external_id).length >= 2) {
    out = out.replace(new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(person.external_id)}(?![\\p{L}\\p{N}])`, "giu"), (m) => maskWord(m));
  }
  const words = `${person.first_name} ${person.last_name}`.split(/\s+/).filter((w) => Array.from(w).length >= 2);
  for (const word of words.sort((a, b) => b.length - a.length)) {
    out = out.replace(new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(word)}(?![\\p{L}\\p{N}])`, "giu"), (m) => maskWord(m));
  }
  return out;
}

/**
 * Masks a person's own identifiers in text staff typed about them (a task's reference or
 * reason, an override's reason): for the records that outlive the person.
 */
export async function subjectMasker(tx: DbOrTx, subject: { id: number }) {
  const [person] = rows<{ first_name: string; last_name: string; email: string | null; phone: string | null; external_id: string | null }>(
    await tx.execute(sql`select first_name, last_name, email, phone, external_id from people where id = ${subject.id}`));
  const { defaultPhoneCountry } = await getPrivacySettings(tx);
  return <T extends string | null | undefined>(text: T): T =>
    (person && text ? withoutSubjectIdentifiers(text, person, defaultPhoneCountry) : text) as T;
}

function escapeRegExp(text: string) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

async function recordHoldEvent(
  tx: DbOrTx, person: Parameters<typeof withoutSubjectIdentifiers>[1] & { id: number },
  event: { kind: "set" | "lifted"; reason: string; expiresAt: Date | null; accountId: number; now: Date; replaced?: boolean },
) {
  await tx.execute(sql`
    insert into prevention_events (person_id, kind, reason, expires_at, account_id, created_at)
    values (${person.id}, ${event.kind}, ${event.reason}, ${event.expiresAt ? ts(event.expiresAt) : sql`null`}, ${event.accountId}, ${ts(event.now)})`);
  const { defaultPhoneCountry } = await getPrivacySettings(tx);
  await recordAudit(tx, {
    actorAccountId: event.accountId, action: event.kind === "set" ? "person.prevention_set" : "person.prevention_lifted",
    targetType: "person", targetId: person.id,
    details: {
      reason: withoutSubjectIdentifiers(event.reason, person, defaultPhoneCountry),
      ...(event.kind === "set" ? { expiresAt: event.expiresAt?.toISOString() ?? null, replaced: Boolean(event.replaced) } : {}),
    },
  });
}

function isInForce(person: { prevented_at: string | null; prevention_expires_at: string | null }, now: Date) {
  return person.prevented_at != null && (person.prevention_expires_at == null || new Date(person.prevention_expires_at) > now);
}

/**
 * Sets the prevention on a profile. Replacing one that is in force — which can shorten
 * it, and so lift it early — needs `privacy.prevent`; those who may only review (the
 * review list) can add a prevention but never weaken one. The input is what the
 * operations parsed; only whether the expiry lies in the future is checked here, since
 * that needs the organisation's time zone.
 */
export async function savePrevention(tx: DbOrTx, actor: PreventingActor, input: PreventionInput, now: Date = new Date()) {
  const person = await lockPerson(tx, input.personId);
  if (person.anonymised_at) throw new DomainError("rule_violation", "This person has already been anonymised; there is nothing left to prevent.");
  if (isInForce(person, now) && !actor.permissions.includes("privacy.prevent")) {
    throw new DomainError(
      "conflict",
      "This person is already prevented from anonymisation. Only staff who may set preventions can change or lift it, on the person's page.",
    );
  }
  const settings = await getPrivacySettings(tx);
  let expires: Date | null = null;
  if (typeof input.expiresAt === "string") {
    // A date means "until the end of that day" in the organisation's time zone.
    const [r] = rows<{ at: string }>(await tx.execute(sql`
      select ((${input.expiresAt}::date + 1)::timestamp at time zone ${settings.timeZone}::text) as at`));
    expires = new Date(r.at);
  } else if (input.expiresAt) {
    expires = input.expiresAt;
  }
  if (expires && expires <= now) {
    const fieldErrors = { expiresAt: ["must be in the future"] };
    throw new DomainError("invalid_input", describeFieldErrors(fieldErrors), fieldErrors);
  }
  await tx.execute(sql`
    update people set prevented_at = ${ts(now)}, prevention_reason = ${input.reason},
      prevented_by_account_id = ${actor.accountId}, prevention_expires_at = ${expires ? ts(expires) : sql`null`}, updated_at = ${ts(now)}
    where id = ${input.personId}`);
  await recordHoldEvent(tx, person, {
    kind: "set", reason: input.reason, expiresAt: expires, accountId: actor.accountId, now, replaced: person.prevented_at != null,
  });
  return {
    personId: input.personId, preventedAt: now, expiresAt: expires,
    expiresOn: expires ? preventionExpiryDay(expires, settings.timeZone) : null,
  };
}

/** Lifts the prevention, with the reason given; lifting a profile without one changes nothing. */
export async function clearPrevention(tx: DbOrTx, actor: Actor, { personId, reason }: LiftPreventionInput, now: Date = new Date()) {
  const person = await lockPerson(tx, personId);
  if (!person.prevented_at) return { personId, lifted: false };
  await tx.execute(sql`
    update people set prevented_at = null, prevention_reason = null, prevented_by_account_id = null,
      prevention_expires_at = null, updated_at = ${ts(now)}
    where id = ${personId}`);
  await recordHoldEvent(tx, person, { kind: "lifted", reason, expiresAt: null, accountId: actor.accountId, now });
  return { personId, lifted: true };
}

// Staff set, replace or lift a prevention on a profile (privacy.prevent). The superusers
// who review the eligible list may add one from there (R_CAN_ANONYMIZE_USERS), but not
// replace one in force: a replacement can shorten it and so lift it early. The domain
// call checks that inside the transaction, with the person locked (SPEC §3).

export const preventAnonymisation = defineOperation({
  name: "preventAnonymisation",
  permission: "privacy.prevent",
  input: preventionInputSchema,
  run: ({ tx, actor, input }) => savePrevention(tx, actor, input),
});

export const preventFromReview = defineOperation({
  name: "preventFromReview",
  permission: "R_CAN_ANONYMIZE_USERS",
  input: preventionInputSchema,
  run: ({ tx, actor, input }) => savePrevention(tx, actor, input),
});

export const liftPrevention = defineOperation({
  name: "liftPrevention",
  permission: "privacy.prevent",
  input: liftPreventionInputSchema,
  run: ({ tx, actor, input }) => clearPrevention(tx, actor, input),
});

export type PreventedPerson = {
  id: number; name: string; reason: string; preventedBy: string | null; preventedAt: Date; expiresAt: Date | null;
  /** The last day the prevention holds, in the organisation's time zone (as entered). */
  expiresOn: LocalDate | null;
  expired: boolean;
};

/** Every profile with a prevention (lapsed ones flagged), newest first — for the settings page. */
export async function listPreventedPeople(db: DbOrTx, { now }: { now: Date }): Promise<PreventedPerson[]> {
  const { timeZone } = await getPrivacySettings(db);
  const found = rows<{
    id: number; first_name: string; last_name: string; reason: string | null; prevented_by: string | null;
    prevented_at: string; expires_at: string | null; expired: boolean;
  }>(await db.execute(sql`
    select p.id, p.first_name, p.last_name, p.prevention_reason as reason, a.email as prevented_by,
      p.prevented_at, p.prevention_expires_at as expires_at,
      (p.prevention_expires_at is not null and p.prevention_expires_at <= ${ts(now)}) as expired
    from people p left join accounts a on a.id = p.prevented_by_account_id
    where p.prevented_at is not null
    order by p.prevented_at desc, p.id`));
  return found.map((r) => ({
    id: Number(r.id),
    name: `${r.first_name} ${r.last_name}`.trim() || "(no name)",
    reason: r.reason ?? "",
    preventedBy: r.prevented_by,
    preventedAt: new Date(r.prevented_at),
    expiresAt: r.expires_at ? new Date(r.expires_at) : null,
    expiresOn: r.expires_at ? preventionExpiryDay(r.expires_at, timeZone) : null,
    expired: Boolean(r.expired),
  }));
}
