import { describe, expect, it } from "vitest";
import { catalogues } from "./catalogues";
import { LOCALES } from "./locales";
import { IntlMessageFormat } from "intl-messageformat";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { clientMessages, SERVER_ONLY } from "./client-messages";
import { formatDateTime, formatDay, formatLongDay, formatNumber } from "./format";

// Every language holds every message, and each message is valid ICU with the same
// arguments in every language (a German message that forgot {count} would say the
// wrong thing, and one that is not valid ICU would throw when shown).

function flatten(value: unknown, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof value === "string") out.set(prefix, value);
  else if (value && typeof value === "object") {
    for (const [key, inner] of Object.entries(value)) for (const [k, v] of flatten(inner, prefix ? `${prefix}.${key}` : key)) out.set(k, v);
  }
  return out;
}

function argumentsOf(message: string, locale: string): string[] {
  const names = new Set<string>();
  const visit = (elements: unknown[]) => {
    for (const el of elements as { type: number; value?: string; options?: Record<string, { value: unknown[] }>; children?: unknown[] }[]) {
      if (el.type !== 0 && el.type !== 7 && el.value) names.add(el.value);
      if (el.options) for (const option of Object.values(el.options)) visit(option.value);
      if (el.children) visit(el.children);
    }
  };
  visit(new IntlMessageFormat(message, locale, undefined, { ignoreTag: false }).getAst() as unknown[]);
  return [...names].sort();
}

const flat = Object.fromEntries(LOCALES.map((l) => [l, flatten(catalogues[l])]));

describe("message catalogues", () => {
  it.each(LOCALES)("%s has every key another language has, and no other", (locale) => {
    const all = new Set(LOCALES.flatMap((l) => [...flat[l].keys()]));
    const missing = [...all].filter((k) => !flat[locale].has(k));
    expect(missing).toEqual([]);
  });

  it.each(LOCALES)("%s: every message is valid ICU, not empty, with the arguments of the English one", (locale) => {
    const wrong: string[] = [];
    for (const [key, message] of flat[locale]) {
      if (!message.trim()) { wrong.push(`${key}: empty`); continue; }
      try {
        const args = argumentsOf(message, locale);
        const english = flat.en.get(key);
        if (english !== undefined && JSON.stringify(args) !== JSON.stringify(argumentsOf(english, "en"))) wrong.push(`${key}: arguments ${args} ≠ ${argumentsOf(english, "en")}`);
      } catch (error) {
        wrong.push(`${key}: ${(error as Error).message}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe("what the browser receives", () => {
  it("no client component asks for a part of the catalogue the server keeps to itself", () => {
    const clientFiles = readdirSync("app", { recursive: true, encoding: "utf8" })
      .filter((f) => /\.tsx?$/.test(f) && !f.endsWith(".test.ts"))
      .map((f) => path.join("app", f))
      .filter((f) => /^["']use client["']/m.test(readFileSync(f, "utf8")));
    expect(clientFiles.length).toBeGreaterThan(10);
    const asked = clientFiles.flatMap((f) => [...readFileSync(f, "utf8").matchAll(/useTranslations\("([\w.]+)"\)/g)].map((m) => `${f}: ${m[1]}`));
    const wrong = asked.filter((a) => {
      const ns = a.split(": ")[1];
      return SERVER_ONLY.some((part) => ns === part || ns.startsWith(`${part}.`));
    });
    expect(wrong).toEqual([]);
  });
});

describe("made once, not per page", () => {
  it("the browser's catalogue of a language is one object, without the server's parts, the server's catalogue untouched", () => {
    for (const locale of LOCALES) {
      const first = clientMessages(catalogues[locale]);
      expect(clientMessages(catalogues[locale])).toBe(first);
      expect(first).not.toHaveProperty("emails");
      expect(first.audit).not.toHaveProperty("actions");
      expect(catalogues[locale]).toHaveProperty("emails");
      expect(catalogues[locale].audit).toHaveProperty("actions");
    }
  });

  it("dates and numbers formatted with kept formatters still follow each call's zone and language", () => {
    const at = new Date("2026-11-01T23:30:00Z");
    expect(formatDateTime(at, { locale: "en", timeZone: "Europe/Berlin" })).toBe("2026-11-02 00:30");
    expect(formatDateTime(at, { locale: "de", timeZone: "America/New_York" })).toBe("01.11.2026, 18:30");
    expect(formatDateTime(at, { locale: "en", timeZone: "Europe/Berlin" })).toBe("2026-11-02 00:30");
    expect(formatDay("2026-11-01", { locale: "de", timeZone: "Pacific/Kiritimati" })).toBe("01.11.2026");
    expect(formatLongDay(at, { locale: "de", timeZone: "Europe/Berlin" })).toBe("2. November 2026");
    expect(formatLongDay(at, { locale: "en", timeZone: "America/New_York" })).toBe("1 November 2026");
    expect(formatNumber(100010, { locale: "de" })).toBe("100.010");
    expect(formatNumber(100010, { locale: "en" })).toBe("100,010");
  });
});
