import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { getAccountLanguage } from "@/lib/account/language";
import { getAccountProfileById } from "@/lib/account/profile";
import { requirePage } from "@/lib/auth/session";
import { getOrganisationLanguage } from "@/lib/i18n/organisation";
import { DescriptionList, PageHeader, Section } from "../../_components/ui";
import { LanguageForm } from "./language-form";
import { EmailForm, NameForm, PasswordForm } from "./profile-forms";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("account"))("title") };
}

export default async function AccountPage() {
  // Any signed-in account; it sees and changes only itself.
  const actor = await requirePage();
  const t = await getTranslations("account");
  const db = getDb();
  const [chosen, organisation, profile] = await Promise.all([
    getAccountLanguage(db, actor.accountId), getOrganisationLanguage(db), getAccountProfileById(db, { accountId: actor.accountId }),
  ]);
  const person = profile?.person ?? null;
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <Section id="account-you" title={t("you")}>
        <DescriptionList items={[[t("email"), actor.email], [t("roles"), actor.roles.join(", ") || t("noRoles")]]} />
      </Section>
      <Section id="account-name" title={t("nameTitle")}>
        <NameForm firstName={person?.firstName ?? ""} lastName={person?.lastName ?? ""} hasPerson={person != null} locked={person?.anonymised ?? false} />
      </Section>
      <Section id="account-email" title={t("emailTitle")}>
        <EmailForm email={profile?.email ?? actor.email} />
      </Section>
      <Section id="account-password" title={t("passwordTitle")}>
        <PasswordForm />
      </Section>
      <Section title={t("languageTitle")}>
        <LanguageForm chosen={chosen} organisationLanguage={organisation.language} />
      </Section>
    </>
  );
}
