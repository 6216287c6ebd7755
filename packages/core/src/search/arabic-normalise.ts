/**
 * Text normalisation for search, in every language, the same at index time and at query time.
 *
 * PostgreSQL's `arabic` text search configuration does not equate ة with ه (see
 * docs ANCHORS, "Arabic text"), so Marsad folds text in the application before it is indexed
 * or compared. `normaliseForSearch` is the one fold; `searchTokens` splits its result into
 * words; `stripArabicAffixes` removes the conjunction و and the article ال from one word;
 * `matchesSearch` combines them for prefix search ("search as you type").
 *
 * `normaliseForSearch`, step by step:
 *   1. Unicode NFKC: presentation forms and ligatures (ﻻ, ﷲ, fullwidth Ａ, ²) become ordinary
 *      characters; no-break spaces become spaces.
 *   2. Lower-case with `String.prototype.toLowerCase`, which is locale-independent (the
 *      Unicode default mapping; never the Turkish or Lithuanian tailorings).
 *   3. Invisible format characters are removed: zero-width space/joiners (U+200B–U+200D),
 *      direction marks and embeddings (U+200E, U+200F, U+061C, U+202A–U+202E,
 *      U+2066–U+2069), word joiner (U+2060), byte order mark (U+FEFF), soft hyphen (U+00AD).
 *      Text pasted from right-to-left documents is full of them.
 *   4. Canonical decomposition (NFD), then:
 *      - Latin letters lose their combining marks (é → e, ç → c, ệ → e), so "San José"
 *        matches "san jose". Only marks that follow a Latin letter are removed: Cyrillic й
 *        and ё, Japanese が keep theirs ("Москва" → "москва", nothing else). A few Latin
 *        letters that carry their diacritic without decomposing are folded explicitly:
 *        ø → o, ł → l, đ → d, ħ → h, ı → i, and ß → ss, æ → ae, œ → oe.
 *      - Arabic marks are removed: harakat and the other combining marks U+064B–U+065F
 *        (fathatan, dammatan, kasratan, fatha, damma, kasra, shadda, sukun, maddah, hamza
 *        above and below, …), superscript alef U+0670, the honorific signs U+0610–U+061A and
 *        the Quranic annotation marks U+06D6–U+06ED; and tatweel U+0640.
 *   5. Arabic letter folds (the choices, all made identically at index and query time):
 *      - أ إ آ ٱ (and U+0672, U+0673, alef with wavy hamza) → ا. أ إ آ decompose in step 4
 *        into ا plus hamza or maddah, which are removed; ٱ (alef wasla) is mapped explicitly.
 *      - ة → ه: tā' marbūṭa is written and typed as hā' so often that both must match.
 *      - ى → ي: alef maqsura and yā' are confused in the same way, especially in Egypt.
 *      - ؤ → و and ئ → ي: the hamza seat is kept as a plain letter (step 4 removes the hamza).
 *        The lone hamza ء is kept.
 *      - Persian-keyboard letters typed in Arabic text: ی (Farsi yeh, U+06CC) → ي and
 *        ک (keheh, U+06A9) → ك.
 *   6. Digits: Arabic-Indic ٠–٩ (U+0660–U+0669) and Extended Arabic-Indic (Persian/Urdu)
 *      ۰–۹ (U+06F0–U+06F9) → 0–9. Arabic punctuation that matters in numbers and codes
 *      becomes its Latin form: decimal separator ٫ → ".", thousands separator ٬ → ",",
 *      percent ٪ → "%", and also ، → ",", ؛ → ";", ؟ → "?".
 *   7. NFC, then runs of white space become one space and the ends are trimmed.
 * Every other character — punctuation included ("11.1.1", "A/RES/70/1") — is kept. Chinese,
 * Russian, Greek, … pass through lower-cased. The function is idempotent.
 *
 * No I/O, no dependencies.
 */

// ─── normaliseForSearch ─────────────────────────────────────────────────────────────────────

/** Invisible format characters (step 3). */
const INVISIBLE = /[\u00AD\u061C\u200B-\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF]/g;

/**
 * Combining marks that follow a Latin letter (step 4): the combining diacritical marks and
 * their supplements and extensions.
 */
const LATIN_MARKS = /(\p{Script=Latin})[\u0300-\u036F\u1AB0-\u1AFF\u1DC0-\u1DFF\u20D0-\u20FF\uFE20-\uFE2F]+/gu;

/** Latin letters whose diacritic or ligature does not decompose (step 4). */
const LATIN_FOLDS: Readonly<Record<string, string>> = {
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ħ: 'h',
  ı: 'i',
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
};
const LATIN_FOLD_PATTERN = /[øłđħıßæœ]/g;

/** Arabic marks and tatweel (step 4). */
const ARABIC_MARKS = /[\u0610-\u061A\u0640\u064B-\u065F\u0670\u06D6-\u06ED]/g;

/** Arabic letters, digits and punctuation (steps 5 and 6). */
const ARABIC_FOLDS: Readonly<Record<string, string>> = {
  أ: 'ا',
  إ: 'ا',
  آ: 'ا',
  ٱ: 'ا',
  '\u0672': 'ا',
  '\u0673': 'ا',
  ة: 'ه',
  ى: 'ي',
  ؤ: 'و',
  ئ: 'ي',
  ی: 'ي',
  ک: 'ك',
  '٫': '.',
  '٬': ',',
  '٪': '%',
  '،': ',',
  '؛': ';',
  '؟': '?',
};
const ARABIC_FOLD_PATTERN = /[أإآٱ\u0672\u0673ةىؤئیک٫٬٪،؛؟]/g;

