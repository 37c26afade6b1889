import { organisationName } from "./organisation";

// The frame of the data subjects' pages: the organisation's name, no navigation, nothing
// of a session even when a signed-in account opens them.
export default async function PublicRequestLayout({ children }: { children: React.ReactNode }) {
  return (
    <div className="min-h-screen bg-panel px-4 py-8">
      <div className="mx-auto w-full max-w-xl">
        <p className="mb-3 text-sm font-semibold text-muted">{await organisationName()}</p>
        <main className="rounded-lg border border-line bg-white p-6 shadow-sm">{children}</main>
      </div>
    </div>
  );
}
