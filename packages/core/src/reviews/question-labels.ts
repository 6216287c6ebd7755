/**
 * Which language a questionnaire's text is shown in (docs/methods/questionnaires.md, "Labels"):
 * 1. the user's language (an exact key, else the same base language: 'ar' for 'ar-MA');
 * 2. else the questionnaire's default language (XLSForm `default_language`);
 * 3. else English;
 * 4. else text of no stated language (a plain `label` column, key 'und');
 * 5. else the first language of the questionnaire that has the text (in the order of its
 *    languages), then any.
 * The answer says which language was used, so a page can mark it (`lang`, `dir="auto"`).
 */
import type { LangText, Questionnaire } from './questionnaire.ts';

export const NO_LANGUAGE = 'und';

export interface PickedText {
  text: string;
  language: string;
}

const base = (code: string) => code.toLowerCase().split('-')[0]!;

export function pickText(
  text: LangText | undefined,
  language: string,
  q?: Pick<Questionnaire, 'defaultLanguage' | 'languages'>,
): PickedText | null {
  if (!text) return null;
  const has = (key: string | undefined): key is string =>
    key !== undefined && typeof text[key] === 'string' && text[key] !== '';
  const keys = Object.keys(text).filter(has);
  if (!keys.length) return null;
  const sameBase = (code: string) => keys.find((k) => base(k) === base(code));
  const order: (string | undefined)[] = [
    has(language) ? language : sameBase(language),
    q?.defaultLanguage,
    has('en') ? 'en' : sameBase('en'),
    NO_LANGUAGE,
    ...(q?.languages ?? []).map((l) => l.code),
    ...keys,
  ];
  const chosen = order.find(has)!;
  return { text: text[chosen]!, language: chosen };
}

/** The text in the user's language by the rule above, or '' when there is none. */
export function textIn(
  text: LangText | undefined,
  language: string,
  q?: Pick<Questionnaire, 'defaultLanguage' | 'languages'>,
): string {
  return pickText(text, language, q)?.text ?? '';
}
