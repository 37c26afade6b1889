import { requirePage } from "@/lib/auth/session";
import Link from "next/link";
import { getDb } from "@/db/client";
import { listPreventedPeople } from "@/lib/privacy/prevention/prevention";
import { Badge, Empty, formatDateTime, Section } from "../../_components/ui";

export async function PreventedProfiles() {
  // Checked here too: a component that loads data must not rely on its page's check.
  await requirePage("admin.settings");
  const prevented = await listPreventedPeople(getDb(), { now: new Date() });
  return (
    <div className="mt-8">
      <Section title={`Prevented profiles (${prevented.length})`} id="prevented">
        {prevented.length === 0 ? (
          <Empty>No profile is prevented from anonymisation. Staff set a prevention on a person's page.</Empty>
        ) : (
          <table aria-label="Prevented profiles">
            <thead><tr><th scope="col">Person</th><th scope="col">Reason</th><th scope="col">Set by</th><th scope="col">Since</th><th scope="col">Expires</th></tr></thead>
            <tbody>
              {prevented.map((p) => (
                <tr key={p.id}>
                  <td><Link href={`/people/${p.id}#anonymisation`}>{p.name}</Link></td>
                  <td>{p.reason}</td>
                  <td>{p.preventedBy ?? "—"}</td>
                  <td className="whitespace-nowrap">{formatDateTime(p.preventedAt)}</td>
                  <td className="whitespace-nowrap">{p.expiresOn ? <>{p.expiresOn} {p.expired ? <Badge>lapsed</Badge> : null}</> : "no expiry"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>
    </div>
  );
}
