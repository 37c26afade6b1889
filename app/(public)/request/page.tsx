import { getTranslations } from "next-intl/server";
import { organisationName } from "./organisation";
import { RequestForm } from "./request-form";

export async function generateMetadata() {
  return { title: (await getTranslations("requestForm"))("title") };
}

// Open to anyone, signed in or not (proxy.ts): the form shows nothing from the database
// but the organisation's name.
export default async function PublicRequestPage() {
  return <RequestForm organisation={await organisationName()} />;
}
