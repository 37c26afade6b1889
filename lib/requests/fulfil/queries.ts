import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { type DbOrTx } from "@/db/client";
import { fieldHistory, nameMentions, people, privacyRequests, privacyTasks, requestDownloads } from "@/db/schema";
import { hasPermission } from "@/lib/permissions";
import { defineQuery } from "@/lib/operation";
import { replyAddressOf } from "./request-row";
import { requestIdSchema } from "./schemas";

// What the request page's answer panel shows: the request's outcome, the person it acts
// on, the download links built for it (never their tokens), the tasks created from it
// with their verification and the name mentions still awaiting review, the corrections
// linked to it, and which answers the reader may give.

async function selectFulfilment(db: DbOrTx, requestId: number) {
  const [request] = await db.select({
    id: privacyRequests.id, type: privacyRequests.type, status: privacyRequests.status, personId: privacyRequests.personId,
    requesterEmail: privacyRequests.requesterEmail, reply: privacyRequests.reply, refusalBasis: privacyRequests.refusalBasis,
    closedAt: privacyRequests.closedAt,
  }).from(privacyRequests).where(eq(privacyRequests.id, requestId));
  if (!request) return null;
  const [person] = request.personId == null ? [] : await db.select({
    id: people.id, firstName: people.firstName, lastName: people.lastName, email: people.email, anonymisedAt: people.anonymisedAt,
    preventedAt: people.preventedAt, preventionReason: people.preventionReason, preventionExpiresAt: people.preventionExpiresAt, system: people.system,
  }).from(people).where(eq(people.id, request.personId));
  const downloads = await db.select({
    id: requestDownloads.id, byteSize: requestDownloads.byteSize, expiresAt: requestDownloads.expiresAt, downloads: requestDownloads.downloads,
    lastDownloadedAt: requestDownloads.lastDownloadedAt, createdAt: requestDownloads.createdAt,
  }).from(requestDownloads).where(eq(requestDownloads.requestId, requestId)).orderBy(desc(requestDownloads.id));
  const tasks = await db.select({
    id: privacyTasks.id, action: privacyTasks.action, status: privacyTasks.status, verification: privacyTasks.verification,
    progressDone: privacyTasks.progressDone, progressTotal: privacyTasks.progressTotal, createdAt: privacyTasks.createdAt,
  }).from(privacyTasks).where(eq(privacyTasks.requestId, requestId)).orderBy(asc(privacyTasks.id));
  const [mentions] = tasks.length
    ? await db.select({ n: sql<number>`count(*)::int` }).from(nameMentions)
      .where(and(inArray(nameMentions.taskId, tasks.map((t) => t.id)), eq(nameMentions.status, "open")))
    : [{ n: 0 }];
  const [rectified] = await db.select({ n: sql<number>`count(*)::int` }).from(fieldHistory).where(eq(fieldHistory.requestId, requestId));
  return {
    request: { ...request, hasReplyAddress: (await replyAddressOf(db, request)) !== null },
    person: person ? { ...person, name: `${person.firstName} ${person.lastName}`.trim() } : null,
    downloads,
    tasks: tasks.map((t) => ({ ...t, found: t.verification?.found ?? null })),
    openMentions: Number(mentions.n),
    rectified: Number(rectified.n),
  };
}

export const getRequestFulfilment = defineQuery({
  name: "getRequestFulfilment",
  permission: "privacy.requests",
  input: requestIdSchema,
  async run({ db, actor, input }) {
    const found = await selectFulfilment(db, input.requestId);
    if (!found) return null;
    const can = (p: Parameters<typeof hasPermission>[1]) => hasPermission(actor.permissions, p);
    return { ...found, can: { anonymise: can("R_CAN_ANONYMIZE_USERS"), delete: can("admin.data_privacy"), edit: can("people.edit") } };
  },
});
export type RequestFulfilment = NonNullable<Awaited<ReturnType<typeof getRequestFulfilment.run>>>;
