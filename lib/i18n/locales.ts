// The languages Lethe speaks. Adding one is a catalogue folder under messages/ and a
// line here; the typecheck then names every message it still lacks.
export const LOCALES = ["en", "de"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "en";

/** Each language named in itself, as a language picker shows it. */
export const LOCALE_NAMES: Record<Locale, string> = { en: "English", de: "Deutsch" };

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/**
 * The best of Lethe's languages for an Accept-Language header ("de-AT,de;q=0.9,en;q=0.8"):
 * the highest-weighted tag whose language Lethe speaks, else the fallback. Weights of 0
 * mean "not this one"; malformed parts are skipped rather than trusted.
 */
export function negotiateLocale(header: string | null | undefined, fallback: Locale): Locale {
  if (!header || header.length > 1000) return fallback;
  let best: { locale: Locale; q: number } | null = null;
  for (const part of header.split(",")) {
    const [tag, ...params] = part.trim().split(";");
    const language = tag.trim().toLowerCase().split("-")[0];
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q) || q <= 0 || q > 1) continue;
    if (isLocale(language) && (!best || q > best.q)) best = { locale: language, q };
  }
  return best?.locale ?? fallback;
}
