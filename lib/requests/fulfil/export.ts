import { createHash, randomBytes } from "node:crypto";
import { strToU8, zipSync } from "fflate";
import type { DbOrTx } from "@/db/client";
import { type PrivacyRequest, requestDownloads } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { env } from "@/lib/env";
import { DomainError } from "@/lib/errors";
import { getOrganisationLanguage } from "@/lib/i18n/organisation";
import { buildPersonExport, exportReader } from "@/lib/people/export";
import { personExportHtml, personExportXlsx } from "@/lib/people/export-files";
import { recordRequestEvent } from "@/lib/requests/events";
import { addDays, localDate } from "@/lib/schedule/clock";

// The answer to an access or portability request (GDPR Art. 15, 20): the §7 export of
// the request's person — person.json, index.html and person.xlsx in one zip, the index
// and the spreadsheet in the organisation's language — stored with the request and
// fetched by the requester through a link that works for 7 days. Only the token's
// SHA-256 is stored; the link itself is in the reply e-mail alone.

export const DOWNLOAD_DAYS = 7;

export const hashDownloadToken = (token: string) => createHash("sha256").update(token).digest("hex");

export async function buildRequestExport(tx: DbOrTx, request: PrivacyRequest, personId: number, ctx: { actorAccountId: number; now: Date }) {
  const data = await buildPersonExport(tx, { id: personId });
  if (!data) throw new DomainError("not_found", `Person ${personId} does not exist.`);
  const reader = await exportReader(tx);
  const content = zipSync({
    "person.json": strToU8(JSON.stringify(data, null, 2)),
    "index.html": strToU8(personExportHtml(data, reader)),
    "person.xlsx": await personExportXlsx(data, reader),
  });
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(ctx.now.getTime() + DOWNLOAD_DAYS * 86_400_000);
  const [download] = await tx.insert(requestDownloads).values({
    requestId: request.id, tokenHash: hashDownloadToken(token), fileName: `request-${request.id}.zip`, contentType: "application/zip",
    content, byteSize: content.byteLength, expiresAt,
  }).returning({ id: requestDownloads.id });
  await recordRequestEvent(tx, {
    requestId: request.id, kind: "export_built", actorAccountId: ctx.actorAccountId,
    details: { downloadId: download.id, byteSize: content.byteLength, expiresAt: expiresAt.toISOString() },
  });
  // Personal data leaves Lethe: audited like every export, with the request it answers.
  await recordAudit(tx, {
    actorAccountId: ctx.actorAccountId, action: "person.exported", targetType: "person", targetId: personId,
    details: { format: "zip", via: "request", requestId: request.id },
  });
  const { timeZone } = await getOrganisationLanguage(tx);
  // The link works through the 7th day's instant; the e-mail names the day it was made plus 7.
  const expiresOn = addDays(localDate(ctx.now, timeZone), DOWNLOAD_DAYS);
  const url = `${env().APP_URL.replace(/\/$/, "")}/request/download/${token}`;
  return { downloadId: download.id, token, url, expiresAt, expiresOn };
}
