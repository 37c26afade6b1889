import { asc, eq, exists } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { organisations, people } from "@/db/schema";

// The organisations a form offers to choose from: the review list's filter (only those
// with someone in them, since an empty one can match no profile) and the retention-rule
// editor's condition (any, since a rule may be written before its people are imported).

export async function listOrganisations(db: DbOrTx, { withPeople = false, limit }: { withPeople?: boolean; limit: number }) {
  const withMembers = exists(db.select({ id: people.id }).from(people).where(eq(people.organisationId, organisations.id)));
  return db.select({ id: organisations.id, name: organisations.name }).from(organisations)
    .where(withPeople ? withMembers : undefined)
    .orderBy(asc(organisations.name), asc(organisations.id))
    .limit(limit);
}
