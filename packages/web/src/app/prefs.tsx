import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
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
import { setLanguage, storedLanguage } from '../i18n/i18n.ts';
import { dirOf, type Lang } from '../i18n/languages.ts';

interface Prefs {
  lang: Lang;
  digits: DigitStyle;
  setLang(l: Lang): void;
  setDigits(d: DigitStyle): void;
  num(v: number | null | undefined, maxFractionDigits?: number): string;
  period(code: string): string;
  date(iso: string): string;
  /**
   * User content in the chosen language, else English (marked), else any; its numbers isolated where
   * right-to-left layout could reorder them (format/isolate-numbers.ts). For display only: a form
   * edits the names themselves.
   */
  text(names: Record<string, string> | null | undefined): { text: string; lang: string; fallback: boolean };
}

const PrefsContext = createContext<Prefs | null>(null);

export function PrefsProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(storedLanguage());
  const [digits, setDigitsState] = useState<DigitStyle>(storedDigits());
  const { i18n } = useTranslation();
  const setLang = useCallback((l: Lang) => {
    void setLanguage(l).then(() => setLangState(l));
  }, []);
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
        const shown = (t: string) => isolateNumbersFor(t, dirOf(lang));
        if (!names) return { text: '', lang, fallback: false };
        const own = names[lang];
        if (own) return { text: shown(own), lang, fallback: false };
        if (names.en) return { text: shown(names.en), lang: 'en', fallback: lang !== 'en' };
        const first = Object.entries(names)[0];
        return first ? { text: shown(first[1]), lang: first[0], fallback: true } : { text: '', lang, fallback: false };
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
