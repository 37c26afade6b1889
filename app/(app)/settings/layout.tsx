import { getTranslations } from "next-intl/server";
import { requirePage } from "@/lib/auth/session";
import { NavLink } from "../nav-link";

const TABS = [
  { href: "/settings", label: "privacy" },
  { href: "/settings/roles", label: "roles" },
  { href: "/settings/accounts", label: "accounts" },
  { href: "/settings/tokens", label: "tokens" },
  { href: "/settings/outbox", label: "outbox" },
  { href: "/settings/obligations", label: "obligations" },
] as const;

export default async function SettingsLayout({ children }: { children: React.ReactNode }) {
  await requirePage("admin.settings");
  const [t, tWebhooks] = await Promise.all([getTranslations("settings.nav"), getTranslations("webhooks")]);
  return (
    <div className="grid gap-6 md:grid-cols-[200px_1fr]">
      <nav aria-label={t("label")} className="flex flex-col gap-1">
        {TABS.map((tab) => <NavLink key={tab.href} href={tab.href} exact>{t(tab.label)}</NavLink>)}
        {/* Its label is in the webhooks catalogue, with the page's other words. */}
        <NavLink href="/settings/webhooks" exact>{tWebhooks("nav")}</NavLink>
      </nav>
      {/* min-w-0: the column may be narrower than its widest word, so long German words do not push the page sideways. */}
      <div className="min-w-0">{children}</div>
    </div>
  );
}
