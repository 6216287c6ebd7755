import { usePrefs } from '../app/prefs.tsx';
import { localeTag } from '../format/numbers.ts';

/** A moment (the last sync, a saved copy) with its time, in the reader's language and digits. */
export function useDateTime(): (iso: string) => string {
  const { lang, digits } = usePrefs();
  const f = new Intl.DateTimeFormat(localeTag(lang, digits), { dateStyle: 'medium', timeStyle: 'short' });
  return (iso) => {
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? iso : f.format(d);
  };
}
