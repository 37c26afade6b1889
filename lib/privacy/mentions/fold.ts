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
const EXPAND: Record<string, string> = { "ß": "ss", "ẞ": "ss", "æ": "ae", "œ": "oe" };

// What one UTF-16 unit of the original becomes before the contractions: lower case,
// expanded, translated; a letter beyond the end of FOLD_TO is dropped, as translate()
// does in SQL. Memoised per unit: a text repeats few characters.
const mapped: (string | undefined)[] = [];
function mapUnit(value: string, i: number): string {
  let out = mapped[value.charCodeAt(i)];
  if (out === undefined) {
    const unit = value[i];
    // "İ" is the one unit whose lower case is longer ("i" and a combining dot): lower() gives "i".
    const lower = unit.toLowerCase()[0];
    out = [...(EXPAND[lower] ?? lower)].map((c) => TRANSLATE.get(c) ?? c).join("");
    mapped[value.charCodeAt(i)] = out;
  }
  return out;
}

export type Folded = { text: string; from: number[]; to: number[] };

/**
 * The fold, with the span of the original text each folded character came from. The
 * contractions are SQL's replace(): every non-overlapping pair, left to right, one pair
 * after the other ("ae", then "oe", then "ue"), each becoming its first letter.
 */
export function foldWithPositions(value: string): Folded {
  const chars: string[] = [];
  const from: number[] = [];
  const to: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const m = mapUnit(value, i);
    for (let k = 0; k < m.length; k++) {
      chars.push(m[k]);
      from.push(i);
      to.push(i + 1);
    }
  }
  let n = chars.length;
  for (const [a, b] of [["a", "e"], ["o", "e"], ["u", "e"]]) {
    let w = 0;
    for (let r = 0; r < n; r++, w++) {
      chars[w] = chars[r];
      from[w] = from[r];
      to[w] = to[r];
      if (chars[r] === a && r + 1 < n && chars[r + 1] === b) to[w] = to[++r];
    }
    n = w;
  }
  chars.length = from.length = to.length = n;
  return { text: chars.join(""), from, to };
}

export function fold(value: string): string {
  return foldWithPositions(value).text;
}

/** The words of a folded text as the 'simple' text-search parser splits them (letters and digits). */
export function words(folded: string): { word: string; start: number; end: number }[] {
  return [...folded.matchAll(/[\p{L}\p{N}]+/gu)].map((m) => ({ word: m[0], start: m.index, end: m.index + m[0].length }));
}
