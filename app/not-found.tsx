import Link from "next/link";

export default function NotFound() {
  return (
    <main className="mx-auto max-w-lg p-10">
      <h1 className="text-xl font-semibold">Not found</h1>
      <p className="mt-2 text-muted">The record does not exist, or it has been deleted.</p>
      <p className="mt-4"><Link href="/">Back to the overview</Link></p>
    </main>
  );
}
