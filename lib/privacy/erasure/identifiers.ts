import { type SQL, sql } from "drizzle-orm";
import { type DbOrTx, rows } from "@/db/client";
import type { PrivacySettings } from "@/db/schema";
import { policyFor } from "@/lib/privacy/settings/settings";
import { intArray, textArray } from "@/db/sql";
import { DEFAULT_PHONE_COUNTRY, PHONE_FORM_PREFIX, phoneForms, phoneIdentity } from "./written-forms";

// The subject's identifier set (SPEC §10): every e-mail address, phone number and
// external id the person has ever had — the current values, their account's address and
// the former values kept in the field history — read once, before any work, because the
// work erases the only record of the former ones. Anonymisation, deletion and
// verification all use this one set, so what is removed and what is verified cannot
// drift apart.

/** Identifiers shorter than this are not searched for: they would match everywhere. */
export const MIN_IDENTIFIER_LENGTH = 5;

export type IdentifierSet = {
  personId: number;
  /** Lower-case e-mail addresses, current and former, of the person and their account. */
  emails: string[];
  /** Digit forms of every phone number to remove (see written-forms.ts). */
  phoneForms: string[];
  externalIds: string[];
};

type Row = {
  id: number; anonymised: boolean; phone: string | null; external_id: string | null;
  emails: string[]; former_emails: string[]; former_phones: string[]; former_external_ids: string[];
};

/** A subject's former values, as written, to be checked against what others hold today. */
export type FormerValues = { personId: number; emails: string[]; phones: string[]; externalIds: string[] };

/**
 * The statement that finds who holds any of these values today: another person who is
 * not anonymised (address and external id compared without case, a number through the
 * indexed digits-and-plus form it may be stored in) or an account. Each list is probed
 * through its index (people_email_idx, people_phone_digits_idx); external ids, which
 * have only a case-sensitive index, are compared in one hash join, and only when a
 * batch has former ones at all.
 */
export function othersHoldingSql(keys: { emails: string[]; phoneKeys: string[]; externalIds: string[] }): SQL | null {
  const parts: SQL[] = [];
  if (keys.emails.length) {
    const e = textArray(keys.emails);
    parts.push(
      sql`select 'email' as kind, x.k, p.id as holder, null::text as phone from unnest(${e}) x(k)
        join people p on lower(p.email) = x.k where p.anonymised_at is null`,
      sql`select 'email', x.k, coalesce(a.person_id, 0), null from unnest(${e}) x(k) join accounts a on lower(a.email) = x.k`,
    );
  }
  if (keys.phoneKeys.length) {
    parts.push(sql`select 'phone', x.k, p.id, p.phone from unnest(${textArray(keys.phoneKeys)}) x(k)
      join people p on regexp_replace(p.phone, '[^0-9+]', '', 'g') = x.k where p.anonymised_at is null`);
  }
  if (keys.externalIds.length) {
    parts.push(sql`select 'externalId', x.k, p.id, null from unnest(${textArray(keys.externalIds)}) x(k)
      join people p on lower(trim(p.external_id)) = x.k where p.external_id is not null and p.anonymised_at is null`);
  }
  return parts.length ? sql.join(parts, sql` union all `) : null;
}

/** The keys a stored number may be indexed under: its digit forms, bare and with "+". */
function phoneIndexKeys(phone: string, country: string): string[] {
  const digits = phone.replace(/\D/g, "");
  const forms = new Set([digits, ...phoneForms(phone, country)]);
  return [...forms].flatMap((f) => [f, `+${f}`]);
}

/**
 * Which of each subject's former values another person or account holds today, in one
 * statement for the whole batch. A former value is often a corrected mistake — someone
 * else's address or number typed on this profile — and what another person holds today
 * stays theirs: it is neither erased from their records nor handed over in this
 * person's export.
 */
export async function findFormerValuesHeldByOthers(
  tx: DbOrTx, subjects: FormerValues[], country: string = DEFAULT_PHONE_COUNTRY,
): Promise<Map<number, { emails: Set<string>; phones: Set<string>; externalIds: Set<string> }>> {
  const out = new Map<number, { emails: Set<string>; phones: Set<string>; externalIds: Set<string> }>();
  for (const s of subjects) out.set(s.personId, { emails: new Set(), phones: new Set(), externalIds: new Set() });
  const emails = new Set<string>();
  const phoneKeys = new Set<string>();
  const externalIds = new Set<string>();
  for (const s of subjects) {
    for (const e of s.emails) emails.add(e.trim().toLowerCase());
    for (const p of s.phones) for (const k of phoneIndexKeys(p, country)) phoneKeys.add(k);
    for (const x of s.externalIds) externalIds.add(x.trim().toLowerCase());
  }
  const query = othersHoldingSql({ emails: [...emails], phoneKeys: [...phoneKeys], externalIds: [...externalIds] });
  if (!query) return out;
  const found = rows<{ kind: string; k: string; holder: number; phone: string | null }>(await tx.execute(query));
  const holders = new Map<string, Set<number>>();
  const phoneHolders = new Map<string, { holder: number; identity: string }[]>();
  for (const r of found) {
    if (r.kind === "phone") {
      const list = phoneHolders.get(r.k) ?? [];
      list.push({ holder: Number(r.holder), identity: phoneIdentity(r.phone ?? "", country) });
      phoneHolders.set(r.k, list);
    } else {
      const key = `${r.kind}:${r.k}`;
      holders.set(key, (holders.get(key) ?? new Set()).add(Number(r.holder)));
    }
  }
  const heldByOther = (key: string, personId: number) => [...(holders.get(key) ?? [])].some((h) => h !== personId);
  for (const s of subjects) {
    const taken = out.get(s.personId)!;
    for (const e of s.emails) if (heldByOther(`email:${e.trim().toLowerCase()}`, s.personId)) taken.emails.add(e);
    for (const x of s.externalIds) if (heldByOther(`externalId:${x.trim().toLowerCase()}`, s.personId)) taken.externalIds.add(x);
    for (const p of s.phones) {
      const identity = phoneIdentity(p, country);
      const other = phoneIndexKeys(p, country).some((k) => (phoneHolders.get(k) ?? []).some((h) => h.holder !== s.personId && h.identity === identity));
      if (other) taken.phones.add(p);
    }
  }
  return out;
}

