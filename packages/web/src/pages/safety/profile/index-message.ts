import { useTranslation } from 'react-i18next';
import { usePrefs } from '../../../app/prefs.tsx';
import type { IndexMessage } from './profile-types.ts';

/**
 * Says a message of the composite index (core's composite-index/messages.ts: a code and its parameters) in the
 * reader's language, its numbers in the reader's digits; a code the catalogs do not know yet falls back to the
 * English text the server sent. Theme and indicator codes (`theme`, `themes`, `id`, `ids`) are said by their names
 * where `names` has them.
 */
export function useIndexMessage(names: Record<string, string> = {}): (m: IndexMessage) => string {
  const { t, i18n } = useTranslation();
  const { num, lang } = usePrefs();
  return (m) => {
    const key = `compositeIndex.msg.${m.code}`;
    if (!i18n.exists(key)) return m.text;
    const params = Object.fromEntries(
      Object.entries(m.params).map(([k, v]) => {
        if (typeof v === 'number') return [k, num(v, 3)];
        if (k === 'theme' || k === 'id') return [k, names[v] ?? v];
        // ICU select keys cannot hold '-': min-max and z-score are min_max and z_score in the catalogs.
        if (k === 'method') return [k, v.replace(/-/g, '_')];
        if (k === 'themes' || k === 'ids')
          return [
            k,
            new Intl.ListFormat(lang, { type: 'conjunction' }).format(v.split(', ').map((c) => names[c] ?? c)),
          ];
        return [k, v];
      }),
    );
    return t(key, params);
  };
}
