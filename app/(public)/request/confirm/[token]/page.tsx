import { getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { getConfirmationLinkState } from "@/lib/requests/public/confirm";
import { organisationName } from "../../organisation";
import { ConfirmForm, LinkOutcome } from "./confirm-form";

export async function generateMetadata() {
  return { title: (await getTranslations("requestForm.confirm"))("title") };
}

// Opening the link only reads whether it can still be confirmed: mail scanners open
// links too. The button's action consumes it.
export default async function ConfirmRequestPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const state = await getConfirmationLinkState(getDb(), { token });
  if (state !== "valid") return <LinkOutcome status={state} />;
  return <ConfirmForm token={token} organisation={await organisationName()} />;
}
