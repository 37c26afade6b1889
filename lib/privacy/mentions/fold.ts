// The fold of names and text, the same in JavaScript as lethe_fold() in SQL (migration
// 0012, which search uses too; fold.test in mentions.test.ts holds the two together):
// lower case, "ß" → "ss", "æ"/"œ" → "ae"/"oe", diacritics to their base letter, then
// "ae"/"oe"/"ue" → "a"/"o"/"u", so that "Jürgen Müller", "Juergen Mueller" and
// "jurgen muller" all read "jurgen muller". The JavaScript fold also keeps, for every
// folded character, the span of the original text it came from: a hit found in folded
// text is a position in the original.

export const FOLD_FROM = "àáâãäåāăąçćĉċčďđèéêëēĕėęěĝğġģĥħìíîïĩīĭįıĵķĺļľŀłñńņňòóôõöøōŏőŕŗřśŝşšţťŧùúûüũūŭůűųŵýÿŷźżžþ";
export const FOLD_TO = "aaaaaaaaacccccddeeeeeeeeegggghhiiiiiiiiijklllllnnnnooooooooorrrsssstttuuuuuuuuuuwyyyzzzt";

const TRANSLATE = new Map([...FOLD_FROM].map((c, i) => [c, [...FOLD_TO][i] ?? ""]));

type Unit = { ch: string; from: number; to: number };

/** SQL replace(): every non-overlapping `pair`, left to right, becomes its first letter. */
function contract(units: Unit[], pair: string): Unit[] {
  const out: Unit[] = [];
  for (let i = 0; i < units.length; i++) {
    if (units[i].ch === pair[0] && units[i + 1]?.ch === pair[1]) {
      out.push({ ch: pair[0], from: units[i].from, to: units[i + 1].to });
      i++;
    } else out.push(units[i]);
  }
  return out;
}

export type Folded = { text: string; from: number[]; to: number[] };

export function foldWithPositions(value: string): Folded {
  let units: Unit[] = [];
  for (let i = 0; i < value.length; i++) {
    const lower = value[i].toLowerCase();
    for (const c of lower.length === 1 ? lower : value[i]) units.push({ ch: c, from: i, to: i + 1 });
  }
  units = expand(units, { "ß": "ss", "ẞ": "ss", "æ": "ae", "œ": "oe" });
  // translate(): a letter beyond the end of FOLD_TO is dropped, as in SQL.
  units = units.flatMap((u) => {
    const k = TRANSLATE.get(u.ch);
    return k === undefined ? [u] : k === "" ? [] : [{ ...u, ch: k }];
  });
  for (const pair of ["ae", "oe", "ue"]) units = contract(units, pair);
  return { text: units.map((u) => u.ch).join(""), from: units.map((u) => u.from), to: units.map((u) => u.to) };
}

function expand(units: Unit[], map: Record<string, string>): Unit[] {
  return units.flatMap((u) => (map[u.ch] ? [...map[u.ch]].map((ch) => ({ ...u, ch })) : [u]));
}

export function fold(value: string): string {
  return foldWithPositions(value).text;
}

/** The words of a folded text as the 'simple' text-search parser splits them (letters and digits). */
export function words(folded: string): { word: string; start: number; end: number }[] {
  return [...folded.matchAll(/[\p{L}\p{N}]+/gu)].map((m) => ({ word: m[0], start: m.index, end: m.index + m[0].length }));
}
