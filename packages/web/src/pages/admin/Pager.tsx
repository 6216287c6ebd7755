import { useTranslation } from 'react-i18next';
import { usePrefs } from '../../app/prefs.tsx';

/** Previous and next pages of a list, with where the list is. */
export function Pager({
  total,
  limit,
  offset,
  onOffset,
}: {
  total: number;
  limit: number;
  offset: number;
  onOffset(o: number): void;
}) {
  const { t } = useTranslation();
  const { num } = usePrefs();
  if (total <= limit && offset === 0) return null;
  return (
    <nav className="pager" aria-label={t('admin.pager.label')}>
      <button
        type="button"
        className="secondary"
        disabled={offset === 0}
        onClick={() => onOffset(Math.max(0, offset - limit))}
      >
        {t('admin.pager.previous')}
      </button>
      <span>
        {t('admin.pager.where', {
          from: num(Math.min(total, offset + 1), 0),
          to: num(Math.min(total, offset + limit), 0),
          total: num(total, 0),
        })}
      </span>
      <button
        type="button"
        className="secondary"
        disabled={offset + limit >= total}
        onClick={() => onOffset(offset + limit)}
      >
        {t('admin.pager.next')}
      </button>
    </nav>
  );
}