/**
 * Reads the identifier sets of the given people: their current values in one
 * statement, and in one more which of their former values another person or account
 * holds today (those stay out of the set: see findFormerValuesHeldByOthers). A phone
 * that the phone policy keeps on the profile is not in the set (it stays by choice, so
 * it is neither removed nor reported as residue); former numbers are, unless they are
 * the kept one written differently.
 */
export async function readIdentifierSets(
  tx: DbOrTx, personIds: number[], settings: Pick<PrivacySettings, "fieldPolicies"> & { defaultPhoneCountry?: string | null },
  opts: { keepPhone?: boolean } = {},
): Promise<IdentifierSet[]> {
  const ids = [...new Set(personIds)];
  if (!ids.length) return [];
  const history = (field: string, value: SQL) => sql`select ${value} from field_history h cross join lateral unnest(array[h.old_value, h.new_value]) v
    where h.person_id = p.id and h.field = ${field} and v is not null`;
  const found = rows<Row>(await tx.execute(sql`
    select p.id, p.anonymised_at is not null as anonymised, p.phone, trim(p.external_id) as external_id,
      array(
        select lower(trim(v)) from unnest(array[p.email]) v where v is not null
        union select lower(trim(a.email)) from accounts a where a.person_id = p.id and a.email not like 'anonymised-%@invalid'
      ) as emails,
      array(${history("email", sql`lower(trim(v))`)}) as former_emails,
      array(${history("phone", sql`v`)}) as former_phones,
      array(${history("externalId", sql`trim(v)`)}) as former_external_ids
    from people p where p.id = any(${intArray(ids)}) order by p.id`));
  const country = settings.defaultPhoneCountry ?? DEFAULT_PHONE_COUNTRY;
  const keepPhone = opts.keepPhone ?? policyFor(settings, "phone") === "keep";
  // Former values that are not also current ones: only those can belong to someone else.
  const former = found.map((p): FormerValues => {
    const emails = new Set(p.emails);
    const phone = p.phone ? phoneIdentity(p.phone, country) : null;
    const externalId = p.external_id?.toLowerCase() ?? null;
    return {
      personId: Number(p.id),
      emails: [...new Set(p.former_emails)].filter((e) => e.includes("@") && !emails.has(e)),
      phones: [...new Set(p.former_phones)].filter((v) => phoneForms(v, country).length && phoneIdentity(v, country) !== phone),
      externalIds: [...new Set(p.former_external_ids)].filter((v) => v.length >= MIN_IDENTIFIER_LENGTH && v.toLowerCase() !== externalId),
    };
  });
  const taken = await findFormerValuesHeldByOthers(tx, former, country);
  return found.map((p, i) => {
    const others = taken.get(Number(p.id))!;
    const f = former[i];
    const kept = new Set(keepPhone ? phoneForms(p.phone, country) : []);
    const forms = new Set<string>();
    const phones = [p.phone, ...f.phones.filter((v) => !others.phones.has(v))];
    for (const phone of phones) for (const form of phoneForms(phone, country)) if (!kept.has(form)) forms.add(form);
    const emails = new Set([...p.emails, ...f.emails.filter((e) => !others.emails.has(e))]);
    const externalIds = new Set([...(p.external_id ? [p.external_id] : []), ...f.externalIds.filter((x) => !others.externalIds.has(x))]);
    return {
      personId: Number(p.id),
      emails: [...emails].filter((e) => e.includes("@") && e.length >= MIN_IDENTIFIER_LENGTH),
      phoneForms: [...forms],
      externalIds: [...externalIds].filter((e) => e.length >= MIN_IDENTIFIER_LENGTH),
    };
  });
}

/** The values verification searches for: literal e-mails and ids, phones as digit forms. */
export function verificationValues(set: IdentifierSet): string[] {
  return [...set.emails, ...set.externalIds, ...set.phoneForms.map((f) => PHONE_FORM_PREFIX + f)];
}
