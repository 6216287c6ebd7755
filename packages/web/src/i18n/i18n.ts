import i18next from 'i18next';
import ICU from 'i18next-icu';
import { initReactI18next } from 'react-i18next';
import { pageLanguage } from '../app/lang-path.ts';
import { isolateNumbers } from '../format/isolate-numbers.ts';
import { dirOf, isLang, LANGUAGES, type Lang } from './languages.ts';

/** Catalog entries are ICU messages; `_meta` says who translated and what awaits review. */
type Catalog = Record<string, unknown>;
const strip = (c: Catalog) => Object.fromEntries(Object.entries(c).filter(([k]) => k !== '_meta'));

/**
 * Each language's catalog is a chunk of its own, loaded when a page is first shown in it: a reader
 * downloads ~100–150 kB of messages (one language), not ~730 kB (six). The server names the page
 * language's chunk in the page (`<link rel="modulepreload">`, packages/server/src/web/page-html.ts),
 * so it loads beside the app's own code. The catalogs are complete in every language (a test fails on
 * a missing key), so no fallback language is loaded.
 */
const CATALOGS: Record<Lang, () => Promise<{ default: Catalog }>> = {
  ar: () => import('./locales/ar.json'),
  en: () => import('./locales/en.json'),
  fr: () => import('./locales/fr.json'),
  es: () => import('./locales/es.json'),
  ru: () => import('./locales/ru.json'),
  zh: () => import('./locales/zh.json'),
};

/** Loads the language's catalog into i18next once. */
async function loadCatalog(lang: Lang): Promise<void> {
  if (i18next.hasResourceBundle(lang, 'translation')) return;
  const catalog = strip((await CATALOGS[lang]()).default);
  i18next.addResourceBundle(lang, 'translation', catalog, true, true);
}

export function applyDocumentLanguage(lang: Lang): void {
  document.documentElement.lang = lang;
  document.documentElement.dir = dirOf(lang);
}

/** Shows the page in `lang` (the language of its address: app/lang-path.ts). */
export async function setLanguage(lang: Lang): Promise<void> {
  await loadCatalog(lang);
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

/** Starts i18next in `lng` with the catalogs of `langs` (the page's language in the browser; all six on the server). */
async function start(lng: Lang, langs: readonly Lang[]): Promise<void> {
  const resources: Record<string, { translation: Catalog }> = {};
  for (const l of langs) resources[l] = { translation: strip((await CATALOGS[l]()).default) };
  await i18next
    .use(ICU)
    .use(initReactI18next)
    .use(bidiNumbers)
    .init({
      postProcess: ['bidiNumbers'],
      lng,
      fallbackLng: false,
      resources,
      partialBundledLanguages: true,
      keySeparator: false,
      nsSeparator: false,
      interpolation: { escapeValue: false },
      returnNull: false,
    });
}

export async function initI18n(): Promise<void> {
  const lng = pageLanguage();
  applyDocumentLanguage(lng);
  await start(lng, [lng]);
}

/** The server's renderer (src/entry-server.tsx): every language loaded once; a page is rendered in its own. */
export async function initI18nOnServer(): Promise<void> {
  if (i18next.isInitialized) return;
  await start(
    'ar',
    LANGUAGES.map((l) => l.code),
  );
}

export { i18next };