const ARABIC_INDIC_DIGITS = /[\u0660-\u0669\u06F0-\u06F9]/g;

function latinDigit(digit: string): string {
  const code = digit.charCodeAt(0);
  return String(code >= 0x06f0 ? code - 0x06f0 : code - 0x0660);
}

/**
 * Folds text for search: the same function at index time and at query time, for every
 * language. See the module comment for every step and choice.
 */
export function normaliseForSearch(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(INVISIBLE, '')
    .normalize('NFD')
    .replace(LATIN_MARKS, '$1')
    .replace(LATIN_FOLD_PATTERN, (c) => LATIN_FOLDS[c] ?? c)
    .replace(ARABIC_MARKS, '')
    .replace(ARABIC_FOLD_PATTERN, (c) => ARABIC_FOLDS[c] ?? c)
    .replace(ARABIC_INDIC_DIGITS, latinDigit)
    .normalize('NFC')
    .replace(/\s+/gu, ' ')
    .trim();
}

// ─── Tokens ─────────────────────────────────────────────────────────────────────────────────

/**
 * A word: letters, digits and marks, possibly joined by ".", "-", "/" or "_" standing between
 * two such characters — so codes stay whole ("11.1.1", "sdg-11", "a/res/70/1", "2017-18").
 */
const TOKEN = /[\p{L}\p{N}\p{M}]+(?:[./_-][\p{L}\p{N}\p{M}]+)*/gu;
const JOINERS = /[./_-]/;

/**
 * The normalised words of a text, in order, duplicates kept. A word joined by "." "-" "/"
 * or "_" is one token ("11.1.1"); `searchIndexTerms` adds its parts.
 * Scripts written without spaces (Chinese, Japanese, Thai) give one token per run.
 */
export function searchTokens(text: string): string[] {
  return normaliseForSearch(text).match(TOKEN) ?? [];
}

// ─── Arabic affixes ─────────────────────────────────────────────────────────────────────────

/**
 * Article forms, longest first: وال (and the), بال (with the), كال (like the), فال (so the),
 * لل (for the: ل + ال with its alef dropped), ال (the).
 */
const ARTICLES = ['وال', 'بال', 'كال', 'فال', 'لل', 'ال'] as const;
/** Letters the stem must keep after an article form is removed. */
const MIN_STEM_AFTER_ARTICLE = 2;
/**
 * Letters the stem must keep after the conjunction و is removed: 3, because many short words
 * begin with a radical و (وقت time, وطن homeland, ولد boy, وجه face, وزن weight) and must
 * stay whole.
 */
const MIN_STEM_AFTER_WAW = 3;

/**
 * Removes the conjunction و and the article (ال, وال, بال, كال, فال, لل; also و followed by
 * بال, كال, لل …) from the start of one word, for matching. A prefix is removed only when
 * the stem left has at least 2 letters (after an article form) or 3 letters (after a lone و),
 * so short words are not mangled: "الي" (إلى), "الف", "وقت", "وطن" stay as they are.
 *
 * Expects a normalised word (see `normaliseForSearch`); words in other scripts are returned
 * unchanged. A light stemmer, not a morphological analyser: some words that merely begin
 * with these letters lose them too (وزاره → زاره); since the same function runs on both
 * sides of a comparison, and `matchesSearch` also compares the unstripped forms, this costs
 * at most a few extra matches, never a missed one.
 */
export function stripArabicAffixes(word: string): string {
  for (const article of ARTICLES) {
    if (word.startsWith(article) && [...word].length - article.length >= MIN_STEM_AFTER_ARTICLE) {
      return word.slice(article.length);
    }
  }
  if (word.startsWith('و')) {
    const rest = word.slice(1);
    if ([...rest].length >= MIN_STEM_AFTER_WAW) {
      // و + بال / كال / لل / ال …: the article goes too, under its own rule.
      for (const article of ARTICLES) {
        if (rest.startsWith(article) && [...rest].length - article.length >= MIN_STEM_AFTER_ARTICLE) {
          return rest.slice(article.length);
        }
      }
      return rest;
    }
  }
  return word;
}

// ─── Matching ───────────────────────────────────────────────────────────────────────────────

/** The forms of one token that take part in matching: itself and its affix-stripped form. */
function tokenForms(token: string): string[] {
  const stripped = stripArabicAffixes(token);
  return stripped === token ? [token] : [token, stripped];
}

/**
 * Every term a text can be found by, deduplicated: each token, the parts of a joined token
 * ("well-being" → "well", "being"; "11.1.1" → "11", "1"), and the affix-stripped form of
 * each. `matchesSearch(text, q)` is true exactly when every token of `q` (or its stripped
 * form) is a prefix of one of these terms; an index can store them for the same behaviour.
 */
export function searchIndexTerms(text: string): string[] {
  const terms = new Set<string>();
  for (const token of searchTokens(text)) {
    for (const form of tokenForms(token)) terms.add(form);
    if (JOINERS.test(token)) {
      for (const part of token.split(JOINERS)) {
        if (part !== '') for (const form of tokenForms(part)) terms.add(form);
      }
    }
  }
  return [...terms];
}

/**
 * True when every word of the query, after normalisation, is a prefix of some word of the
 * haystack — comparing each side with and without its Arabic affixes, so "والمستوطنات" finds
 * "مستوطنات" and "مستوطنات" finds "والمستوطنات". A query without words matches everything.
 */
export function matchesSearch(haystack: string, query: string): boolean {
  const queryTokens = searchTokens(query);
  if (queryTokens.length === 0) return true;
  const terms = searchIndexTerms(haystack);
  return queryTokens.every((token) => tokenForms(token).some((form) => terms.some((term) => term.startsWith(form))));
}
