import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getJson } from '../../api/client.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { messageOf, useSession } from '../../app/session.tsx';

const SCOPES = [
  'observations:write',
  'observations:read-unpublished',
  'catalogue:write',
  'places:write',
  'admin',
] as const;
interface TokenRow {
  id: number;
  name: string;
  scopes: string[];
  expiresAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** API tokens for machine clients (a national statistics system, the CLI): created here, shown once. */
export function TokensSection() {
  const { t } = useTranslation();
  const { date } = usePrefs();
  const { send } = useSession();
  const client = useQueryClient();
  const id = useId();
  const tokens = useQuery({ queryKey: ['tokens'], queryFn: () => getJson<{ items: TokenRow[] }>('/tokens') });
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>(['observations:write']);
  const [days, setDays] = useState(90);
  const [created, setCreated] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('tokens.title')}</h2>
      <p className="lead">{t('tokens.intro')}</p>
      <form
        className="card"
        style={{ maxInlineSize: '36rem' }}
        onSubmit={async (e) => {
          e.preventDefault();
          setError(null);
          const res = await send('/tokens', 'POST', { name, scopes, expiresInDays: days });
          if (!res.ok) {
            setError(await messageOf(res));
            return;
          }
          setCreated(((await res.json()) as { token: string }).token);
          setName('');
          await client.invalidateQueries({ queryKey: ['tokens'] });
        }}
      >
        <p>
          <label htmlFor={`${id}-name`}>{t('tokens.name')}</label>
          <br />
          <input
            id={`${id}-name`}
            type="text"
            dir="auto"
            required
            value={name}
            onChange={(e) => setName(e.target.value)}
            style={{ inlineSize: '100%' }}
          />
        </p>
        <fieldset>
          <legend>{t('tokens.scopes')}</legend>
          <div className="checks">
            {SCOPES.map((s) => (
              <label key={s}>
                <input
                  type="checkbox"
                  checked={scopes.includes(s)}
                  onChange={(e) => setScopes(e.target.checked ? [...scopes, s] : scopes.filter((x) => x !== s))}
                />{' '}
                <code>{s}</code>
              </label>
            ))}
          </div>
        </fieldset>
        <p>
          <label htmlFor={`${id}-days`}>{t('tokens.days')}</label>{' '}
          <input
            id={`${id}-days`}
            type="number"
            min={1}
            max={365}
            value={days}
            onChange={(e) => setDays(Number(e.target.value))}
            style={{ inlineSize: '6rem' }}
          />
        </p>
        {error && (
          <p role="alert" className="notice warn" dir="auto">
            {error}
          </p>
        )}
        <button type="submit">{t('tokens.create')}</button>
      </form>
      {created && (
        <div className="notice" role="status">
          <p>{t('tokens.shownOnce')}</p>
          <p>
            <code dir="ltr" style={{ wordBreak: 'break-all' }}>
              {created}
            </code>
          </p>
        </div>
      )}
      {tokens.data && tokens.data.items.length > 0 && (
        <table className="data">
          <caption>{t('tokens.yours')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('tokens.name')}</th>
              <th scope="col">{t('tokens.scopes')}</th>
              <th scope="col">{t('tokens.expires')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('tokens.revoke')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.data.items.map((tk) => (
              <tr key={tk.id}>
                <th scope="row" dir="auto">
                  {tk.name}
                </th>
                <td>
                  {tk.scopes.map((s) => (
                    <code key={s} style={{ marginInlineEnd: '0.4rem' }}>
                      {s}
                    </code>
                  ))}
                </td>
                <td>{tk.revokedAt ? t('tokens.revoked') : date(tk.expiresAt)}</td>
                <td>
                  {!tk.revokedAt && (
                    <button
                      type="button"
                      className="secondary"
                      aria-label={t('tokens.revokeNamed', { name: tk.name })}
                      onClick={async () => {
                        await send(`/tokens/${tk.id}`, 'DELETE');
                        await client.invalidateQueries({ queryKey: ['tokens'] });
                      }}
                    >
                      {t('tokens.revoke')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
