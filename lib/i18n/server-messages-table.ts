import type { CheckedTable } from "./server-messages";

// What the translation tables share, apart from server-messages.ts, which imports the
// tables: a module they both import keeps the imports one-way.

/** The English month names the domain writes in its sentences ("1 November 2026"). */
export const ENGLISH_MONTHS: readonly string[] = [
  "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
];

/** A translation table, checked entry by entry (see CheckedTable). */
export function table<const T extends Record<string, string>>(entries: T & CheckedTable<T>): T {
  return entries;
}
