import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ERROR_STATUS, type ErrorCode, failure } from "@/lib/errors";
import { describeFieldErrors } from "@/lib/validation";
import { GERMAN } from "./server-messages-de";
import { hasTranslation, translateFailure, translateMessage } from "./server-messages";

/** A placeholder for what a template literal interpolates. */
const HOLE = "\u0000";

/** The character an escape at `at` stands for, and the length of the escape. */
function unescape(source: string, at: number): [string, number] {
  const ch = source[at + 1];
  if (ch === "u" && source[at + 2] === "{") { const end = source.indexOf("}", at); return [String.fromCodePoint(parseInt(source.slice(at + 3, end), 16)), end - at + 1]; }
  if (ch === "u") return [String.fromCharCode(parseInt(source.slice(at + 2, at + 6), 16)), 6];
  return [{ n: "\n", t: "\t", r: "\r" }[ch] ?? ch, 2];
}

type Literal = { text: string[]; before: string; file: string };

// Reads every string and template literal of a TypeScript file, each with the code that
// precedes it; regular-expression literals and comments are skipped.
function literalsOf(source: string, file: string): Literal[] {
  const out: Literal[] = [];
  let i = 0;
  let code = "";
  const regexAllowed = () => /(^|[(,=:[!&|?{};+]|return|\n)\s*$/.test(code.slice(-20));
  function readQuoted(q: string) {
    let s = "";
    i++;
    while (i < source.length && source[i] !== q) {
      if (source[i] === "\\") { const [text, length] = unescape(source, i); s += text; i += length; continue; }
      s += source[i++];
    }
    i++;
    return s;
  }
  function readTemplate(): string[] {
    let alts = [""];
    const start = ++i;
    // A literal inside an interpolation (sql`… error = ${"…"}`) is a literal of its own,
    // preceded by the template's text up to it.
    const inside = () => source.slice(start, i).replace(/\$\{\s*$/, "");
    while (i < source.length && source[i] !== "`") {
      if (source[i] === "\\") { const [text, length] = unescape(source, i); alts = alts.map((a) => a + text); i += length; continue; }
      if (source[i] === "$" && source[i + 1] === "{") {
        i += 2;
        let depth = 1, expr = "";
        const nested: string[][] = [];
        while (i < source.length && depth) {
          const c = source[i];
          if (c === "`") { const before = inside(); nested.push(readTemplate()); out.push({ text: nested[nested.length - 1], before, file }); expr += `\u0001${nested.length - 1}`; continue; }
          if (c === '"' || c === "'") { const before = inside(); const text = readQuoted(c); out.push({ text: [text], before, file }); expr += JSON.stringify(text); continue; }
          if (c === "{") depth++;
          if (c === "}") depth--;
          if (depth) expr += c;
          i++;
        }
        // A choice between literals (`${n === 1 ? "task" : "tasks"}`) is each of them.
        const choice = /\?\s*("[^"]*"|\u0001\d+)\s*:\s*("[^"]*"|\u0001\d+)\s*$/.exec(expr);
        const branch = (b: string): string[] => (b.startsWith("\u0001") ? nested[Number(b.slice(1))] : [JSON.parse(b)]);
        const parts = choice ? [...branch(choice[1]), ...branch(choice[2])] : [HOLE];
        alts = alts.flatMap((a) => parts.map((p) => a + p));
        continue;
      }
      alts = alts.map((a) => a + source[i]);
      i++;
    }
    i++;
    return alts;
  }
  while (i < source.length) {
    const c = source[i];
    if (c === "/" && source[i + 1] === "/") { i = source.indexOf("\n", i); if (i < 0) break; continue; }
    if (c === "/" && source[i + 1] === "*") { i = source.indexOf("*/", i) + 2; continue; }
    if (c === "/" && regexAllowed()) {
      i++;
      let inClass = false;
      while (i < source.length && (source[i] !== "/" || inClass)) { if (source[i] === "\\") i++; else if (source[i] === "[") inClass = true; else if (source[i] === "]") inClass = false; i++; }
      i++;
      code += "/re/";
      continue;
    }
    if (c === '"' || c === "'") { const before = code.slice(-400); out.push({ text: [readQuoted(c)], before, file }); code += '""'; continue; }
    if (c === "`") { const before = code.slice(-400); out.push({ text: readTemplate(), before, file }); code += '""'; continue; }
    code += c;
    i++;
  }
  return out;
}

// Where a literal is an error message: the message of a DomainError or failure, a zod
// check's message, an `error`/`message` option or property, a constant named *MESSAGE,
// a checkbox schema's message, a field error pushed onto a list.
const MESSAGE_POSITIONS = [
  /new DomainError\(\s*"",\s*$/,
  /\bfailure\(\s*"",\s*$/,
  /new DomainError\(\s*"",\s*[^;]*[?:]\s*$/,
  /new DomainError\(\s*""[^;]*\{\s*\w+:\s*\[\s*$/,
  /\.(min|max|length|int|positive|nonnegative|uuid|email|gt|lt|gte|lte)\(\s*([\w.]+,\s*)?$/,
  /\.regex\(\s*\/re\/\w*,\s*(\{\s*error:\s*)?$/,
  /\.refine\([^;]*,\s*$/,
  /\b(error|message|reason|held|skipped|note|\w+Message):\s*$/,
  /\b\w*(message|note|reason|error)\s*=\s*$/i,
  /\b(message|reason|error|skip)\s*=(?!=)\s*[^;]*[?:]\s*$/,
  /\badd\(\s*"",\s*$/,
  /\bfailTasks\([^;]*,\s*$/,
  /\bskipped\.set\(\s*[\w.]+,\s*$/,
  /\bnew DeletionRefusedError\(\s*$/,
  /\bcheckboxSchema\(\s*$/,
  /\.push\(\s*$/,
  /\brefuse\(\s*\w+,\s*\w+,\s*$/,
];

/** The error-message literals of lib/ (test files aside), templates expanded into their shapes. */
function collectMessageLiterals(root: string): { text: string; file: string }[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") && !entry.name.endsWith(".d.ts")) files.push(p);
    }
  };
  walk(root);
  return files.flatMap((file) =>
    literalsOf(fs.readFileSync(file, "utf8"), path.relative(root, file))
      .filter((l) => MESSAGE_POSITIONS.some((re) => re.test(l.before)))
      .flatMap((l) => l.text.map((text) => ({ text, file: l.file }))),
  );
}

// Messages of lib/ that never reach a Result: the environment's checks stop the server
// at start, and the e-mail transport's errors are the outbox's log for the operator.
const NOT_RESULTS = new Set(["env.ts", "email/resend.ts"]);
// Literals in a message's place that are not messages: a sign-in refusal's reason is a
// code, and the deletion preview's note is worded by the dialog from its catalogue.
const NOT_MESSAGES = new Set(["auth/credentials.ts: invalid", "auth/credentials.ts: rate_limited",
  "privacy/deletion/preview.ts: This preview may change before the task runs: tickets that arrive meanwhile are deleted too."]);

const shapeOf = (english: string) => english.replace(/\{\w+\}/g, HOLE);

describe("the German of the domain's messages", () => {
  const root = path.resolve(import.meta.dirname, "../..");
  // lib/ and the schemas of app/ (an API route's body, a dialog's typed word).
  const literals = [...collectMessageLiterals(path.join(root, "lib")), ...collectMessageLiterals(path.join(root, "app"))]
    .filter((m) => !NOT_RESULTS.has(m.file) && !NOT_MESSAGES.has(`${m.file}: ${m.text}`));
  const shapes = new Set(Object.keys(GERMAN).map(shapeOf));

  it("finds the messages of lib/ (the collector still reads the code)", () => {
    const texts = literals.map((m) => m.text);
    expect(texts).toContain(`Person ${HOLE} does not exist.`);
    expect(texts).toContain("must be a date (YYYY-MM-DD)");
    expect(texts).toContain("is not a day of the calendar");
    // What runs store: an error inside an SQL statement, a skipped step's reason, a task's note.
    expect(texts).toContain("The rule was changed or removed during the run.");
    expect(texts).toContain(`The person was deleted by task #${HOLE}.`);
    expect(texts).toContain("Not needed: the run came first.");
    expect(texts).toContain(`${HOLE} has no day ${HOLE} every year`);
    expect(texts.some((t) => t.startsWith("Verification unavailable"))).toBe(true);
    expect(literals.length).toBeGreaterThan(80);
  });

  it("has an entry for every message literal of lib/ and of the schemas in app/", () => {
    const missing = literals.filter((m) => (m.text.includes(HOLE) ? !shapes.has(m.text) : !hasTranslation(m.text)));
    expect(missing.map((m) => `${m.file}: ${JSON.stringify(m.text)}`)).toEqual([]);
  });

  it("has an entry for every error code's default message", () => {
    for (const code of Object.keys(ERROR_STATUS) as ErrorCode[]) expect(hasTranslation(failure(code).message), code).toBe(true);
    expect(translateMessage(failure("forbidden").message, "de")).toBe("Sie haben keine Berechtigung dafür.");
  });
});

describe("translateMessage", () => {
  it("keeps English as it is", () => {
    expect(translateMessage("Person 12 does not exist.", "en")).toBe("Person 12 does not exist.");
  });

  it("puts the variable parts into the German, translating those that are words", () => {
    expect(translateMessage("Person 12 does not exist.", "de")).toBe("Die Person 12 existiert nicht.");
    expect(translateMessage("Task #7 is running; only a queued task can be cancelled.", "de"))
      .toBe("Der Auftrag #7 ist in Bearbeitung; nur ein Auftrag in der Warteschlange kann abgebrochen werden.");
    expect(translateMessage("must be at most 10,000 characters", "de")).toBe("darf höchstens 10.000 Zeichen lang sein");
    expect(translateMessage("Open loan: Violin since 2024-09-01", "de")).toBe("Offene Leihe: Violin seit 01.09.2024");
  });

  it("translates the parts of a composed message", () => {
    expect(translateMessage("Manual anonymisation is not possible: has outstanding debt (Invoice 4); is on a waiting list (Piano).", "de"))
      .toBe("Eine manuelle Anonymisierung ist nicht möglich: hat offene Forderungen (Invoice 4); steht auf einer Warteliste (Piano).");
  });

  it("gives a day spelled out in English back spelled out in German, each of several in its place", () => {
    expect(translateMessage("The notice went out on 25 October 2026, less than 28 days before the planned run date (1 November 2026); the run is postponed to 22 November 2026.", "de"))
      .toBe("Die Ankündigung wurde am 25. Oktober 2026 versendet, weniger als 28 Tage vor dem geplanten Datum des Laufs (1. November 2026); der Lauf wird auf den 22. November 2026 verschoben.");
    expect(translateMessage("February has no day 30 every year", "de")).toBe("Den 30. Februar gibt es nicht in jedem Jahr");
  });

  it("translates what runs and tasks store, lists item by item", () => {
    expect(translateMessage("The person was deleted by task #12.", "de")).toBe("Die Person wurde durch den Auftrag #12 gelöscht.");
    expect(translateMessage("Skipped: no longer eligible when the worker ran — anonymisation is prevented; has outstanding debt.", "de"))
      .toBe("Übersprungen: Bei der Ausführung nicht mehr zur Anonymisierung fällig – die Anonymisierung ist verhindert; hat offene Forderungen.");
    expect(translateMessage("The cycle settings are not valid: Choose a month; Between 0 and 365 days", "de"))
      .toBe("Die Einstellungen des Jahreszyklus sind ungültig: Wählen Sie einen Monat; Zwischen 0 und 365 Tagen");
    expect(translateMessage("The worker stopped 1,000 times while processing this task; it was not retried again.", "de"))
      .toBe("Der Worker ist bei diesem Auftrag 1.000-mal abgebrochen; der Auftrag wird nicht erneut versucht.");
  });

  it("leaves a message without an entry in English", () => {
    expect(translateMessage("Something nobody wrote down.", "de")).toBe("Something nobody wrote down.");
  });
});

describe("translateFailure", () => {
  it("writes a field-error summary again from the translated field errors, keeping code and fields", () => {
    const fieldErrors = { expiresAt: ["must be a date (YYYY-MM-DD)"], reason: ["is required"] };
    const german = translateFailure(failure("invalid_input", describeFieldErrors(fieldErrors), fieldErrors), "de");
    expect(german).toEqual({
      ok: false, code: "invalid_input",
      message: "expiresAt: muss ein Datum sein (JJJJ-MM-TT). reason: ist erforderlich",
      fieldErrors: { expiresAt: ["muss ein Datum sein (JJJJ-MM-TT)"], reason: ["ist erforderlich"] },
    });
  });

  it("translates any other message as a whole and leaves English alone", () => {
    const refusal = failure("not_found", "Person 3 does not exist.", undefined, { taskId: 4 });
    expect(translateFailure(refusal, "de")).toEqual({ ...refusal, message: "Die Person 3 existiert nicht." });
    expect(translateFailure(refusal, "en")).toBe(refusal);
  });
});
