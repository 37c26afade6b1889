"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

export function NavLink({ href, children, exact = false }: { href: string; children: React.ReactNode; exact?: boolean }) {
  const pathname = usePathname();
  // "/privacy" is a section of its own; its sub-pages (review, rules) have their own items.
  const active = exact ? pathname === href : href === "/" || href === "/privacy" ? pathname === href || (href === "/privacy" && pathname.startsWith("/privacy/tasks")) : pathname.startsWith(href);
  return (
    <Link
      href={href}
      aria-current={active ? "page" : undefined}
      className={`rounded px-2.5 py-1 text-sm no-underline hover:bg-panel hover:no-underline ${active ? "bg-panel font-semibold text-ink" : "text-muted"}`}
    >
      {children}
    </Link>
  );
}
