import { DAY, isoDate } from "./random";

// Fixed reference data of the demo school: its terms, its courses and the vocabulary the
// generators draw from. None of it depends on the number of people.

export const SCHOOL_NAME = "Musikschule Lindenau";
export const SCHOOL_DOMAIN = "musikschule.example";
export const HELPDESK_ADDRESS = `helpdesk@${SCHOOL_DOMAIN}`;
export const INTERNAL_ADDRESSES = [`buchhaltung@${SCHOOL_DOMAIN}`, `leitung@${SCHOOL_DOMAIN}`, `sekretariat@${SCHOOL_DOMAIN}`];

export const CUSTOM_FIELD_DEFINITIONS = [
  { key: "instrument", label: "Instrument" },
  { key: "parentName", label: "Parent / guardian" },
  { key: "notes", label: "Notes" },
];

export type Period = { id: number; name: string; startsOn: string; endsOn: string; start: number; end: number };

/**
 * Two terms per school year (autumn: August–January, spring: February–July) for the last
 * five school years and the current one, up to and including the term running at `now`.
 */
export function teachingPeriods(now: Date): Period[] {
  const month = now.getUTCMonth();
  const currentSchoolYear = month >= 7 ? now.getUTCFullYear() : now.getUTCFullYear() - 1;
  const inAutumn = month >= 7 || month === 0;
  const periods: Period[] = [];
  for (let year = currentSchoolYear - 5; year <= currentSchoolYear; year++) {
    const label = `${year}/${String((year + 1) % 100).padStart(2, "0")}`;
    const terms = [
      { name: `Autumn term ${label}`, start: Date.UTC(year, 7, 1), end: Date.UTC(year + 1, 0, 31) },
      { name: `Spring term ${label}`, start: Date.UTC(year + 1, 1, 1), end: Date.UTC(year + 1, 6, 31) },
    ];
    for (const term of terms) {
      if (year === currentSchoolYear && term.name.startsWith("Spring") && inAutumn) continue;
      periods.push({ id: periods.length + 1, ...term, startsOn: isoDate(term.start), endsOn: isoDate(term.end) });
    }
  }
  return periods;
}

export type Instrument = { name: string; code: string; hire: string | null; weight: number };

// `hire` is the prefix of the school's own instruments that can be hired ("Violin #V-114").
export const INSTRUMENTS: Instrument[] = [
  { name: "Piano", code: "PNO", hire: null, weight: 22 },
  { name: "Violin", code: "VLN", hire: "V", weight: 14 },
  { name: "Guitar", code: "GTR", hire: "G", weight: 14 },
  { name: "Cello", code: "VC", hire: "C", weight: 7 },
  { name: "Flute", code: "FL", hire: "F", weight: 7 },
  { name: "Drums", code: "DR", hire: null, weight: 7 },
  { name: "Voice", code: "VOX", hire: null, weight: 6 },
  { name: "Clarinet", code: "CL", hire: "K", weight: 5 },
  { name: "Trumpet", code: "TP", hire: "T", weight: 4 },
  { name: "Saxophone", code: "SAX", hire: "S", weight: 4 },
  { name: "Viola", code: "VA", hire: "VA", weight: 3 },
  { name: "Recorder", code: "REC", hire: null, weight: 4 },
  { name: "Double bass", code: "KB", hire: "KB", weight: 2 },
];

export type Course = { id: number; name: string; code: string; kind: "lesson" | "ensemble" | "theory"; fee: number; instrument?: string };

export function courses(): Course[] {
  const list: Omit<Course, "id">[] = [
    ...INSTRUMENTS.map((i) => ({ name: `${i.name} – individual lesson`, code: `${i.code}-45`, kind: "lesson" as const, fee: 432, instrument: i.name })),
    ...INSTRUMENTS.slice(0, 6).map((i) => ({ name: `${i.name} – group lesson`, code: `${i.code}-GRP`, kind: "lesson" as const, fee: 216, instrument: i.name })),
    { name: "Youth orchestra", code: "ENS-ORCH", kind: "ensemble", fee: 90 },
    { name: "Children's choir", code: "ENS-CHOIR", kind: "ensemble", fee: 60 },
    { name: "Big band", code: "ENS-BIG", kind: "ensemble", fee: 90 },
    { name: "Chamber music", code: "ENS-CHAM", kind: "ensemble", fee: 120 },
    { name: "Guitar ensemble", code: "ENS-GTR", kind: "ensemble", fee: 90 },
    { name: "Recorder group", code: "ENS-REC", kind: "ensemble", fee: 60 },
    { name: "Music theory I", code: "THE-1", kind: "theory", fee: 120 },
    { name: "Music theory II", code: "THE-2", kind: "theory", fee: 120 },
    { name: "Ear training", code: "THE-EAR", kind: "theory", fee: 96 },
    { name: "Early music education", code: "EME-1", kind: "theory", fee: 180 },
    { name: "Composition workshop", code: "THE-COMP", kind: "theory", fee: 150 },
  ];
  return list.map((c, i) => ({ id: i + 1, ...c }));
}

export const BOOKS = [
  "Suzuki Violin School, Vol. 2", "Bach: Two-Part Inventions (Henle)", "Hal Leonard Guitar Method 1",
  "Ziegenrücker: Allgemeine Musiklehre", "Essential Elements for Strings, Book 1", "Real Book, Vol. 1",
  "Burgmüller: 25 Études op. 100", "Jazz Theory Book", "Fluteworks – Anfängerschule", "Chorbuch für junge Stimmen",
];

export const PARTNER_SCHOOLS = [
  "Grundschule am Lindenauer Markt", "Goethe-Gymnasium Lindenau", "Humboldtschule Plagwitz",
  "Oberschule Leutzsch", "Schiller-Gymnasium", "Montessori-Schule West", "Evangelisches Schulzentrum",
  "Grundschule Gohlis-Nord", "Freie Schule Connewitz", "Gymnasium Schönefeld", "Grundschule Kleinzschocher",
  "Berufsschulzentrum Musik & Medien",
];

// Reserved example domains only (RFC 2606 / RFC 6761): a demo database must never hold a
// deliverable address, however realistic the rest of it looks.
export const MAIL_DOMAINS: (readonly [string, number])[] = [
  ["example.org", 30], ["example.com", 25], ["example.net", 15], ["mail.example", 12], ["post.example", 10], ["web.example", 8],
];

export const TOWNS: (readonly [string, number])[] = [
  ["Leipzig", 70], ["Markkleeberg", 6], ["Schkeuditz", 5], ["Taucha", 5], ["Markranstädt", 5], ["Halle (Saale)", 5], ["Borna", 4],
];
export const TOWN_ZIPS: Record<string, string[]> = {
  Leipzig: ["04177", "04178", "04179", "04229", "04109", "04105", "04155", "04275", "04315", "04347", "04249", "04157"],
  Markkleeberg: ["04416"], Schkeuditz: ["04435"], Taucha: ["04425"], Markranstädt: ["04420"], "Halle (Saale)": ["06108", "06110"], Borna: ["04552"],
};

export const NOTES = [
  "Prefers lessons after 4 pm", "Scholarship (Förderverein)", "Sibling discount applies", "Lessons paused during exams",
  "Allergic to nickel strings", "Plays in the school orchestra as well", "Needs an invoice addressed to the employer",
  "Interested in the summer camp", "Left-handed guitar", "Hearing aid: please face the student when speaking",
];

export const PREVENTION_REASONS = [
  "Open dispute about a damaged instrument", "Legal hold requested by the school board", "Ongoing insurance claim",
  "Alumni concert archive: consent on file",
];

export const YEARS = 365.25 * DAY;
