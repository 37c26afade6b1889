import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { requirePage } from "@/lib/auth/session";
import { getRequestById, selectRequestAssignees } from "@/lib/requests/queries";
import { isClosedStatus } from "@/lib/requests/requests";
import { getFormats } from "../../../_components/format-server";
import { parseId } from "../../../_components/params";
import { Alert, DescriptionList, PageHeader, Section } from "../../../_components/ui";
import { DaysLeft, RequestStatusBadge } from "../_components/request-bits";
import { FulfilPanel } from "./_components/fulfil-panel";
import { ConfirmIdentity, ExtendRequest, RequestDetailsForm, WithdrawRequest } from "./request-controls";
import { RequestTimeline } from "./timeline";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  return { title: (await getTranslations("requests"))("number", { id: (await params).id }) };
}

// One request: its clock, who asked, who handles it, what can be done next, and the
// timeline of everything done so far.
export default async function RequestPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePage("privacy.requests");
  const id = parseId((await params).id);
  if (id === null) notFound();
  const db = getDb();
  const request = await getRequestById(db, { id, timeZone: actor.timeZone });
  if (!request) notFound();
  const [assignees, t, f] = await Promise.all([selectRequestAssignees(db), getTranslations("requests"), getFormats()]);
  const closed = isClosedStatus(request.status);
  const paused = request.pausedSince !== null;

  return (
    <>
      <PageHeader
        title={t("detail.title", { id: String(request.id), type: t(`types.${request.type}`) })}
        description={<><RequestStatusBadge status={request.status} /> <Link href="/requests" className="ml-2">{t("detail.backToQueue")}</Link></>}
        actions={closed ? null : <WithdrawRequest requestId={request.id} />}
      />
      {request.status === "awaiting_identity" ? (
        <Alert tone="warn" title={t("detail.awaitingIdentityTitle")}>{paused ? t("detail.awaitingIdentityPaused") : t("detail.awaitingIdentity")}</Alert>
      ) : null}
      {closed ? <Alert tone="info">{t("detail.closed", { status: t(`statuses.${request.status}`), at: f.dateTime(request.closedAt) })}</Alert> : null}

      <div className="grid gap-6 lg:grid-cols-2">
        <Section title={t("detail.clock")} id="clock">
          <DescriptionList items={[
            [t("detail.received"), f.dateTime(request.receivedAt)],
            [t("detail.channel"), t(`channels.${request.channel}`)],
            [t("detail.due"), <span key="due">{f.day(request.effectiveDueAt)}{paused ? <span className="ml-1 text-muted">{t("detail.dueMovesWhilePaused")}</span> : null}</span>],
            [t("detail.daysLeft"), <DaysLeft key="left" days={request.daysLeft} paused={paused} />],
            [t("detail.pausedDays"), paused
              ? t("detail.pausedRunning", { days: request.totalPausedDays, since: f.day(request.pausedSince) })
              : t("detail.pausedDaysValue", { days: request.totalPausedDays })],
            [t("detail.extension"), request.extensionMonths
              ? t("detail.extensionValue", { months: request.extensionMonths, at: f.day(request.extendedAt), reason: request.extensionReason ?? "" })
              : t("detail.noExtension")],
          ]} />
          {!closed && !request.extensionMonths ? (
            <div className="mt-3">
              <ExtendRequest requestId={request.id} receivedAt={request.receivedAt.toISOString()} pausedDays={request.pausedDays} paused={paused} timeZone={actor.timeZone} />
            </div>
          ) : null}
        </Section>

        <Section title={t("detail.requester")} id="requester">
          <DescriptionList items={[
            [t("detail.person"), request.personId === null ? t("detail.noPerson")
              : <Link key="p" href={`/people/${request.personId}`} className="underline">{request.personName ?? `#${request.personId}`}</Link>],
            [t("detail.personEmail"), request.personEmail],
            [t("detail.requesterName"), request.requesterName],
            [t("detail.requesterEmail"), request.requesterEmail],
            [t("detail.identity"), request.identityConfirmedAt ? t("detail.identityConfirmedAt", { at: f.dateTime(request.identityConfirmedAt) }) : t("detail.identityUnconfirmed")],
            [t("detail.source"), t(`sources.${request.source}`)],
          ]} />
          {request.status === "awaiting_identity" ? (
            <div className="mt-3">
              <ConfirmIdentity requestId={request.id} matched={request.matchedPeople.filter((p) => !p.anonymisedAt).map((p) => ({ id: p.id, name: p.name, email: p.email }))}
                current={request.personId === null ? null : { id: request.personId, name: request.personName, email: request.personEmail }} />
            </div>
          ) : null}
        </Section>
      </div>

      <Section title={t("detail.handling")} id="handling">
        {closed ? (
          <DescriptionList items={[[t("detail.assignee"), request.assigneeEmail ?? t("unassigned")], [t("detail.notes"), request.notes]]} />
        ) : (
          <RequestDetailsForm key={request.updatedAt.toISOString()} requestId={request.id} assignees={assignees}
            assigneeAccountId={request.assigneeAccountId} notes={request.notes ?? ""} />
        )}
      </Section>

      <FulfilPanel requestId={request.id} />

      <Section title={t("detail.timeline")} id="timeline">
        <RequestTimeline entries={request.timeline} />
      </Section>
    </>
  );
}
