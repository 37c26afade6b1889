import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "@babel/parser";
import { describe, expect, it } from "vitest";

// Every word a page, dialog or e-mail shows comes from a catalogue (lib/i18n/messages), so
// that German is complete and English cannot drift from it. A parser-based check rather
// than a lint rule: the project has no linter, and what matters is narrow and exact —
// text between JSX tags and the text of the attributes a person reads or hears (labels,
// titles, placeholders, alternatives). Words that are the same in every language (the
// product's name, the typed word DELETE, codes) are listed below.

const ROOTS = ["app", "emails"];
const READ_ATTRIBUTES = new Set(["aria-label", "aria-description", "title", "placeholder", "alt", "label", "description", "confirm", "pendingLabel"]);
const SAME_IN_EVERY_LANGUAGE = new Set(["LETHE", "Lethe", "DELETE", "API", "CSV", "XLSX", "JSON", "ZIP", "ID", "OK", "·", "—", "–", "…", "×", "/", ":", "(", ")", "%", "#", "@", "+", "-", "|", ",", "."]);

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return files(full);
    return /\.tsx$/.test(entry.name) && !/\.test\.tsx$/.test(entry.name) ? [full] : [];
  });
}

function isWords(text: string) {
  const left = text.split(/[\s·—–…×/:()%#@+|,.]+/).filter((word) => word && !SAME_IN_EVERY_LANGUAGE.has(word));
  return left.some((word) => /\p{L}{2,}/u.test(word));
}

type Node = { type: string; [key: string]: unknown; loc?: { start: { line: number } } };

function literalsIn(source: string): { line: number; text: string }[] {
  const ast = parse(source, { sourceType: "module", plugins: ["typescript", "jsx"] }) as unknown as Node;
  const found: { line: number; text: string }[] = [];
  const visit = (node: unknown) => {
    if (!node || typeof node !== "object") return;
    if (Array.isArray(node)) { node.forEach(visit); return; }
    const n = node as Node;
    if (n.type === "JSXText" && isWords(n.value as string)) found.push({ line: n.loc!.start.line, text: (n.value as string).trim() });
    if (n.type === "JSXAttribute") {
      const name = (n.name as Node).name as string;
      const value = n.value as Node | null;
      if (READ_ATTRIBUTES.has(name) && value) {
        const text = value.type === "StringLiteral" ? (value.value as string)
          : value.type === "JSXExpressionContainer" && (value.expression as Node).type === "StringLiteral" ? ((value.expression as Node).value as string)
          : value.type === "JSXExpressionContainer" && (value.expression as Node).type === "TemplateLiteral" && ((value.expression as Node).expressions as unknown[]).length === 0
            ? (((value.expression as Node).quasis as Node[])[0].value as { cooked: string }).cooked : null;
        if (text && isWords(text)) found.push({ line: n.loc!.start.line, text: `${name}="${text}"` });
      }
    }
    for (const [key, child] of Object.entries(n)) if (key !== "loc" && key !== "extra" && typeof child === "object") visit(child);
  };
  visit(ast);
  return found;
}

describe("words on screen come from the catalogues", () => {
  const all = ROOTS.flatMap((root) => files(root));

  it("finds the component files", () => {
    expect(all.length).toBeGreaterThan(40);
  });

  it("no component renders a literal word", () => {
    const offenders = all.flatMap((file) => literalsIn(readFileSync(file, "utf8")).map((l) => `${file}:${l.line} ${l.text}`));
    expect(offenders).toEqual([]);
  });

  it("the check sees a literal in text and in a read attribute", () => {
    expect(literalsIn(`export const A = () => <p title="Some words">Hello there {x}</p>;`).map((l) => l.text)).toEqual(['title="Some words"', "Hello there"]);
    expect(literalsIn(`export const A = () => <p aria-label={t("x")}>{t("y")} · LETHE</p>;`)).toEqual([]);
  });
});
