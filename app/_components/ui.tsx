import Link from "next/link";
import type { ComponentProps, ReactNode } from "react";

export function PageHeader({ title, description, actions }: { title: string; description?: ReactNode; actions?: ReactNode }) {
  return (
    <div className="mb-4 flex flex-wrap items-end justify-between gap-3 border-b border-line pb-3">
      <div>
        <h1 className="text-lg font-semibold">{title}</h1>
        {description ? <p className="mt-0.5 text-muted">{description}</p> : null}
      </div>
      {actions ? <div className="flex flex-wrap gap-2">{actions}</div> : null}
    </div>
  );
}

const buttonStyles = {
  primary: "bg-accent text-white hover:bg-accent-strong border-accent",
  secondary: "bg-white text-ink hover:bg-panel border-line",
  danger: "bg-danger text-white hover:opacity-90 border-danger",
} as const;

export function buttonClass(variant: keyof typeof buttonStyles = "secondary") {
  return `inline-flex items-center gap-1 rounded border px-3 py-1.5 text-sm font-medium no-underline hover:no-underline disabled:cursor-not-allowed disabled:opacity-50 ${buttonStyles[variant]}`;
}

export function Button({ variant = "secondary", className = "", ...props }: ComponentProps<"button"> & { variant?: keyof typeof buttonStyles }) {
  return <button className={`${buttonClass(variant)} ${className}`} {...props} />;
}

export function ButtonLink({ variant = "secondary", className = "", ...props }: ComponentProps<typeof Link> & { variant?: keyof typeof buttonStyles }) {
  return <Link className={`${buttonClass(variant)} ${className}`} {...props} />;
}

export function Section({ title, children, id, actions }: { title: string; children: ReactNode; id?: string; actions?: ReactNode }) {
  const headingId = id ? `${id}-heading` : undefined;
  return (
    <section aria-labelledby={headingId} className="mb-6">
      <div className="mb-2 flex items-center justify-between">
        <h2 id={headingId} className="text-sm font-semibold uppercase tracking-wide text-muted">{title}</h2>
        {actions}
      </div>
      {children}
    </section>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="rounded border border-dashed border-line bg-panel px-3 py-4 text-muted">{children}</p>;
}

const badgeTones = {
  neutral: "bg-panel text-muted border-line",
  ok: "bg-green-50 text-ok border-green-200",
  warn: "bg-amber-50 text-warn border-amber-200",
  danger: "bg-red-50 text-danger border-red-200",
  info: "bg-blue-50 text-accent border-blue-200",
} as const;

export function Badge({ tone = "neutral", children }: { tone?: keyof typeof badgeTones; children: ReactNode }) {
  return <span className={`inline-block rounded border px-1.5 py-px text-xs font-medium ${badgeTones[tone]}`}>{children}</span>;
}

export function Alert({ tone = "info", children, title }: { tone?: "info" | "danger" | "ok" | "warn"; children: ReactNode; title?: string }) {
  const styles = {
    info: "border-blue-200 bg-blue-50",
    danger: "border-red-200 bg-red-50 text-danger",
    ok: "border-green-200 bg-green-50 text-ok",
    warn: "border-amber-200 bg-amber-50 text-warn",
  }[tone];
  return (
    <div role={tone === "danger" ? "alert" : "status"} className={`mb-4 rounded border px-3 py-2 ${styles}`}>
      {title ? <p className="font-semibold">{title}</p> : null}
      <div>{children}</div>
    </div>
  );
}

export function DescriptionList({ items }: { items: [string, ReactNode][] }) {
  return (
    <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-1">
      {items.map(([term, value]) => (
        <div key={term} className="contents">
          <dt className="text-muted">{term}</dt>
          <dd>{value === null || value === undefined || value === "" ? <span className="text-muted">—</span> : value}</dd>
        </div>
      ))}
    </dl>
  );
}
