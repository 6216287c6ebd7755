import { Link, useSearch } from '@tanstack/react-router';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { messageOf } from '../../app/session.tsx';

/** The page of an invitation or reset link: the user chooses a password. */
export function AcceptPage() {
  const { t } = useTranslation();
  const { token } = useSearch({ from: '/accept' });
  const id = useId();
  const [password, setPassword] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  if (!token)
    return (
      <section>
        <h1>{t('account.acceptTitle')}</h1>
        <p className="notice warn">{t('account.noToken')}</p>
      </section>
    );
  if (done)
    return (
      <section>
        <h1>{t('account.acceptTitle')}</h1>
        <p role="status">{t('account.passwordSet')}</p>
        <p>
          <Link to="/sign-in">{t('account.signIn')}</Link>
        </p>
      </section>
    );
  return (
    <section>
      <h1>{t('account.acceptTitle')}</h1>
      <p className="lead">{t('account.passwordRules')}</p>
      <form
        className="card"
        style={{ maxInlineSize: '28rem' }}
        onSubmit={async (e) => {
          e.preventDefault();
          setError(null);
          const res = await fetch('/api/v1/auth/accept', {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ token, password, ...(name ? { displayName: name } : {}) }),
          });
          if (!res.ok) {
            setError(await messageOf(res));
            return;
          }
          setDone(true);
        }}
      >
        <p>
          <label htmlFor={`${id}-name`}>{t('account.displayName')}</label>
          <br />
          <input
            id={`${id}-name`}
            type="text"
            dir="auto"
            autoComplete="name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            style={{ inlineSize: '100%' }}
          />
        </p>
        <p>
          <label htmlFor={`${id}-password`}>{t('account.newPassword')}</label>
          <br />
          <input
            id={`${id}-password`}
            type="password"
            autoComplete="new-password"
            required
            minLength={12}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            style={{ inlineSize: '100%' }}
          />
        </p>
        {error && (
          <p role="alert" className="notice warn" dir="auto">
            {error}
          </p>
        )}
        <button type="submit">{t('account.setPassword')}</button>
      </form>
    </section>
  );
}
