import { LANGUAGES } from './languages.ts';

/** A text users wrote, in the language it is shown in; `fallback` when that is not the reader's. */
export interface PickedUserText {
  text: string;
  lang: string;
  fallback: boolean;
}

const base = (code: string) => code.toLowerCase().split('-')[0]!;

/**
 * The best text of a set by language (names, definitions, titles) for a reader of `lang`:
 * 1. the reader's language (an exact key, else the same base language: 'fr' for 'fr-CA');
 * 2. else English; 3. else the other UN languages in Marsad's order (Arabic, French, Spanish,
 * Russian, Chinese); 4. else any other language the set has. Empty texts count as missing.
 * The answer says which language was used, so that the page can mark it (components/UserText.tsx).
 */
export function pickUserText(texts: Record<string, string> | null | undefined, lang: string): PickedUserText {
  const keys = texts ? Object.keys(texts).filter((k) => typeof texts[k] === 'string' && texts[k]!.trim() !== '') : [];
  if (!texts || keys.length === 0) return { text: '', lang, fallback: false };
  const sameBase = (code: string) => (keys.includes(code) ? code : keys.find((k) => base(k) === base(code)));
  const order = [lang, 'en', ...LANGUAGES.map((l) => l.code)];
  let chosen: string | undefined;
  for (const code of order) {
    chosen = sameBase(code);
    if (chosen) break;
  }
  chosen ??= keys[0]!;
  return { text: texts[chosen]!, lang: chosen, fallback: base(chosen) !== base(lang) };
}

/** The name of a language in the reader's language ("English" in English, "inglés" in Spanish, "英语" in Chinese). */
export function languageName(code: string, readerLang: string): string {
  try {
    return new Intl.DisplayNames([readerLang], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}
