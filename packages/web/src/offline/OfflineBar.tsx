import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDateTime } from './date-time.ts';
import { useOffline } from './offline-context.tsx';

/**
 * Above a form that can be taken offline (the data-entry form, a review submission; issue 21): keep it on this device
 * or remove it; and, when the form shown is the device's copy, since when, and that what is saved waits to be sent.
 */
export function OfflineBar({
  copyOf,
  keptAt,
  onKeep,
  onForget,
}: {
  /** The form shown was read from this device, kept at this moment (no connection). */
  copyOf: string | null;
  /** When the form was last kept on this device (null: it is not). */
  keptAt: string | null;
  onKeep: () => Promise<void>;
  onForget: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const dateTime = useDateTime();
  const o = useOffline();
  const [busy, setBusy] = useState(false);
  if (!o.db) return null;
  const run = (f: () => Promise<void>) => async () => {
    setBusy(true);
    try {
      await f();
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="offline-bar card">
      {copyOf && (
        <p className="notice warn" role="status">
          <strong>{t('offline.savedCopy', { date: `\u2068${dateTime(copyOf)}\u2069` })}</strong>{' '}
          {t('offline.workingOffline')}
        </p>
      )}
      {keptAt ? (
        <p>
          {t('offline.keptSince', { date: `\u2068${dateTime(keptAt)}\u2069` })}{' '}
          <button type="button" className="secondary" disabled={busy} onClick={run(onForget)}>
            {t('offline.forget')}
          </button>
        </p>
      ) : (
        <p>
          <button type="button" className="secondary" disabled={busy || copyOf !== null} onClick={run(onKeep)}>
            {t('offline.keep')}
          </button>{' '}
          <span className="muted small">{t('offline.keepHint')}</span>
        </p>
      )}
      <p className="small">
        <Link to="/offline">{t('offline.pageLink')}</Link>
      </p>
    </div>
  );
}
