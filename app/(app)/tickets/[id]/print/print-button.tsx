"use client";

export function PrintButton() {
  return (
    <button type="button" onClick={() => window.print()} className="rounded border border-line px-3 py-1.5">
      Print
    </button>
  );
}
