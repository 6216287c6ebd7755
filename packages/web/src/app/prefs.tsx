import type { RouterHistory } from '@tanstack/react-router';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isolateNumbers, isolateNumbersFor } from '../format/isolate-numbers.ts';
import {
  type DigitStyle,
  formatDate,
  formatNumber,
  formatPeriod,
  storeDigits,
  storedDigits,
} from '../format/numbers.ts';
import { setLanguage } from '../i18n/i18n.ts';
import { dirOf, type Lang } from '../i18n/languages.ts';
import { pickUserText } from '../i18n/pick-user-text.ts';
import { pageLanguage, rememberLanguage, splitLanguage, withLanguage } from './lang-path.ts';

interface Prefs {
  /** The language of the page's address. */
  lang: Lang;
  digits: DigitStyle;
  /** The language chooser: the same page under the other language's address, the choice remembered in the cookie. */
  setLang(l: Lang): void;
  setDigits(d: DigitStyle): void;
  num(v: number | null | undefined, maxFractionDigits?: number): string;
  period(code: string): string;
  date(iso: string): string;
  /**
   * User content in the chosen language, else the best available (i18n/pick-user-text.ts: English,
   * then the other UN languages), marked as a fallback; its numbers isolated where
   * right-to-left layout could reorder them (format/isolate-numbers.ts). For display only: a form
   * edits the names themselves.
   */
  text(names: Record<string, string> | null | undefined): { text: string; lang: string; fallback: boolean };
}

const PrefsContext = createContext<Prefs | null>(null);

/** `history`: the router's, whose addresses carry the language (app/lang-path.ts). */
export function PrefsProvider({ history, children }: { history: RouterHistory; children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(pageLanguage(history.location.pathname));
  const [digits, setDigitsState] = useState<DigitStyle>(storedDigits());
  const { i18n } = useTranslation();
  // The address is the truth: the chooser, Back and Forward change it, the language follows.
  useEffect(
    () =>
      history.subscribe(({ location }) => {
        const l = pageLanguage(location.pathname);
        if (l !== i18n.language) void setLanguage(l).then(() => setLangState(l));
      }),
    [history, i18n],
  );
  const setLang = useCallback(
    (l: Lang) => {
      rememberLanguage(l);
      const { pathname, search, hash } = history.location;
      const { lang: shown, rest } = splitLanguage(pathname);
      if (shown === l) return;
      history.push(withLanguage(l, shown ? rest : pathname) + search + hash);
    },
    [history],
  );
  const setDigits = useCallback((d: DigitStyle) => {
    storeDigits(d);
    setDigitsState(d);
  }, []);
  // i18n.language renews the formatters when i18next changes language.
  // biome-ignore lint/correctness/useExhaustiveDependencies: on purpose, see above
  const value = useMemo<Prefs>(
    () => ({
      lang,
      digits,
      setLang,
      setDigits,
      num: (v, f) => formatNumber(v, lang, digits, f),
      period: (c) =>
        dirOf(lang) === 'rtl' ? isolateNumbers(formatPeriod(c, lang, digits)) : formatPeriod(c, lang, digits),
      date: (iso) => formatDate(iso, lang, digits),
      text: (names) => {
        const r = pickUserText(names, lang);
        return { ...r, text: isolateNumbersFor(r.text, dirOf(lang)) };
      },
    }),
    [lang, digits, setLang, setDigits, i18n.language],
  );
  return <PrefsContext.Provider value={value}>{children}</PrefsContext.Provider>;
}

export function usePrefs(): Prefs {
  const p = useContext(PrefsContext);
  if (!p) throw new Error('usePrefs outside PrefsProvider');
  return p;
}
