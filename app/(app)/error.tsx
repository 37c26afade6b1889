"use client";

export default function ErrorPage({ reset }: { error: Error; reset: () => void }) {
  return (
    <div role="alert" className="rounded border border-red-200 bg-red-50 p-4 text-danger">
      <p className="font-semibold">This page could not be shown.</p>
      <p>The error has been logged on the server. Nothing was changed.</p>
      <button type="button" onClick={reset} className="mt-2 underline">Try again</button>
    </div>
  );
}
