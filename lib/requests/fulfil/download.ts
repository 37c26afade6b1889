import { eq, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { requestDownloads } from "@/db/schema";
import { intArray } from "@/db/sql";
import { recordAudit } from "@/lib/audit";
import { recordRequestEvent } from "@/lib/requests/events";
import { hashDownloadToken } from "./export";
import { downloadTokenSchema } from "./schemas";

// The requester's download of an access or portability export (no sign-in: the link in
// the reply e-mail is the credential). The token is looked up by its SHA-256; every
// download is counted, put on the request's timeline and audited. A link whose 7 days
// have passed (or whose file was emptied) is `expired`; an unknown token, or one whose
// request was purged (its downloads go with it by cascade), is `not_found` — the two are
// told apart because the requester should know to ask again, and a token is 256 random
// bits, so the difference tells a guesser nothing.

export type DownloadOutcome =
  | { kind: "file"; fileName: string; contentType: string; content: Uint8Array }
  | { kind: "expired" }
  | { kind: "not_found" };

export async function takeRequestDownload(db: Db, { token, now = new Date() }: { token: unknown; now?: Date }): Promise<DownloadOutcome> {
  const parsed = downloadTokenSchema.safeParse(token);
  if (!parsed.success) return { kind: "not_found" };
  const tokenHash = hashDownloadToken(parsed.data);
  return db.transaction(async (tx) => {
    const [download] = await tx.select().from(requestDownloads).where(eq(requestDownloads.tokenHash, tokenHash)).for("update");
    if (!download) return { kind: "not_found" as const };
    if (download.expiresAt <= now || download.content == null) return { kind: "expired" as const };
    const [counted] = await tx.update(requestDownloads)
      .set({ downloads: sql`${requestDownloads.downloads} + 1`, lastDownloadedAt: now })
      .where(eq(requestDownloads.id, download.id))
      .returning({ downloads: requestDownloads.downloads });
    await recordRequestEvent(tx, { requestId: download.requestId, kind: "export_downloaded", details: { downloadId: download.id, downloads: counted.downloads } });
    await recordAudit(tx, {
      actorAccountId: null, action: "privacy_request.export_downloaded", targetType: "privacy_request", targetId: download.requestId,
      details: { downloadId: download.id, downloads: counted.downloads },
    });
    return { kind: "file" as const, fileName: download.fileName, contentType: download.contentType, content: download.content };
  });
}

/**
 * Empties the export files of these people's requests: an erased person's data does not
 * stay in a zip (which the residue scan cannot read) for the rest of its 7 days. The link
 * then answers as expired; the size and the download count stay. Called by the erasure
 * while the person's row, and with it the link from request to person, still exists.
 */
export async function emptyExportsOfPeople(tx: DbOrTx, personIds: number[]) {
  if (!personIds.length) return;
  await tx.execute(sql`
    update request_downloads d set content = null
    from privacy_requests r
    where r.id = d.request_id and r.person_id = any(${intArray(personIds)}) and d.content is not null`);
}
