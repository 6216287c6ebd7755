import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getJson } from '../../api/client.ts';
import type { Page } from '../../api/types.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { useSession } from '../../app/session.tsx';
import { AdminShell, Loaded } from './AdminShell.tsx';
import { TOKEN_STATES, tokenStateLabel, type UserToken } from './admin-api.ts';
import { Field } from './forms.tsx';
import { Pager } from './Pager.tsx';
import { TokenTable } from './TokenTable.tsx';

const LIMIT = 50;

/** Every user's API tokens, for administrators: find one (a leaked one) and revoke it. */
export function TokensAdminPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const { num } = usePrefs();
  const id = useId();
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const [state, setState] = useState('active');
  const [offset, setOffset] = useState(0);
  useEffect(() => {
    const h = setTimeout(() => {
      setQ(text.trim());
      setOffset(0);
    }, 250);
    return () => clearTimeout(h);
  }, [text]);
  const tokens = useQuery({
    queryKey: ['admin', 'tokens', { q, state, offset }],
    enabled: !!me,
    placeholderData: keepPreviousData,
    queryFn: () => getJson<Page<UserToken>>('/users/tokens', { q, state, limit: LIMIT, offset }),
  });
  return (
    <AdminShell title={t('admin.tokens.title')}>
      <p className="lead">{t('admin.tokens.intro')}</p>
      <Loaded q={tokens}>
        {(page) => (
          <>
            <form
              className="filters"
              role="search"
              aria-label={t('admin.tokens.title')}
              onSubmit={(e) => e.preventDefault()}
            >
              <Field id={`${id}-q`} label={t('admin.tokens.search')}>
                <input id={`${id}-q`} type="search" dir="auto" value={text} onChange={(e) => setText(e.target.value)} />
              </Field>
              <Field id={`${id}-state`} label={t('admin.tokens.state')}>
                <select
                  id={`${id}-state`}
                  value={state}
                  onChange={(e) => {
                    setState(e.target.value);
                    setOffset(0);
                  }}
                >
                  <option value="">{t('admin.any')}</option>
                  {TOKEN_STATES.map((s) => (
                    <option key={s} value={s}>
                      {tokenStateLabel(t, s)}
                    </option>
                  ))}
                </select>
              </Field>
            </form>
            <p aria-live="polite" className="small muted">
              {t('admin.tokens.found', { n: num(page.total, 0) })}
            </p>
            <TokenTable items={page.items} showUser caption={t('admin.tokens.title')} />
            <Pager total={page.total} limit={LIMIT} offset={offset} onOffset={setOffset} />
          </>
        )}
      </Loaded>
    </AdminShell>
  );
}
