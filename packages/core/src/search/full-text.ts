/**
 * The search form of a text for PostgreSQL full-text search (the knowledge repository):
 * the same function at index time and at query time, so that spelling variants meet.
 *
 * PostgreSQL's `arabic` configuration (a Snowball light stemmer) neither equates ة with ه nor
 * removes the conjunction و before the article ("والمستوطنات" stems to "والمستوطنا", while
 * "المستوطنات" stems to "مستوطن"), and it stems a word differently with and without its
 * article ("المدينه" → "مدينه", "مدينه" → "مدين"). So, before PostgreSQL sees a text, each
 * word is
 *   1. folded by `normaliseForSearch` (hamza forms of alef → ا, ة → ه, ى → ي, ؤ → و, ئ → ي,
 *      tatweel and diacritics removed, Arabic-Indic digits → Latin, lower case, Latin accents
 *      removed; see arabic-normalise.ts), and
 *   2. an Arabic letter glued to a Latin letter or a digit is separated from it (text taken
 *      from PDF files often has "2020لعام"), and so are two words glued after a tā' marbūṭa
 *      (which only ends words: "التوجيهيةمدريد"), and
 *   3. each run of Arabic letters in it loses the conjunction و and the article (ال, وال, بال,
 *      كال, فال, لل) by `stripArabicAffixes`, which keeps short words whole.
 * PostgreSQL's stemmer then removes the remaining prefixes and suffixes (ب, ك, ل, ف; ات, ون,
 * ين, ها, ية …) the same way on both sides.
 *
 * The text is handled as whitespace-separated chunks, and the search form has exactly one
 * chunk (never empty, never containing a space) for each chunk of the original: the words of
 * a highlighted snippet computed on the search form (ts_headline) are mapped back to the
 * original words by position (`alignedSearchText`, `snippetFromHeadline`).
 *
 * No I/O, no dependencies.
 */
import { normaliseForSearch, stripArabicAffixes } from './arabic-normalise.ts';

/** A run of Arabic letters (after normalisation: no marks, no tatweel). */
const ARABIC_RUN = /[\u0621-\u063A\u0641-\u064A\u0671-\u06D3]+/g;

/**
 * Characters that PostgreSQL's parser would read as the start of an HTML tag or entity, or
 * that are the highlight marks of `HEADLINE_START`/`HEADLINE_STOP` (and U+E002, the fragment
 * delimiter of the server's snippets): replaced in the search
 * form so that ts_headline gives the text back unchanged.
 */
const PARSER_SPECIALS = /[<>&\uE000-\uE002]/g;

/**
 * Separates words inside a chunk without adding white space (which would break the alignment
 * with the original): PostgreSQL's parser reads it as a blank.
 */
const SEPARATOR = '\u00B7';

/**
 * An Arabic letter directly followed by a Latin letter or a digit, and the other way round:
 * text extracted from PDF files often glues them ("2020لعام", "HSP/HA.1/Res.2ثر"), so they
 * are separated, as two words.
 */
const ARABIC_THEN_OTHER = /([\u0621-\u064A\u0671-\u06D3])(?=[\p{Script=Latin}\p{Nd}])/gu;
const OTHER_THEN_ARABIC = /([\p{Script=Latin}\p{Nd}])(?=[\u0621-\u064A\u0671-\u06D3])/gu;

/**
 * Tā' marbūṭa ends a word: one followed by another Arabic letter marks two words glued
 * together by the extraction of text from a PDF ("التوجيهيةمدريد"), which are separated.
 */
const TA_MARBUTA_INSIDE = /(\u0629[\u064B-\u065F\u0670\u0640]*)(?=[\u0621-\u064A])/g;

/** Stands for a chunk whose search form would be empty (a lone tatweel, mark or invisible character). */
export const EMPTY_CHUNK = '-';

/** Highlight marks ts_headline is asked to put around matches (private-use characters). */
export const HEADLINE_START = '\uE000';
export const HEADLINE_STOP = '\uE001';

