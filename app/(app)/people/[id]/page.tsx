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
import { FIELD_LABELS, type RectifiableField } from "@/lib/people/rectify-schema";
import { Alert, Badge, ButtonLink, buttonClass, DescriptionList, Empty, formatDate, formatDateTime, PageHeader, Section } from "../../../_components/ui";
import { parseId } from "../../../_components/params";
import { DeletionDialog } from "../../privacy/_components/deletion-dialog";

export const metadata: Metadata = { title: "Person" };

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
              ["First name", person.firstName],
              ["Last name", person.lastName],
              ["E-mail", person.email],
              ["Phone", person.phone],
              ["Postal address", person.address],
              ["Date of birth", person.dateOfBirth],
              ["External id", person.externalId],
              ["Leaving date", person.leavingDate],
              ["Last activity", formatDateTime(person.lastActivityAt)],
              ["Marked for deletion", person.markedForDeletionAt ? formatDateTime(person.markedForDeletionAt) : null],
              ...Object.entries(person.customFields).map(([k, v]) => [settings.customFieldDefinitions.find((d) => d.key === k)?.label ?? k, v] as [string, string]),
              ["Account", profile.account ? `${profile.account.email} (${profile.account.roles.join(", ") || "no role"})` : null],
            ]}
          />
        </Section>
        <Section title="Field history" id="history">
          {profile.history.length === 0 ? (
            <Empty>No field has been changed.</Empty>
          ) : (
            <table aria-label="Field history">
              <thead><tr><th scope="col">When</th><th scope="col">Field</th><th scope="col">Old</th><th scope="col">New</th><th scope="col">By</th></tr></thead>
              <tbody>
                {profile.history.map((h) => (
                  <tr key={h.id}>
                    <td className="whitespace-nowrap">{formatDateTime(h.changedAt)}</td>
                    <td>{FIELD_LABELS[h.field as RectifiableField] ?? h.field}</td>
                    <td>{h.oldValue ?? "—"}</td>
                    <td>{h.newValue ?? "—"}</td>
                    <td>{h.by ?? "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Section>
      </div>

      <Section title={`Tickets (${profile.tickets.length})`} id="tickets">
        {profile.tickets.length === 0 ? <Empty>No tickets as customer or owner.</Empty> : (
          <table aria-label="Tickets">
            <thead><tr><th scope="col">Number</th><th scope="col">Title</th><th scope="col">As</th><th scope="col">State</th><th scope="col">Messages</th><th scope="col">IP address</th><th scope="col">Created</th></tr></thead>
            <tbody>
              {profile.tickets.map((t) => (
                <tr key={t.id}>
                  <td><Link href={`/tickets/${t.id}`}>#{t.number}</Link></td>
                  <td>{t.title}</td>
                  <td>{t.role}</td>
                  <td>{t.state}</td>
                  <td>{t.messages}</td>
                  <td>{t.ipAddress ?? "—"}</td>
                  <td className="whitespace-nowrap">{formatDateTime(t.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>

      <Section title={`Messages (${profile.messages.length})`} id="messages">
        {profile.messages.length === 0 ? <Empty>No messages from, to or about this person.</Empty> : (
          <table aria-label="Messages">
            <thead><tr><th scope="col">Ticket</th><th scope="col">Subject</th><th scope="col">Direction</th><th scope="col">Involvement</th><th scope="col">IP address</th><th scope="col">Sent</th></tr></thead>
            <tbody>
              {profile.messages.map((m) => (
                <tr key={m.id}>
                  <td><Link href={`/tickets/${m.ticketId}#message-${m.id}`}>#{m.ticketNumber}</Link></td>
                  <td>{m.subject || <span className="text-muted">(blank)</span>}</td>
                  <td>{m.direction}</td>
                  <td>{m.involvement}</td>
                  <td>{m.ipAddress ?? "—"}</td>
                  <td className="whitespace-nowrap">{formatDateTime(m.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>

      <div className="grid gap-x-10 lg:grid-cols-2">
        <Section title="Enrolments" id="enrolments">
          {profile.enrolments.length === 0 ? <Empty>No enrolments.</Empty> : (
            <table aria-label="Enrolments">
              <thead><tr><th scope="col">Course</th><th scope="col">Teaching period</th><th scope="col">Status</th></tr></thead>
              <tbody>{profile.enrolments.map((e) => (
                <tr key={e.id}><td>{e.course}</td><td>{e.period}</td><td>{e.active ? <Badge tone="ok">active</Badge> : "ended"}</td></tr>
              ))}</tbody>
            </table>
          )}
        </Section>
        <Section title="Waiting lists" id="waiting">
          {profile.waitingList.length === 0 ? <Empty>Not on a waiting list.</Empty> : (
            <table aria-label="Waiting lists">
              <thead><tr><th scope="col">Course</th><th scope="col">Since</th><th scope="col">Status</th></tr></thead>
              <tbody>{profile.waitingList.map((w) => (
                <tr key={w.id}><td>{w.course}</td><td>{formatDate(w.createdAt)}</td><td>{w.active ? <Badge tone="ok">active</Badge> : "ended"}</td></tr>
              ))}</tbody>
            </table>
          )}
        </Section>
        <Section title="Loans and hires" id="loans">
          {profile.loans.length === 0 ? <Empty>No loans.</Empty> : (
            <table aria-label="Loans">
              <thead><tr><th scope="col">Item</th><th scope="col">Lent</th><th scope="col">Due</th><th scope="col">Returned</th></tr></thead>
              <tbody>{profile.loans.map((l) => (
                <tr key={l.id}><td>{l.item}</td><td>{formatDate(l.lentAt)}</td><td>{formatDate(l.dueAt)}</td><td>{l.returnedAt ? formatDate(l.returnedAt) : <Badge tone="warn">open</Badge>}</td></tr>
              ))}</tbody>
            </table>
          )}
        </Section>
        <Section title="Invoices" id="invoices">
          {profile.invoices.length === 0 ? <Empty>No invoices.</Empty> : (
            <table aria-label="Invoices">
              <thead><tr><th scope="col">Number</th><th scope="col">Issued</th><th scope="col">Due</th><th scope="col" className="text-right">Amount</th><th scope="col" className="text-right">Paid</th></tr></thead>
              <tbody>{profile.invoices.map((i) => (
                <tr key={i.id}>
                  <td>{i.number} {Number(i.amount) > Number(i.amountPaid) ? <Badge tone="warn">outstanding</Badge> : null}</td>
                  <td>{i.issuedOn}</td><td>{i.dueOn}</td>
                  <td className="text-right tabular-nums">{i.amount}</td><td className="text-right tabular-nums">{i.amountPaid}</td>
                </tr>
              ))}</tbody>
            </table>
          )}
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
