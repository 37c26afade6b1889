import { requirePage } from "@/lib/auth/session";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { getDb } from "@/db/client";
import { listPreventedPeople } from "@/lib/privacy/prevention/prevention";
import { getFormats } from "../../_components/format-server";
import { Badge, Empty, Section } from "../../_components/ui";

export async function PreventedProfiles() {
  // Checked here too: a component that loads data must not rely on its page's check.
  await requirePage("admin.settings");
  const [prevented, t, f] = await Promise.all([listPreventedPeople(getDb(), { now: new Date() }), getTranslations("settings.prevented"), getFormats()]);
  return (
    <div className="mt-8">
      <Section title={t("title", { count: prevented.length })} id="prevented">
        {prevented.length === 0 ? (
          <Empty>{t("empty")}</Empty>
        ) : (
          <table aria-label={t("table")}>
            <thead><tr><th scope="col">{t("person")}</th><th scope="col">{t("reason")}</th><th scope="col">{t("setBy")}</th><th scope="col">{t("since")}</th><th scope="col">{t("expires")}</th></tr></thead>
            <tbody>
              {prevented.map((p) => (
                <tr key={p.id}>
                  <td><Link href={`/people/${p.id}#anonymisation`}>{p.name}</Link></td>
                  <td>{p.reason}</td>
                  <td>{p.preventedBy ?? "—"}</td>
                  <td className="whitespace-nowrap">{f.dateTime(p.preventedAt)}</td>
                  <td className="whitespace-nowrap">{p.expiresOn ? <>{f.day(p.expiresOn)} {p.expired ? <Badge>{t("lapsed")}</Badge> : null}</> : t("noExpiry")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>
    </div>
  );
}
