import { getDb } from "@/db/client";
import { otherMethods } from "@/lib/api";
import { getOrganisationLanguage } from "@/lib/i18n/organisation";
import { translatorFor } from "@/lib/i18n/translate";
import { takeRequestDownload } from "@/lib/requests/fulfil/download";

export const dynamic = "force-dynamic";

// GET /request/download/{token} — the requester's download of an answered access or
// portability request (lib/requests/fulfil/download.ts). No sign-in: the link from the
// reply e-mail is the credential. The file comes as an attachment that no cache keeps;
// an expired link is 410 and an unknown or purged one 404, each with one sentence in the
// organisation's language and nothing else.

const NO_STORE = { "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer" };

async function sentence(status: 404 | 410) {
  const db = getDb();
  const t = translatorFor((await getOrganisationLanguage(db)).language);
  return new Response(t(status === 410 ? "requestFulfil.download.expired" : "requestFulfil.download.notFound"), {
    status, headers: { ...NO_STORE, "Content-Type": "text/plain; charset=utf-8" },
  });
}

export async function GET(_request: Request, { params }: { params: Promise<{ token: string }> }) {
  const outcome = await takeRequestDownload(getDb(), { token: (await params).token });
  if (outcome.kind === "not_found") return sentence(404);
  if (outcome.kind === "expired") return sentence(410);
  return new Response(Buffer.from(outcome.content), {
    headers: {
      ...NO_STORE,
      "Content-Type": outcome.contentType,
      "Content-Disposition": `attachment; filename="${outcome.fileName.replace(/[^\w.-]/g, "_")}"`,
    },
  });
}

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
