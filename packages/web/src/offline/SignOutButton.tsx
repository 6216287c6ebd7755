import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePrefs } from '../app/prefs.tsx';
import { useSession } from '../app/session.tsx';
import { useOffline } from './offline-context.tsx';

/**
 * Signing out (issue 21): with changes still on this device, the user is asked first — send them and sign out, or
 * sign out and delete them, or stay. Whatever the choice, signing out removes the user's offline data from the device.
 */
export function SignOutButton() {
  const { t } = useTranslation();
  const { num } = usePrefs();
  const { send, refresh } = useSession();
  const offline = useOffline();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const pending = offline.items.length;

  const signOut = async () => {
    setBusy(true);
    try {
      await send('/auth/logout', 'POST').catch(() => undefined);
      await offline.clear();
      await refresh();
    } finally {
      setBusy(false);
    }
  };
  const syncThenSignOut = async () => {
    setBusy(true);
    setProblem(null);
    try {
      const out = await offline.syncNow();
      const left = out && !out.stopped && !out.conflicts && !out.refused;
      if (!left) {
        setProblem(out?.stopped === 'offline' ? t('offline.signOut.stillOffline') : t('offline.signOut.notAllSent'));
        return;
      }
    } finally {
      setBusy(false);
    }
    await signOut();
  };

  if (!asking || pending === 0)
    return (
      <button type="button" disabled={busy} onClick={() => (pending ? setAsking(true) : void signOut())}>
        {t('account.signOut')}
      </button>
    );
  return (
    <div className="card offline-sign-out" role="group" aria-labelledby="offline-sign-out-title">
      <p id="offline-sign-out-title">
        <strong>{t('offline.signOut.question', { n: num(pending, 0), count: pending })}</strong>
      </p>
      <p className="muted">{t('offline.signOut.explain')}</p>
      {problem && (
        <p role="alert" className="notice warn">
          {problem}
        </p>
      )}
      <div className="form-actions">
        <button type="button" disabled={busy || !offline.online} onClick={() => void syncThenSignOut()}>
          {t('offline.signOut.syncFirst')}
        </button>
        <button type="button" className="secondary" disabled={busy} onClick={() => void signOut()}>
          {t('offline.signOut.discard')}
        </button>
        <button type="button" className="secondary" disabled={busy} onClick={() => setAsking(false)}>
          {t('offline.signOut.cancel')}
        </button>
      </div>
    </div>
  );
}
