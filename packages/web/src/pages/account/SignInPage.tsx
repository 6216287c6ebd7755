import { Link, useNavigate } from '@tanstack/react-router';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePrefs } from '../../app/prefs.tsx';
import { messageOf, useSession } from '../../app/session.tsx';
import { localeTag } from '../../format/numbers.ts';
import { SignOutButton } from '../../offline/SignOutButton.tsx';
import { TokensSection } from './TokensSection.tsx';

interface TooMany {
  details?: { scope?: 'account' | 'address'; retryAt?: string };
}

export function SignInPage() {
  const { t } = useTranslation();
  const { me, refresh } = useSession();
  const { lang, digits } = usePrefs();
  const navigate = useNavigate();
  const id = useId();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (me) {
    return (
      <section>
        <h1>{t('account.signedInTitle')}</h1>
        <p>{t('account.signedInAs', { email: me.user.email })}</p>
        <SignOutButton />
        {me.roles.some((r) => r.role === 'national-focal-point' || r.role === 'city-focal-point') &&
          !me.roles.some((r) => r.role === 'administrator') && (
            <p>
              <Link to="/admin/places">{t('account.managePlaces')}</Link>
            </p>
          )}
        <TokensSection />
      </section>
    );
  }
  return (
    <section>
      <h1>{t('account.signInTitle')}</h1>
      <form
        className="card"
        style={{ maxInlineSize: '28rem' }}
        onSubmit={async (e) => {
          e.preventDefault();
          setBusy(true);
          setError(null);
          const res = await fetch('/api/v1/auth/login', {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ email, password }),
          });
          setBusy(false);
          if (res.status === 429) {
            // Too many failed sign-ins: when to try again, in the reader's language and time zone.
            const body = (await res
              .clone()
              .json()
              .catch(() => null)) as TooMany | null;
            const at = new Date(body?.details?.retryAt ?? '');
            if (!Number.isNaN(at.getTime())) {
              const time = new Intl.DateTimeFormat(localeTag(lang, digits), { timeStyle: 'medium' }).format(at);
              setError(
                t(body?.details?.scope === 'address' ? 'account.tooManyFromAddress' : 'account.tooManyForAccount', {
                  time,
                }),
              );
              return;
            }
          }
          if (!res.ok) {
            setError(await messageOf(res));
            return;
          }
          await refresh();
          void navigate({ to: '/' });
        }}
      >
        <p>
          <label htmlFor={`${id}-email`}>{t('account.email')}</label>
          <br />
          <input
            id={`${id}-email`}
            type="email"
            dir="ltr"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            style={{ inlineSize: '100%' }}
          />
        </p>
        <p>
          <label htmlFor={`${id}-password`}>{t('account.password')}</label>
          <br />
          <input
            id={`${id}-password`}
            type="password"
            autoComplete="current-password"
            required
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
        <button type="submit" disabled={busy}>
          {t('account.signIn')}
        </button>
      </form>
    </section>
  );
}
