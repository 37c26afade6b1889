import type { Locale } from "@/lib/i18n/locales";
import { translatorFor } from "@/lib/i18n/translate";

// A family link row reads "the related person is the person's <relation>": the seed
// stores a child's row (child → mother, "parent") and the mother's row (mother → child,
// "child"). A profile speaks from its own side ("parent of Ben"), so the person's role
// is the inverse of the relation on their own row, or the relation on the relative's.

const INVERSE: Record<string, string> = {
  parent: "child", child: "parent", sibling: "sibling", spouse: "spouse", partner: "partner",
  guardian: "ward", ward: "guardian", grandparent: "grandchild", grandchild: "grandparent",
};

export function inverseRelation(relation: string): string | null {
  return INVERSE[relation.trim().toLowerCase()] ?? null;
}

export type FamilyLinkRow = {
  id: number; relation: string; active: boolean; outgoing: boolean;
  otherId: number; otherFirstName: string; otherLastName: string;
};

export type FamilyRelative = {
  id: number;
  otherId: number;
  otherName: string;
  /** What the relative is to the person ("parent"), null if the stored word has no known inverse. */
  relativeIs: string | null;
  /** What the person is to the relative ("child"), null likewise. */
  personIs: string | null;
  active: boolean;
};

/**
 * One entry per relative (links are stored in both directions), from the person's own
 * row where there is one.
 */
export function describeFamilyLinks(links: FamilyLinkRow[]): FamilyRelative[] {
  const byOther = new Map<number, FamilyLinkRow>();
  for (const link of links) {
    const seen = byOther.get(link.otherId);
    if (!seen || (link.outgoing && !seen.outgoing)) byOther.set(link.otherId, link);
  }
  return [...byOther.values()]
    .map((l) => {
      const relativeIs = l.outgoing ? l.relation : inverseRelation(l.relation);
      const personIs = l.outgoing ? inverseRelation(l.relation) : l.relation;
      return {
        id: l.id, otherId: l.otherId, otherName: `${l.otherFirstName} ${l.otherLastName}`.trim(),
        relativeIs, personIs, active: l.active,
      };
    })
    .sort((a, b) => a.otherName.localeCompare(b.otherName) || a.otherId - b.otherId);
}

/**
 * "parent of" (before "Ben Aigner"); a word without a known inverse is named as stored.
 * The profile's words; the export's JSON keeps them in English.
 */
export function familyLinkLabel(r: Pick<FamilyRelative, "relativeIs" | "personIs">, locale: Locale = "en") {
  const t = translatorFor(locale);
  if (r.personIs) return t("profile.family.personIs", { relation: r.personIs });
  return t("profile.family.related", { relation: r.relativeIs ?? t("profile.family.relative") });
}
