import Link from "next/link";

export default function Forbidden() {
  return (
    <main className="mx-auto max-w-lg p-10">
      <h1 className="text-xl font-semibold">You do not have access to this page</h1>
      <p className="mt-2 text-muted">
        Your roles do not include the permission this page needs. Ask an administrator if you need it.
      </p>
      <p className="mt-4"><Link href="/">Back to the overview</Link></p>
    </main>
  );
}
