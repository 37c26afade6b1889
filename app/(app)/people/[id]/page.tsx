import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { requirePage } from "@/lib/auth/session";
import { personFieldLabel, personFieldLabels } from "@/lib/people/fields";
import { getPersonProfile } from "@/lib/people/profile";
import { explainEligibility, manualBlockedMessage } from "@/lib/privacy/eligibility/explanation";
import { getPrivacySettings } from "@/lib/privacy/settings/settings";
import { listPreventionEventsByPersonId } from "@/lib/privacy/prevention/history";
import { preventionExpiryDay } from "@/lib/privacy/prevention/prevention";
import { HoldHistory } from "./_components/hold-history";
import { EligibilityPanel } from "./_components/eligibility-panel";
import { PersonRecords } from "./_components/person-records";
import { AnonymiseControl, PreventionControl } from "./_components/privacy-controls";
import { getFormats } from "../../../_components/format-server";
import { RecordTable } from "../../../_components/record-table";
import { Alert, Badge, ButtonLink, buttonClass, DescriptionList, Empty, PageHeader, Section } from "../../../_components/ui";
import { parseId } from "../../../_components/params";
import { DeletionDialog } from "../../privacy/_components/deletion-dialog";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("profile"))("title") };
}

export default async function PersonPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ saved?: string }> }) {
  const actor = await requirePage("people.read");
  const id = parseId((await params).id);
  if (id === null) notFound();
  const db = getDb();
  const [profile, settings] = await Promise.all([getPersonProfile(db, { id }), getPrivacySettings(db)]);
  if (!profile) notFound();
  const locale = await getLocale();
  // The panel judges every rule; the Anonymise button follows the manual rules of the settings.
  const { bulk, manual, prevention } = await explainEligibility(db, { personId: id, settings, now: new Date(), locale });
  const holdHistory = (await listPreventionEventsByPersonId(db, { personId: id }))
    .map((e) => ({ ...e, expiresOn: e.expiresAt ? preventionExpiryDay(e.expiresAt, settings.timeZone) : null }));
  const t = await getTranslations("profile");
  const tp = await getTranslations("people");
  const tt = await getTranslations("tickets");
  const f = await getFormats();
  const { person, organisation } = profile;
  const { saved } = await searchParams;
  const name = `${person.firstName} ${person.lastName}`.trim() || tp("personFallback", { id: person.id });
  const can = (p: string) => actor.permissions.includes(p as never);
  const labels = personFieldLabels(locale);

  return (
    <>
      <PageHeader
        title={name}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <span>{tp("kind", { kind: person.kind })}</span>
            {organisation ? <span>· {organisation.name}</span> : null}
            {person.imported ? <Badge tone="info">{t("badges.imported")}</Badge> : null}
            {person.system ? <Badge tone="info">{t("badges.system")}</Badge> : null}
            {person.anonymisedAt ? <Badge>{t("badges.anonymisedOn", { day: f.day(person.anonymisedAt) })}</Badge> : null}
            <Badge tone={person.status === "active" ? "ok" : "neutral"}>{t("status", { status: person.status })}</Badge>
          </span>
        }
        actions={
          <>
            {can("people.edit") && !person.anonymisedAt && !person.system ? (
              <ButtonLink href={`/people/${person.id}/edit`}>{t("correctData")}</ButtonLink>
            ) : null}
            {can("people.export") ? (
              <>
                <ButtonLink href={`/people/${person.id}/export/preview`}>{t("exportPreview")}</ButtonLink>
                <a href={`/people/${person.id}/export?format=zip`} className={buttonClass()} download aria-label={t("exportZipLabel")}>{t("exportZip")}</a>
                <a href={`/people/${person.id}/export?format=xlsx`} className={buttonClass()} download aria-label={t("exportXlsxLabel")}>{t("exportXlsx")}</a>
              </>
            ) : null}
            {can("admin.data_privacy") && !person.system ? <DeletionDialog person={{ id: person.id, name }} /> : null}
          </>
        }
      />
      {saved ? <Alert tone="ok">{t("saved")}</Alert> : null}

      {person.anonymisedAt ? null : (
        <Section title={t("anonymisation.title")} id="anonymisation">
          <div className="grid gap-4 lg:grid-cols-[2fr_1fr]">
            <EligibilityPanel explanation={bulk} />
            <div className="space-y-3">
              {!settings.anonymisationEnabled ? <Alert tone="warn">{t("anonymisation.switchedOff")}</Alert> : null}
              <PreventionControl personId={person.id} canPrevent={can("privacy.prevent")} prevention={prevention} />
              {can("R_CAN_ANONYMIZE_USERS") ? (
                <div>
                  <AnonymiseControl
                    personId={person.id}
                    name={name}
                    eligible={manual.eligible && settings.anonymisationEnabled}
                    blockedReason={manual.rules.filter((r) => !r.passed).map((r) => r.reason).join("; ") || t("anonymisation.switchedOffShort")}
                  />
                  {!manual.eligible ? <p className="mt-1 text-sm text-muted">{manualBlockedMessage(manual, locale)}</p> : null}
                </div>
              ) : null}
            </div>
          </div>
        </Section>
      )}

      <div className="grid gap-x-10 lg:grid-cols-2">
        <Section title={t("fields.title")} id="fields">
          <DescriptionList
            items={[
              [labels.firstName, person.firstName],
              [labels.lastName, person.lastName],
              [labels.email, person.email],
              [labels.phone, person.phone],
              [labels.address, person.address],
              [labels.dateOfBirth, person.dateOfBirth ? f.day(person.dateOfBirth) : null],
              [labels.externalId, person.externalId],
              [labels.leavingDate, person.leavingDate ? f.day(person.leavingDate) : null],
              [t("fields.lastActivity"), f.dateTime(person.lastActivityAt)],
              [t("fields.markedForDeletion"), person.markedForDeletionAt ? f.dateTime(person.markedForDeletionAt) : null],
              ...Object.entries(person.customFields).map(([k, v]) => [settings.customFieldDefinitions.find((d) => d.key === k)?.label ?? k, v] as [string, string]),
              [t("fields.account"), profile.account ? t("fields.accountValue", { email: profile.account.email, roles: profile.account.roles.join(", ") || t("fields.noRole") }) : null],
            ]}
          />
        </Section>
        <Section title={t("history.title")} id="history">
          <RecordTable
            label={t("history.title")} rows={profile.history} empty={t("history.empty")}
            columns={[
              { header: t("columns.when"), cell: (h) => f.dateTime(h.changedAt), nowrap: true },
              { header: t("columns.field"), cell: (h) => personFieldLabel(h.field, locale) },
              { header: t("columns.old"), cell: (h) => h.oldValue ?? "—" },
              { header: t("columns.new"), cell: (h) => h.newValue ?? "—" },
              { header: t("columns.by"), cell: (h) => h.by ?? "—" },
            ]}
          />
        </Section>
      </div>

      <HoldHistory entries={holdHistory} />

      <Section title={t("tickets.title", { count: profile.tickets.length })} id="tickets">
        <RecordTable
          label={t("tickets.label")} rows={profile.tickets} empty={t("tickets.empty")}
          columns={[
            { header: t("columns.number"), cell: (r) => <Link href={`/tickets/${r.id}`}>#{r.number}</Link> },
            { header: t("columns.title"), cell: (r) => r.title },
            { header: t("columns.as"), cell: (r) => t("tickets.role", { role: r.role }) },
            { header: t("columns.state"), cell: (r) => tt("state", { state: r.state }) },
            { header: t("columns.messages"), cell: (r) => f.number(r.messages) },
            { header: t("columns.ipAddress"), cell: (r) => r.ipAddress ?? "—" },
            { header: t("columns.created"), cell: (r) => f.dateTime(r.createdAt), nowrap: true },
          ]}
        />
      </Section>

      <Section title={t("messages.title", { count: profile.messages.length })} id="messages">
        <RecordTable
          label={t("messages.label")} rows={profile.messages} empty={t("messages.empty")}
          columns={[
            { header: t("columns.ticket"), cell: (m) => <Link href={`/tickets/${m.ticketId}#message-${m.id}`}>#{m.ticketNumber}</Link> },
            { header: t("columns.subject"), cell: (m) => m.subject || <span className="text-muted">{t("messages.blank")}</span> },
            { header: t("columns.direction"), cell: (m) => tt("direction", { direction: m.direction }) },
            { header: t("columns.involvement"), cell: (m) => t("messages.involvement", { involvement: m.involvement }) },
            { header: t("columns.ipAddress"), cell: (m) => m.ipAddress ?? "—" },
            { header: t("columns.sent"), cell: (m) => f.dateTime(m.createdAt), nowrap: true },
          ]}
        />
      </Section>

      <PersonRecords profile={profile} />
    </>
  );
}
