import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { pageLanguage } from '../app/lang-path.ts';
import { isolateNumbers } from '../format/isolate-numbers.ts';
import { type CompiledCatalog, compiledMessages } from './compiled-messages.ts';
import { dirOf, isLang, LANGUAGES, type Lang } from './languages.ts';

type Part = 'public' | 'work';
type Loader = () => Promise<{ default: CompiledCatalog }>;

/**
 * Each language's catalog is two chunks of its own (built by vite.config.ts, split by catalog-parts.ts), its
 * messages already parsed: the messages of the public pages, loaded when a page is first shown in the language,
 * and those of the pages of work, loaded when one of them is opened (router.tsx) or when the page was not drawn by
 * the server (a reader who is signed in: main.tsx). A reader of the public pages downloads some 15–20 kB of
 * messages, brotli (one language, one part), not ~730 kB raw (six). The server names the page language's public
 * part in the page (`<link rel="modulepreload">`, packages/server/src/web/page-preloads.ts), so it loads beside the
 * app's own code. The catalogs are complete in every language (a test fails on a missing key), so no fallback
 * language is loaded.
 */
const CATALOGS: Record<Lang, Record<Part, Loader>> = {
  ar: {
    public: () => import('./locales/ar.json?catalog=public'),
    work: () => import('./locales/ar.json?catalog=work'),
  },
  en: {
    public: () => import('./locales/en.json?catalog=public'),
    work: () => import('./locales/en.json?catalog=work'),
  },
  fr: {
    public: () => import('./locales/fr.json?catalog=public'),
    work: () => import('./locales/fr.json?catalog=work'),
  },
  es: {
    public: () => import('./locales/es.json?catalog=public'),
    work: () => import('./locales/es.json?catalog=work'),
  },
  ru: {
    public: () => import('./locales/ru.json?catalog=public'),
    work: () => import('./locales/ru.json?catalog=work'),
  },
  zh: {
    public: () => import('./locales/zh.json?catalog=public'),
    work: () => import('./locales/zh.json?catalog=work'),
  },
};

/** The parts loaded (or loading) per language. */
const loaded = new Map<string, Promise<void>>();
/** Whether the pages of work have been asked for: their messages are then loaded in every language shown. */
let workWanted = false;

function loadPart(lang: Lang, part: Part): Promise<void> {
  const id = `${lang}/${part}`;
  let p = loaded.get(id);
  if (!p) {
    p = CATALOGS[lang][part]().then((m) => {
      // Shallow: each key is a message (parsed messages are arrays, which a deep merge would take apart).
      i18next.addResourceBundle(lang, 'translation', m.default, false, true);
    });
    p.catch(() => loaded.delete(id));
    loaded.set(id, p);
  }
  return p;
}

/** Loads the language's catalog into i18next once: its public part, and the rest once the pages of work are used. */
async function loadCatalog(lang: Lang): Promise<void> {
  await Promise.all([loadPart(lang, 'public'), workWanted ? loadPart(lang, 'work') : undefined]);
}

/** The messages of the pages of work, in the page's language (and in any language shown after). */
export async function loadWorkMessages(): Promise<void> {
  workWanted = true;
  const lang = i18next.language;
  if (isLang(lang)) await loadPart(lang, 'work');
}

/**
 * A message asked for that is not loaded: one of the work part, used by a public page (catalog-parts.ts says
 * which part each message is in). Said on the console, as an error (the browser tests fail on it), and loaded:
 * the page shows it when it comes (react-i18next draws again when messages are added).
 */
function missingMessage(key: string): string {
  const lang = i18next.language;
  if (isLang(lang) && !loaded.has(`${lang}/work`)) {
    console.error(`The message "${key}" is in the catalogs' work part, but a public page shows it (catalog-parts.ts)`);
    void loadWorkMessages();
  }
  return key;
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
  await i18next
    .use(compiledMessages())
    .use(initReactI18next)
    .use(bidiNumbers)
    .init({
      postProcess: ['bidiNumbers'],
      lng,
      fallbackLng: false,
      resources: {},
      partialBundledLanguages: true,
      keySeparator: false,
      nsSeparator: false,
      interpolation: { escapeValue: false },
      returnNull: false,
      parseMissingKeyHandler: missingMessage,
      // Messages added later (a catalog's work part) are drawn when they come.
      react: { bindI18nStore: 'added' },
    });
  await Promise.all(langs.map(loadCatalog));
}

/** Starts i18next in the page's language with its public messages, and those of the pages of work if `work`. */
export async function initI18n(work: boolean): Promise<void> {
  const lng = pageLanguage();
  applyDocumentLanguage(lng);
  workWanted = work;
  await start(lng, [lng]);
}

/** The server's renderer (src/entry-server.tsx): every language loaded once; a page is rendered in its own. */
export async function initI18nOnServer(): Promise<void> {
  if (i18next.isInitialized) return;
  workWanted = true;
  await start(
    'ar',
    LANGUAGES.map((l) => l.code),
  );
}

export { i18next };
