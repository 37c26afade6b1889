import { requirePage } from "@/lib/auth/session";
import { NavLink } from "../nav-link";

const TABS = [
  { href: "/settings", label: "Privacy settings" },
  { href: "/settings/roles", label: "Roles and permissions" },
  { href: "/settings/accounts", label: "Accounts" },
  { href: "/settings/tokens", label: "API tokens" },
  { href: "/settings/outbox", label: "Outbox" },
];

export default async function SettingsLayout({ children }: { children: React.ReactNode }) {
  await requirePage("admin.settings");
  return (
    <div className="grid gap-6 md:grid-cols-[200px_1fr]">
      <nav aria-label="Settings" className="flex flex-col gap-1">
        {TABS.map((t) => <NavLink key={t.href} href={t.href} exact>{t.label}</NavLink>)}
      </nav>
      <div>{children}</div>
    </div>
  );
}
