import i18next from 'i18next';
import ICU from 'i18next-icu';
import { initReactI18next } from 'react-i18next';
import { pageLanguage } from '../app/lang-path.ts';
import { isolateNumbers } from '../format/isolate-numbers.ts';
import { dirOf, isLang, type Lang } from './languages.ts';
import ar from './locales/ar.json';
import en from './locales/en.json';
import es from './locales/es.json';
import fr from './locales/fr.json';
import ru from './locales/ru.json';
import zh from './locales/zh.json';

/** Catalog entries are ICU messages; `_meta` says who translated and what awaits review. */
type Catalog = Record<string, unknown>;
const strip = (c: Catalog) => Object.fromEntries(Object.entries(c).filter(([k]) => k !== '_meta'));

export function applyDocumentLanguage(lang: Lang): void {
  document.documentElement.lang = lang;
  document.documentElement.dir = dirOf(lang);
}

/** Shows the page in `lang` (the language of its address: app/lang-path.ts). */
export async function setLanguage(lang: Lang): Promise<void> {
  applyDocumentLanguage(lang);
  await i18next.changeLanguage(lang);
}

/**
 * Every message of a right-to-left language, its ICU arguments formatted in, has its numbers
 * isolated (2015–2030, 16.1.1, 100 000: format/isolate-numbers.ts), so they read as written.
 */
const bidiNumbers = {
  type: 'postProcessor' as const,
  name: 'bidiNumbers',
  process: (value: unknown, _key: unknown, options: { lng?: string }, translator: { language?: string }) => {
    const lng = options.lng ?? translator.language;
    return typeof value === 'string' && isLang(lng) && dirOf(lng) === 'rtl' ? isolateNumbers(value) : value;
  },
};

export async function initI18n(): Promise<void> {
  const lng = pageLanguage();
  applyDocumentLanguage(lng);
  await i18next
    .use(ICU)
    .use(initReactI18next)
    .use(bidiNumbers)
    .init({
      postProcess: ['bidiNumbers'],
      lng,
      fallbackLng: 'en',
      resources: {
        ar: { translation: strip(ar) },
        en: { translation: strip(en) },
        fr: { translation: strip(fr) },
        es: { translation: strip(es) },
        ru: { translation: strip(ru) },
        zh: { translation: strip(zh) },
      },
      keySeparator: false,
      nsSeparator: false,
      interpolation: { escapeValue: false },
      returnNull: false,
    });
}

export { i18next };
