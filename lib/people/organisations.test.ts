import { describe, expect, it } from "vitest";
import { organisations } from "@/db/schema";
import { useTestDatabase } from "@/test/db";
import { createPerson } from "@/test/fixtures";
import { listOrganisations } from "./organisations";

const { db } = await useTestDatabase();

describe("listOrganisations", () => {
  it("lists organisations by name (then id), all of them or those with people, up to the limit", async () => {
    const prefix = "Listed organisation";
    const [empty, later, first, twin] = await db.insert(organisations).values([
      { name: `${prefix} B empty` }, { name: `${prefix} C` }, { name: `${prefix} A` }, { name: `${prefix} A` },
    ]).returning();
    for (const org of [later, first, twin]) await createPerson(db, { organisationId: org.id });
    const ours = (rows: { id: number; name: string }[]) => rows.filter((o) => o.name.startsWith(prefix)).map((o) => o.id);

    const all = await listOrganisations(db, { limit: 1000 });
    expect(ours(all)).toEqual([first.id, twin.id, empty.id, later.id]);
    expect(ours(await listOrganisations(db, { withPeople: true, limit: 1000 }))).toEqual([first.id, twin.id, later.id]);
    expect(await listOrganisations(db, { limit: 2 })).toEqual(all.slice(0, 2));
  });
});
