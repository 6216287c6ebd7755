import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getJson } from '../../api/client.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { messageOf, useSession } from '../../app/session.tsx';
import { Empty, ErrorMessage, Loading } from '../../components/States.tsx';
import { TableScroll } from '../../components/TableScroll.tsx';
import { AssignmentTable } from '../reviews/ReviewsPage.tsx';
import type { AssignmentItem } from '../reviews/review-api.ts';

export interface InboxItem {
  indicator: string;
  series: string;
  place: string;
  period: string;
  dims: Record<string, string>;
  value: number;
  status: string;
  version: number;
}
export interface InvitationItem {
  userId: number;
  email: string;
  invitedAt: string;
  expiresAt: string | null;
  expired: boolean;
}
export interface Inbox {
  toValidate: number;
  toApprove: number;
  invitations: { pending: number; expired: number; items: InvitationItem[] };
  /** Review assignments awaiting the user's declaration or recommendation (issue 6). */
  reviews?: { count: number; items: AssignmentItem[] };
  items: { toValidate: InboxItem[]; toApprove: InboxItem[] };
}

export function useInbox(enabled: boolean) {
  return useQuery({ queryKey: ['inbox'], enabled, queryFn: () => getJson<Inbox>('/inbox'), staleTime: 30_000 });
}

const keyOf = (i: InboxItem) => `${i.indicator}|${i.series}|${i.place}|${i.period}|${JSON.stringify(i.dims)}`;

/** What waits for the signed-in user: values to validate and values to approve. */
export function InboxPage() {
  const { t } = useTranslation();
  const { me, loading } = useSession();
  const { num } = usePrefs();
  const inbox = useInbox(!!me);
  if (loading) return <Loading />;
  if (!me)
    return (
      <section>
        <h1>{t('inbox.title')}</h1>
        <p>
          <Link to="/sign-in">{t('inbox.signIn')}</Link>
        </p>
      </section>
    );
  return (
    <section>
      <h1>{t('inbox.title')}</h1>
      {inbox.isPending ? (
        <Loading />
      ) : inbox.error ? (
        <ErrorMessage error={inbox.error} />
      ) : (
        <>
          <Queue
            title={t('inbox.toValidate', { n: num(inbox.data.toValidate, 0) })}
            items={inbox.data.items.toValidate}
            to="validated"
            action={t('inbox.validate')}
          />
          <Queue
            title={t('inbox.toApprove', { n: num(inbox.data.toApprove, 0) })}
            items={inbox.data.items.toApprove}
            to="approved"
            action={t('inbox.approve')}
          />
          {inbox.data.invitations.items.length > 0 && <Invitations items={inbox.data.invitations.items} />}
          {inbox.data.reviews && inbox.data.reviews.items.length > 0 && (
            <section className="reviews">
              <h2>{t('inbox.reviews', { n: num(inbox.data.reviews.count, 0) })}</h2>
              <AssignmentTable items={inbox.data.reviews.items} />
            </section>
          )}
        </>
      )}
    </section>
  );
}

function Queue({
  title,
  items,
  to,
  action,
}: {
  title: string;
  items: InboxItem[];
  to: 'validated' | 'approved';
  action: string;
}) {
  const { t } = useTranslation();
  const { num, period } = usePrefs();
  const { send } = useSession();
  const client = useQueryClient();
  const [chosen, setChosen] = useState<string[]>([]);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const picked = items.filter((i) => chosen.includes(keyOf(i)));
  return (
    <section>
      <h2>{title}</h2>
      {items.length === 0 ? (
        <Empty>{t('inbox.nothing')}</Empty>
      ) : (
        <>
          <TableScroll>
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">
                    <span className="visually-hidden">{t('inbox.choose')}</span>
                  </th>
                  <th scope="col">{t('table.indicator')}</th>
                  <th scope="col">{t('table.place')}</th>
                  <th scope="col">{t('table.period')}</th>
                  <th scope="col">{t('table.value')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((i) => {
                  const k = keyOf(i);
                  return (
                    <tr key={k}>
                      <td>
                        <input
                          type="checkbox"
                          aria-label={t('inbox.chooseOne', {
                            indicator: i.indicator,
                            place: i.place,
                            period: i.period,
                          })}
                          checked={chosen.includes(k)}
                          onChange={(e) => setChosen(e.target.checked ? [...chosen, k] : chosen.filter((x) => x !== k))}
                        />
                      </td>
                      <td>
                        <Link to="/indicators/$code" params={{ code: i.indicator }}>
                          {i.indicator}
                        </Link>{' '}
                        <span className="small muted">{i.series}</span>
                        {Object.keys(i.dims).length > 0 && (
                          <div className="small muted">
                            {Object.entries(i.dims)
                              .map(([d, v]) => `${d}=${v}`)
                              .join(', ')}
                          </div>
                        )}
                      </td>
                      <td>
                        <Link to="/places/$code" params={{ code: i.place }}>
                          {i.place}
                        </Link>
                      </td>
                      <td>{period(i.period)}</td>
                      <td className="num">{num(i.value, 4)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </TableScroll>
          <p>
            <button
              type="button"
              disabled={picked.length === 0}
              onClick={async () => {
                const res = await send('/observations/status', 'POST', {
                  to,
                  observations: picked.map((i) => ({
                    indicator: i.indicator,
                    series: i.series,
                    place: i.place,
                    period: i.period,
                    dims: i.dims,
                  })),
                });
                setMessage(
                  res.ok
                    ? { ok: true, text: t('inbox.done', { n: num(picked.length, 0) }) }
                    : { ok: false, text: await messageOf(res) },
                );
                setChosen([]);
                await client.invalidateQueries({ queryKey: ['inbox'] });
              }}
            >
              {action} ({num(picked.length, 0)})
            </button>
          </p>
        </>
      )}
      {message && (
        <p role={message.ok ? 'status' : 'alert'} className={message.ok ? 'notice' : 'notice warn'} dir="auto">
          {message.text}
        </p>
      )}
    </section>
  );
}

/** Administrators: invitations not yet accepted; an expired one needs a new link from the user's page. */
function Invitations({ items }: { items: InvitationItem[] }) {
  const { t } = useTranslation();
  const { num, date } = usePrefs();
  return (
    <section>
      <h2>{t('inbox.invitations', { n: num(items.length, 0) })}</h2>
      <TableScroll>
        <table className="data">
          <thead>
            <tr>
              <th scope="col">{t('inbox.invitee')}</th>
              <th scope="col">{t('inbox.invitedAt')}</th>
              <th scope="col">{t('inbox.invitationState')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((i) => (
              <tr key={i.userId}>
                <td>
                  <Link to="/admin/users/$id" params={{ id: String(i.userId) }} dir="ltr">
                    {i.email}
                  </Link>
                </td>
                <td>{date(i.invitedAt)}</td>
                <td>
                  {i.expired ? (
                    <strong>{t('inbox.invitationExpired')}</strong>
                  ) : (
                    t('inbox.invitationPending', { date: i.expiresAt ? date(i.expiresAt) : '—' })
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </section>
  );
}
