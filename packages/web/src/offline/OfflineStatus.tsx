import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { usePrefs } from '../app/prefs.tsx';
import { useDateTime } from './date-time.ts';
import { useOffline } from './offline-context.tsx';

/** In the header (issue 21): whether the device is offline, how many changes wait to be sent, and the last sync. */
export function OfflineStatus() {
  const { t } = useTranslation();
  const { num } = usePrefs();
  const date = useDateTime();
  const o = useOffline();
  if (!o.db) return null;
  const waiting = o.items.filter((i) => i.state === 'waiting').length;
  const attention = o.items.length - waiting;
  if (o.online && !o.items.length && !o.lastSync) return null;
  return (
    <Link to="/offline" className="account-link offline-status" data-offline={!o.online || undefined}>
      {!o.online && <strong className="offline-badge">{t('offline.header.offline')}</strong>}{' '}
      {t('offline.header.waiting', { n: num(waiting, 0), count: waiting })}
      {attention > 0 && <> · {t('offline.header.attention', { n: num(attention, 0), count: attention })}</>}
      {o.lastSync && (
        <span className="muted small">
          {' '}
          · {t('offline.header.lastSync', { date: `\u2068${date(o.lastSync)}\u2069` })}
        </span>
      )}
    </Link>
  );
}
