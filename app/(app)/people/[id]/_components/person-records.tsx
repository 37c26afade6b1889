import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { familyLinkLabel } from "@/lib/people/family";
import type { PersonProfile } from "@/lib/people/profile";
import { getFormats } from "../../../../_components/format-server";
import { type RecordColumn, RecordTable } from "../../../../_components/record-table";
import { Badge, Empty, Section } from "../../../../_components/ui";

// The person's records beyond the helpdesk: school, loans, invoices, family and the
// privacy tasks that concern them, each section in the profile's words.

export async function PersonRecords({ profile }: { profile: PersonProfile }) {
  const t = await getTranslations("profile");
  const [f, locale] = await Promise.all([getFormats(), getLocale()]);
  const activeColumn: RecordColumn<{ active: boolean }> = {
    header: t("columns.status"), cell: (r) => (r.active ? <Badge tone="ok">{t("active")}</Badge> : t("ended")),
  };
  return (
    <div className="grid gap-x-10 lg:grid-cols-2">
      <Section title={t("enrolments.title")} id="enrolments">
        <RecordTable
          label={t("enrolments.title")} rows={profile.enrolments} empty={t("enrolments.empty")}
          columns={[
            { header: t("columns.course"), cell: (e) => e.course },
            { header: t("columns.teachingPeriod"), cell: (e) => e.period },
            activeColumn,
          ]}
        />
      </Section>
      <Section title={t("waiting.title")} id="waiting">
        <RecordTable
          label={t("waiting.title")} rows={profile.waitingList} empty={t("waiting.empty")}
          columns={[
            { header: t("columns.course"), cell: (w) => w.course },
            { header: t("columns.since"), cell: (w) => f.day(w.createdAt) },
            activeColumn,
          ]}
        />
      </Section>
      <Section title={t("loans.title")} id="loans">
        <RecordTable
          label={t("loans.label")} rows={profile.loans} empty={t("loans.empty")}
          columns={[
            { header: t("columns.item"), cell: (l) => l.item },
            { header: t("columns.lent"), cell: (l) => f.day(l.lentAt) },
            { header: t("columns.due"), cell: (l) => f.day(l.dueAt) },
            { header: t("columns.returned"), cell: (l) => (l.returnedAt ? f.day(l.returnedAt) : <Badge tone="warn">{t("loans.open")}</Badge>) },
          ]}
        />
      </Section>
      <Section title={t("invoices.title")} id="invoices">
        <RecordTable
          label={t("invoices.title")} rows={profile.invoices} empty={t("invoices.empty")}
          columns={[
            { header: t("columns.number"), cell: (i) => <>{i.number} {Number(i.amount) > Number(i.amountPaid) ? <Badge tone="warn">{t("invoices.outstanding")}</Badge> : null}</> },
            { header: t("columns.issued"), cell: (i) => f.day(i.issuedOn) },
            { header: t("columns.due"), cell: (i) => f.day(i.dueOn) },
            { header: t("columns.amount"), cell: (i) => t("invoices.amount", { amount: Number(i.amount) }), numeric: true },
            { header: t("columns.paid"), cell: (i) => t("invoices.amount", { amount: Number(i.amountPaid) }), numeric: true },
          ]}
        />
      </Section>
      <Section title={t("family.title")} id="family">
        {profile.familyLinks.length === 0 ? <Empty>{t("family.empty")}</Empty> : (
          <ul className="list-disc pl-5">
            {profile.familyLinks.map((link) => (
              <li key={link.id}>
                {`${familyLinkLabel(link, locale)} `}
                <Link href={`/people/${link.otherId}`}>{link.otherName}</Link>
                {link.active ? null : <span className="text-muted"> {t("family.ended")}</span>}
              </li>
            ))}
          </ul>
        )}
      </Section>
      <Section title={t("tasks.title")} id="tasks">
        {profile.tasks.length === 0 ? <Empty>{t("tasks.empty")}</Empty> : (
          <ul className="list-disc pl-5">
            {profile.tasks.map((task) => (
              <li key={task.id}>
                <Link href={`/privacy/tasks/${task.id}`}>{t("tasks.link", { id: task.id })}</Link>
                {t("tasks.summary", { action: task.action, status: task.status, when: f.dateTime(task.createdAt) })}
              </li>
            ))}
          </ul>
        )}
      </Section>
    </div>
  );
}
