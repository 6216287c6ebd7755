import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDateTime } from './date-time.ts';
import { savedCopyDate } from './register-worker.ts';

/** "Saved copy of <date>" on a page the service worker served from its cache, without a connection (issue 21). */
export function SavedCopyBanner() {
  const { t } = useTranslation();
  const dateTime = useDateTime();
  // Read after the first drawing: the server's drawing of the page has no such mark.
  const [kept, setKept] = useState<string | null>(null);
  useEffect(() => setKept(savedCopyDate()), []);
  if (!kept) return null;
  return (
    <p className="notice warn saved-copy-banner" role="status">
      {t('offline.savedCopy', { date: `\u2068${dateTime(kept)}\u2069` })} {t('offline.savedCopyPage')}
    </p>
  );
}
