import { useTranslation } from 'react-i18next';
import type { Names } from '../api/types.ts';
import { usePrefs } from '../app/prefs.tsx';

/**
 * Text that users wrote (indicator and place names, definitions): shown in the chosen language,
 * else in English with a mark saying so; always dir="auto" so either script lays out right.
 */
export function UserText({ names, fallbackText }: { names: Names | null | undefined; fallbackText?: string }) {
  const { t } = useTranslation();
  const { text } = usePrefs();
  const r = text(names);
  const shown = r.text || fallbackText || '';
  return (
    <>
      <span dir="auto" lang={r.lang}>
        {shown}
      </span>
      {r.fallback && shown && (
        <span className="fallback-mark">
          ({t('common.inLanguage', { language: r.lang === 'en' ? 'English' : r.lang })})
        </span>
      )}
    </>
  );
}
