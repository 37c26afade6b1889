import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { requirePage } from "@/lib/auth/session";
import { familyLinkLabel } from "@/lib/people/family";
import { getPersonProfile } from "@/lib/people/profile";
import { explainEligibility, manualBlockedMessage } from "@/lib/privacy/eligibility/explanation";
import { getPrivacySettings } from "@/lib/privacy/settings/settings";
import { EligibilityPanel } from "./_components/eligibility-panel";
import { AnonymiseControl, PreventionControl } from "./_components/privacy-controls";
import { PERSON_FIELD_LABELS, personFieldLabel } from "@/lib/people/fields";
import { type RecordColumn, RecordTable } from "../../../_components/record-table";
import { Alert, Badge, ButtonLink, buttonClass, DescriptionList, Empty, formatDate, formatDateTime, PageHeader, Section } from "../../../_components/ui";
import { parseId } from "../../../_components/params";
import { DeletionDialog } from "../../privacy/_components/deletion-dialog";

export const metadata: Metadata = { title: "Person" };

const activeColumn: RecordColumn<{ active: boolean }> = { header: "Status", cell: (r) => (r.active ? <Badge tone="ok">active</Badge> : "ended") };

export default async function PersonPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ saved?: string }> }) {
  const actor = await requirePage("people.read");
  const id = parseId((await params).id);
  if (id === null) notFound();
  const db = getDb();
  const [profile, settings] = await Promise.all([getPersonProfile(db, { id }), getPrivacySettings(db)]);
  if (!profile) notFound();
  // The panel judges every rule; the Anonymise button follows the manual rules of the settings.
  const { bulk, manual, prevention } = await explainEligibility(db, { personId: id, settings, now: new Date() });
  const { person, organisation } = profile;
  const { saved } = await searchParams;
  const name = `${person.firstName} ${person.lastName}`.trim() || `Person ${person.id}`;
  const can = (p: string) => actor.permissions.includes(p as never);

  return (
    <>
      <PageHeader
        title={name}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <span>{person.kind}</span>
            {organisation ? <span>· {organisation.name}</span> : null}
            {person.imported ? <Badge tone="info">imported</Badge> : null}
            {person.system ? <Badge tone="info">system</Badge> : null}
            {person.anonymisedAt ? <Badge>anonymised {formatDate(person.anonymisedAt)}</Badge> : null}
            <Badge tone={person.status === "active" ? "ok" : "neutral"}>{person.status}</Badge>
          </span>
        }
        actions={
          <>
            {can("people.edit") && !person.anonymisedAt && !person.system ? (
              <ButtonLink href={`/people/${person.id}/edit`}>Correct data</ButtonLink>
            ) : null}
            {can("people.export") ? (
              <>
                <a href={`/people/${person.id}/export?format=zip`} className={buttonClass()} download aria-label="Export (zip with JSON and HTML)">Export</a>
                <a href={`/people/${person.id}/export?format=xlsx`} className={buttonClass()} download aria-label="Export XLSX (spreadsheet)">Export XLSX</a>
              </>
            ) : null}
            {can("admin.data_privacy") && !person.system ? <DeletionDialog person={{ id: person.id, name }} /> : null}
          </>
        }
      />
      {saved ? <Alert tone="ok">The changes were saved and written to the field history.</Alert> : null}

      {person.anonymisedAt ? null : (
        <Section title="Anonymisation" id="anonymisation">
          <div className="grid gap-4 lg:grid-cols-[2fr_1fr]">
            <EligibilityPanel explanation={bulk} />
            <div className="space-y-3">
              {!settings.anonymisationEnabled ? <Alert tone="warn">Anonymisation is switched off in the privacy settings.</Alert> : null}
              <PreventionControl personId={person.id} canPrevent={can("privacy.prevent")} prevention={prevention} />
              {can("R_CAN_ANONYMIZE_USERS") ? (
                <div>
                  <AnonymiseControl
                    personId={person.id}
                    name={name}
                    eligible={manual.eligible && settings.anonymisationEnabled}
                    blockedReason={manual.rules.filter((r) => !r.passed).map((r) => r.reason).join("; ") || "Anonymisation is switched off"}
                  />
                  {!manual.eligible ? <p className="mt-1 text-sm text-muted">{manualBlockedMessage(manual)}</p> : null}
                </div>
              ) : null}
            </div>
          </div>
        </Section>
      )}

      <div className="grid gap-x-10 lg:grid-cols-2">
        <Section title="Fields" id="fields">
          <DescriptionList
            items={[
              [PERSON_FIELD_LABELS.firstName, person.firstName],
              [PERSON_FIELD_LABELS.lastName, person.lastName],
              [PERSON_FIELD_LABELS.email, person.email],
              [PERSON_FIELD_LABELS.phone, person.phone],
              [PERSON_FIELD_LABELS.address, person.address],
              [PERSON_FIELD_LABELS.dateOfBirth, person.dateOfBirth],
              [PERSON_FIELD_LABELS.externalId, person.externalId],
              [PERSON_FIELD_LABELS.leavingDate, person.leavingDate],
              ["Last activity", formatDateTime(person.lastActivityAt)],
              ["Marked for deletion", person.markedForDeletionAt ? formatDateTime(person.markedForDeletionAt) : null],
              ...Object.entries(person.customFields).map(([k, v]) => [settings.customFieldDefinitions.find((d) => d.key === k)?.label ?? k, v] as [string, string]),
              ["Account", profile.account ? `${profile.account.email} (${profile.account.roles.join(", ") || "no role"})` : null],
            ]}
          />
        </Section>
        <Section title="Field history" id="history">
          <RecordTable
            label="Field history" rows={profile.history} empty="No field has been changed."
            columns={[
              { header: "When", cell: (h) => formatDateTime(h.changedAt), nowrap: true },
              { header: "Field", cell: (h) => personFieldLabel(h.field) },
              { header: "Old", cell: (h) => h.oldValue ?? "—" },
              { header: "New", cell: (h) => h.newValue ?? "—" },
              { header: "By", cell: (h) => h.by ?? "—" },
            ]}
          />
        </Section>
      </div>

      <Section title={`Tickets (${profile.tickets.length})`} id="tickets">
        <RecordTable
          label="Tickets" rows={profile.tickets} empty="No tickets as customer or owner."
          columns={[
            { header: "Number", cell: (t) => <Link href={`/tickets/${t.id}`}>#{t.number}</Link> },
            { header: "Title", cell: (t) => t.title },
            { header: "As", cell: (t) => t.role },
            { header: "State", cell: (t) => t.state },
            { header: "Messages", cell: (t) => t.messages },
            { header: "IP address", cell: (t) => t.ipAddress ?? "—" },
            { header: "Created", cell: (t) => formatDateTime(t.createdAt), nowrap: true },
          ]}
        />
      </Section>

      <Section title={`Messages (${profile.messages.length})`} id="messages">
        <RecordTable
          label="Messages" rows={profile.messages} empty="No messages from, to or about this person."
          columns={[
            { header: "Ticket", cell: (m) => <Link href={`/tickets/${m.ticketId}#message-${m.id}`}>#{m.ticketNumber}</Link> },
            { header: "Subject", cell: (m) => m.subject || <span className="text-muted">(blank)</span> },
            { header: "Direction", cell: (m) => m.direction },
            { header: "Involvement", cell: (m) => m.involvement },
            { header: "IP address", cell: (m) => m.ipAddress ?? "—" },
            { header: "Sent", cell: (m) => formatDateTime(m.createdAt), nowrap: true },
          ]}
        />
      </Section>

      <div className="grid gap-x-10 lg:grid-cols-2">
        <Section title="Enrolments" id="enrolments">
          <RecordTable
            label="Enrolments" rows={profile.enrolments} empty="No enrolments."
            columns={[
              { header: "Course", cell: (e) => e.course },
              { header: "Teaching period", cell: (e) => e.period },
              activeColumn,
            ]}
          />
        </Section>
        <Section title="Waiting lists" id="waiting">
          <RecordTable
            label="Waiting lists" rows={profile.waitingList} empty="Not on a waiting list."
            columns={[
              { header: "Course", cell: (w) => w.course },
              { header: "Since", cell: (w) => formatDate(w.createdAt) },
              activeColumn,
            ]}
          />
        </Section>
        <Section title="Loans and hires" id="loans">
          <RecordTable
            label="Loans" rows={profile.loans} empty="No loans."
            columns={[
              { header: "Item", cell: (l) => l.item },
              { header: "Lent", cell: (l) => formatDate(l.lentAt) },
              { header: "Due", cell: (l) => formatDate(l.dueAt) },
              { header: "Returned", cell: (l) => (l.returnedAt ? formatDate(l.returnedAt) : <Badge tone="warn">open</Badge>) },
            ]}
          />
        </Section>
        <Section title="Invoices" id="invoices">
          <RecordTable
            label="Invoices" rows={profile.invoices} empty="No invoices."
            columns={[
              { header: "Number", cell: (i) => <>{i.number} {Number(i.amount) > Number(i.amountPaid) ? <Badge tone="warn">outstanding</Badge> : null}</> },
              { header: "Issued", cell: (i) => i.issuedOn },
              { header: "Due", cell: (i) => i.dueOn },
              { header: "Amount", cell: (i) => i.amount, numeric: true },
              { header: "Paid", cell: (i) => i.amountPaid, numeric: true },
            ]}
          />
        </Section>
        <Section title="Family links" id="family">
          {profile.familyLinks.length === 0 ? <Empty>No family links.</Empty> : (
            <ul className="list-disc pl-5">
              {profile.familyLinks.map((f) => (
                <li key={f.id}>
                  {`${familyLinkLabel(f)} `}
                  <Link href={`/people/${f.otherId}`}>{f.otherName}</Link>
                  {f.active ? null : <span className="text-muted"> (ended)</span>}
                </li>
              ))}
            </ul>
          )}
        </Section>
        <Section title="Privacy tasks" id="tasks">
          {profile.tasks.length === 0 ? <Empty>No privacy tasks concern this person.</Empty> : (
            <ul className="list-disc pl-5">
              {profile.tasks.map((t) => (
                <li key={t.id}>
                  <Link href={`/privacy/tasks/${t.id}`}>Task #{t.id}</Link>: {t.action}, {t.status}, {formatDateTime(t.createdAt)}
                </li>
              ))}
            </ul>
          )}
        </Section>
      </div>
    </>
  );
}
