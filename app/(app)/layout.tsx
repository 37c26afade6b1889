import Link from "next/link";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { signOut } from "@/lib/auth";
import { currentActor } from "@/lib/auth/session";
import type { Permission } from "@/lib/permissions";
import { NavLink } from "./nav-link";

const NAV = [
  { href: "/", label: "overview" },
  { href: "/people", label: "people", permissions: ["people.read"] },
  { href: "/tickets", label: "tickets", permissions: ["people.read"] },
  { href: "/requests", label: "requests", permissions: ["privacy.requests"] },
  { href: "/privacy/review", label: "review", permissions: ["R_CAN_ANONYMIZE_USERS"] },
  { href: "/privacy/redactions", label: "redactions", permissions: ["R_CAN_ANONYMIZE_USERS", "admin.data_privacy"] },
  { href: "/privacy", label: "privacy", permissions: ["admin.data_privacy", "privacy.audit"] },
  { href: "/privacy/rules", label: "rules", permissions: ["admin.data_privacy"] },
  { href: "/privacy/audit", label: "audit", permissions: ["privacy.audit"] },
  { href: "/privacy/register", label: "register", permissions: ["privacy.audit", "admin.settings", "admin.data_privacy"] },
  { href: "/settings", label: "settings", permissions: ["admin.settings"] },
] as const satisfies { href: string; label: string; permissions?: readonly Permission[] }[];

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const actor = await currentActor();
  if (!actor) redirect("/login");
  const t = await getTranslations("common");
  // The menu shows what the account may open; each page checks again for itself.
  const items = NAV.filter((item) => !("permissions" in item) || item.permissions.some((p) => actor.permissions.includes(p)));

  async function signOutAction() {
    "use server";
    await signOut({ redirectTo: "/login" });
  }

  return (
    <div className="min-h-screen">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:bg-white focus:p-2">
        {t("skipToContent")}
      </a>
      <header className="border-b border-line bg-white print:hidden">
        <div className="mx-auto flex max-w-7xl items-center gap-6 px-4 py-2">
          <Link href="/" className="text-sm font-semibold tracking-widest text-accent no-underline">LETHE</Link>
          <nav aria-label={t("mainNavigation")} className="flex flex-1 flex-wrap gap-1">
            {items.map((item) => (
              <NavLink key={item.href} href={item.href}>{t(`nav.${item.label}`)}</NavLink>
            ))}
          </nav>
          <div className="flex items-center gap-3 text-sm">
            <Link href="/account" className="text-muted no-underline hover:underline" title={t("yourAccount")}>
              {actor.email}
              {actor.roles.length ? <span className="ml-1 text-xs">({actor.roles.join(", ")})</span> : null}
            </Link>
            <form action={signOutAction}>
              <button type="submit" className="text-accent hover:underline">{t("signOut")}</button>
            </form>
          </div>
        </div>
      </header>
      <main id="main" className="mx-auto max-w-7xl px-4 py-5">{children}</main>
    </div>
  );
}
