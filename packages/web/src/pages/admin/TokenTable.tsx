import { useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePrefs } from '../../app/prefs.tsx';
import { useSession } from '../../app/session.tsx';
import { Empty } from '../../components/States.tsx';
import { TableScroll } from '../../components/TableScroll.tsx';
import { problemsOf, type Shown, tokenStateLabel, type UserToken } from './admin-api.ts';
import { ConfirmBox, Done, FormProblems } from './forms.tsx';

/** API tokens of any user, for administrators: what they allow, when they were used, revoke. */
export function TokenTable({ items, showUser, caption }: { items: UserToken[]; showUser: boolean; caption: string }) {
  const { t } = useTranslation();
  const { date } = usePrefs();
  const { send } = useSession();
  const client = useQueryClient();
  const [asking, setAsking] = useState<UserToken | null>(null);
  const [problems, setProblems] = useState<Shown[]>([]);
  const [done, setDone] = useState<string | null>(null);
  const buttons = useRef(new Map<number, HTMLButtonElement>());
  return (
    <>
      {items.length === 0 ? (
        <Empty>{t('admin.tokens.none')}</Empty>
      ) : (
        <TableScroll>
          <table className="data">
            <caption className="visually-hidden">{caption}</caption>
            <thead>
              <tr>
                {showUser && <th scope="col">{t('admin.tokens.user')}</th>}
                <th scope="col">{t('tokens.name')}</th>
                <th scope="col">{t('tokens.scopes')}</th>
                <th scope="col">{t('admin.tokens.state')}</th>
                <th scope="col">{t('admin.tokens.created')}</th>
                <th scope="col">{t('admin.tokens.lastUsed')}</th>
                <th scope="col">{t('tokens.expires')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('tokens.revoke')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((tk) => (
                <tr key={tk.id}>
                  {showUser && (
                    <td>
                      <Link to="/admin/users/$id" params={{ id: String(tk.user.id) }}>
                        <span dir="auto">{tk.user.displayName ?? tk.user.email}</span>
                      </Link>
                    </td>
                  )}
                  <th scope="row" dir="auto">
                    {tk.name}
                  </th>
                  <td>
                    {tk.scopes.map((s) => (
                      <span key={s}>
                        <code className="scope">{s}</code>{' '}
                      </span>
                    ))}
                  </td>
                  <td>
                    <span className={`tag token-${tk.state}`}>{tokenStateLabel(t, tk.state)}</span>
                  </td>
                  <td>{date(tk.createdAt)}</td>
                  <td>
                    {tk.lastUsedAt ? date(tk.lastUsedAt) : <span className="muted">{t('admin.users.never')}</span>}
                  </td>
                  <td>{tk.revokedAt ? date(tk.revokedAt) : date(tk.expiresAt)}</td>
                  <td>
                    {tk.state === 'active' && (
                      <button
                        ref={(el) => {
                          if (el) buttons.current.set(tk.id, el);
                          else buttons.current.delete(tk.id);
                        }}
                        type="button"
                        className="secondary"
                        aria-label={t('tokens.revokeNamed', { name: tk.name })}
                        onClick={() => {
                          setDone(null);
                          setProblems([]);
                          setAsking(tk);
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
        </TableScroll>
      )}
      {asking && (
        <ConfirmBox
          text={t('admin.tokens.revokeConfirm', { name: asking.name })}
          yes={t('tokens.revoke')}
          onNo={() => {
            const b = buttons.current.get(asking.id);
            setAsking(null);
            setTimeout(() => b?.focus(), 0);
          }}
          onYes={async () => {
            const tk = asking;
            setAsking(null);
            const res = await send(`/tokens/${tk.id}`, 'DELETE');
            if (!res.ok) {
              setProblems(await problemsOf(res, t));
              return;
            }
            setDone(t('admin.tokens.revokedOne', { name: tk.name }));
            await client.invalidateQueries({ queryKey: ['admin', 'tokens'] });
          }}
        />
      )}
      <FormProblems problems={problems} />
      {done && <Done focus>{done}</Done>}
    </>
  );
}