/** The search form of one chunk (a piece of text without white space). */
export function searchChunk(chunk: string): string {
  const folded = normaliseForSearch(chunk.replace(TA_MARBUTA_INSIDE, `$1${SEPARATOR}`))
    .replace(/\s+/gu, SEPARATOR)
    .replace(PARSER_SPECIALS, SEPARATOR)
    .replace(ARABIC_THEN_OTHER, `$1${SEPARATOR}`)
    .replace(OTHER_THEN_ARABIC, `$1${SEPARATOR}`)
    .replace(ARABIC_RUN, (run) => stripArabicAffixes(run));
  return folded === '' ? EMPTY_CHUNK : folded;
}

/** The chunks of a text: its whitespace-separated pieces, in order. */
export function textChunks(text: string): string[] {
  return text.split(/\s+/u).filter((c) => c !== '');
}

/**
 * The search form of a text: its chunks' search forms, separated by single spaces. Used for
 * both the document (to_tsvector) and the query (plainto_tsquery / websearch_to_tsquery).
 */
export function searchForm(text: string): string {
  return textChunks(text).map(searchChunk).join(' ');
}

/**
 * A text as chunks with their search forms, one to one: `original.join(' ')` is the text with
 * its white space collapsed, `search.join(' ')` its search form.
 */
export function alignedSearchText(text: string): { original: string; search: string } {
  const chunks = textChunks(text);
  return { original: chunks.join(' '), search: chunks.map(searchChunk).join(' ') };
}

/** Escapes text for HTML (element content and attribute values). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * Turns the output of ts_headline over a search form (with `HEADLINE_START`/`HEADLINE_STOP`
 * as StartSel/StopSel and fragments separated by `delimiter`) into a snippet of the original
 * words: HTML in which everything is escaped except `<mark>` around the words that matched.
 * A fragment that cannot be placed in the search form is left out; if none can, null.
 *
 * `original` and `search` are the two strings of `alignedSearchText` (or the same window of
 * both); `more` says whether the text goes on before and after them, for the ellipses.
 */
export function snippetFromHeadline(
  headline: string,
  original: string,
  search: string,
  delimiter: string,
  more: { before: boolean; after: boolean } = { before: false, after: false },
): string | null {
  const originalChunks = original === '' ? [] : original.split(' ');
  const out: string[] = [];
  let from = 0;
  for (const fragment of headline.split(delimiter)) {
    const plain = fragment.replaceAll(HEADLINE_START, '').replaceAll(HEADLINE_STOP, '');
    const trimmed = plain.trim();
    if (trimmed === '') continue;
    let at = search.indexOf(trimmed, from);
    if (at < 0) at = search.indexOf(trimmed);
    if (at < 0) continue;
    from = at + trimmed.length;
    const first = countSpaces(search, 0, at);
    const last = first + countSpaces(trimmed, 0, trimmed.length);
    // Which chunks of the fragment carry a highlight mark.
    const marked = new Set<number>();
    let chunk = first;
    let inMark = false;
    const marks = fragment.trim();
    for (let i = 0; i < marks.length; i++) {
      const c = marks[i]!;
      if (c === HEADLINE_START) inMark = true;
      else if (c === HEADLINE_STOP) inMark = false;
      else if (c === ' ') chunk++;
      else if (inMark) marked.add(chunk);
    }
    const words: string[] = [];
    for (let i = first; i <= last && i < originalChunks.length; i++) {
      const w = escapeHtml(originalChunks[i]!);
      words.push(marked.has(i) ? `<mark>${w}</mark>` : w);
    }
    if (words.length === 0) continue;
    const before = first > 0 || more.before;
    const after = last < originalChunks.length - 1 || more.after;
    out.push(`${before ? '… ' : ''}${words.join(' ')}${after ? ' …' : ''}`);
  }
  return out.length > 0 ? out.join(' ').replace(/ … … /g, ' … ') : null;
}

function countSpaces(s: string, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) if (s.charCodeAt(i) === 32) n++;
  return n;
}

/**
 * The first words of a text as a snippet without highlights (for an item that matched by its
 * title or keywords only, or for a list without a query): escaped HTML.
 */
export function leadSnippet(original: string, words = 30): string {
  const chunks = original === '' ? [] : original.split(' ');
  const head = chunks.slice(0, words).map(escapeHtml).join(' ');
  return chunks.length > words ? `${head} …` : head;
}
