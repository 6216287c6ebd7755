import { useTranslation } from 'react-i18next';
import type { Names } from '../api/types.ts';
import { usePrefs } from '../app/prefs.tsx';
import { languageName } from '../i18n/pick-user-text.ts';

/**
 * Text that users wrote (indicator and place names, definitions, programme and knowledge texts):
 * shown in the reader's language, else in the best one available (i18n/pick-user-text.ts) with
 * its `lang` and a note in the reader's language saying which ("shown in English"); always
 * dir="auto" so either script lays out right.
 */
export function UserText({ names, fallbackText }: { names: Names | null | undefined; fallbackText?: string }) {
  const { t } = useTranslation();
  const { text, lang } = usePrefs();
  const r = text(names);
  const shown = r.text || fallbackText || '';
  const note = r.fallback && r.text && (
    <span className="fallback-mark" lang={lang}>
      ({t('common.inLanguage', { language: languageName(r.lang, lang) })})
    </span>
  );
  return (
    <>
      <span dir="auto" lang={r.lang}>
        {shown}
      </span>
      {note}
    </>
  );
}
