import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { requirePage } from "@/lib/auth/session";
import { selectRequestAssignees } from "@/lib/requests/queries";
import { localParts } from "@/lib/schedule/clock";
import { PageHeader } from "../../../_components/ui";
import { RegisterRequestForm } from "./register-form";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("requests"))("form.title") };
}

const pad = (n: number) => String(n).padStart(2, "0");

export default async function NewRequestPage() {
  const actor = await requirePage("privacy.requests");
  const [assignees, t] = await Promise.all([selectRequestAssignees(getDb()), getTranslations("requests")]);
  // The received time defaults to now on the organisation's wall clock, as the field shows it.
  const p = localParts(new Date(), actor.timeZone);
  const now = `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
  return (
    <>
      <PageHeader title={t("form.title")} description={t("form.description", { timeZone: actor.timeZone })} />
      <RegisterRequestForm now={now} assignees={assignees} me={actor.accountId} />
    </>
  );
}
