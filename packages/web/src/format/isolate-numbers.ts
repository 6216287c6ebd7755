/**
 * Numbers inside right-to-left text, kept in their order (issue 15 item 4). The Unicode
 * bidirectional algorithm lays a number out left to right, but splits it where a character that is
 * not part of a number stands between its digits: in Arabic text "لكل 100 000 نسمة" shows as
 * "لكل 000 100 نسمة", "2015–2030" as "2030–2015", "2017-18" as "18-2017". Each such run is wrapped
 * here in a left-to-right isolate (LRI … PDI), which the algorithm lays out as one left-to-right
 * block: the number reads as written, in pages and in the PDFs printed from them.
 *
 * A run is digits (any script's: 0-9, ٠-٩, ۰-۹…) joined by what splits them: a space, no-break or
 * thin space before a group of three digits (100 000, not "2015 2030"), a dash or minus between two
 * numbers with or without spaces (2015–2030, 2015 - 2030, 2024-Q1), and the separators of
 * decimals, thousands, codes, dates and times (16.1.1, 100,000, 3,5, ١٢٫٥, 2017/18, 10:30). A run of
 * digits alone is left as it is (the algorithm cannot split it), and so is text already inside an
 * isolate, so the function can be applied twice. Taking out the LRI, PDI and LRM marks gives the text
 * back unchanged.
 */

export const LRI = '\u2066';
export const PDI = '\u2069';
export const LRM = '\u200E';

const D = '\\p{Nd}';
const SPACE_GROUP = `[ \\u00A0\\u202F\\u2009]${D}{3}(?!${D})`;
const SEPARATOR = `[.,:/\\u066B\\u066C]${D}+`;
const RANGE = `[ \\u00A0]?[-\\u2010-\\u2015\\u2212][ \\u00A0]?[A-Z]?${D}+`;
const NUMBER = `${D}+(?:${SPACE_GROUP}|${SEPARATOR}|${RANGE})*`;
/** An isolate already there (LRI, RLI or FSI up to its PDI): kept whole. */
const ISOLATE = '[\\u2066-\\u2068][^\\u2069]*\\u2069';
const RUN = new RegExp(`${ISOLATE}|${NUMBER}`, 'gu');
const ISOLATE_START = /^[\u2066-\u2068]/;
const DIGITS_ONLY = new RegExp(`^${D}+$`, 'u');

/**
 * Arabic-Indic digits (٠-٩) keep a right-to-left pull even inside a left-to-right isolate: a space or
 * a dash between two of them still takes the right-to-left direction ("٢٠١٥–٢٠٢٤" would show as
 * "٢٠٢٤–٢٠١٥"). A left-to-right mark after each such character gives it the isolate's direction.
 */
function ltr(run: string): string {
  return /[\u0660-\u0669]/.test(run) ? run.replace(/[^\p{Nd}\u066B\u066C]/gu, (c) => c + LRM) : run;
}

/**
 * Whether the number at [start, end) is part of a word with Latin letters (PM2.5, CC0-1.0, T2030-CITIES, ISO-3166):
 * such a word is one left-to-right run as it stands (digits after a Latin letter take its direction), and isolating
 * the number alone would cut it in two, the number then shown before its letters ("2.5PM").
 */
function inLatinWord(text: string, start: number, end: number): boolean {
  for (let i = start - 1; i >= 0 && !/\s/.test(text[i]!); i--) if (/[A-Za-z]/.test(text[i]!)) return true;
  for (let i = end; i < text.length && !/\s/.test(text[i]!); i++) if (/[A-Za-z]/.test(text[i]!)) return true;
  return false;
}

/** `text` with each number that the bidirectional algorithm could reorder wrapped in LRI … PDI. */
export function isolateNumbers(text: string): string {
  return text.replace(RUN, (run: string, at: number) =>
    ISOLATE_START.test(run) || DIGITS_ONLY.test(run) || inLatinWord(text, at, at + run.length)
      ? run
      : LRI + ltr(run) + PDI,
  );
}

/** Letters written right to left (Hebrew, Arabic, Syriac, Thaana, N'Ko… and their presentation forms). */
const RTL_LETTER = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/;

/**
 * Numbers isolated where they can be reordered: in a right-to-left page (any text), or in text
 * with right-to-left letters (shown with dir="auto" in a left-to-right page, it lays out right to
 * left). Left-to-right text in a left-to-right page is returned as it is.
 */
export function isolateNumbersFor(text: string, pageDir: 'rtl' | 'ltr'): string {
  return pageDir === 'rtl' || RTL_LETTER.test(text) ? isolateNumbers(text) : text;
}
