import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getJson } from '../../api/client.ts';
import type { Names } from '../../api/types.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { messageOf, useSession } from '../../app/session.tsx';
import { Empty, ErrorMessage, Loading } from '../../components/States.tsx';
import { TableScroll } from '../../components/TableScroll.tsx';
import { UserText } from '../../components/UserText.tsx';
import { localeTag } from '../../format/numbers.ts';
import { AssignmentTable } from '../reviews/ReviewsPage.tsx';
import type { AssignmentItem } from '../reviews/review-api.ts';
import { ValueHistory } from './ValueHistory.tsx';

/** A value in an inbox (packages/server/src/observations/approval-inbox.ts). */
export interface InboxItem {
  indicator: string;
  indicatorNames: Names;
  series: string;
  seriesNames: Names;
  place: string;
  placeNames: Names;
  period: string;
  dims: Record<string, string>;
  value: number;
  unit: string | null;
  unitNames: Names;
  source: string | null;
  sourceNames: Names;
  note: string | null;
  status: string;
  version: number;
  updatedAt: string;
  framework: string | null;
  previous: { period: string; value: number } | null;
  change: { absolute: number; relative: number | null; points: boolean } | null;
  returned: { action: 'sent-back' | 'reopened'; reason: string; by: string; at: string; open: boolean } | null;
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
  sentBack: number;
  awaitingCorrection: number;
  invitations: { pending: number; expired: number; items: InvitationItem[] };
  /** Review assignments awaiting the user's declaration or recommendation (issue 6). */
  reviews?: { count: number; items: AssignmentItem[] };
  items: {
    toValidate: InboxItem[];
    toApprove: InboxItem[];
    sentBack: InboxItem[];
    awaitingCorrection: InboxItem[];
    approved: InboxItem[];
  };
}

export function useInbox(enabled: boolean) {
  return useQuery({ queryKey: ['inbox'], enabled, queryFn: () => getJson<Inbox>('/inbox'), staleTime: 30_000 });
}

/** A name inside a sentence, isolated (FSI … PDI) so that its own direction cannot reorder the sentence around it. */
export const isolate = (text: string) => `\u2068${text}\u2069`;

/** Shortest and longest reason the server takes (approval-events.ts). */
const REASON_MIN = 5;
const REASON_MAX = 1000;

const keyOf = (i: InboxItem) => `${i.indicator}|${i.series}|${i.place}|${i.period}|${JSON.stringify(i.dims)}`;

type Action = 'validated' | 'approved' | 'send-back' | 'reopen';

/**
 * What waits for the signed-in user: values sent back to them (to correct in the entry form), values to validate
 * (or send back to their provider), to approve (or reopen), the latest approved (to reopen), and those waiting for
 * their provider's correction; invitations and review assignments.
 */
export function InboxPage() {
  const { t } = useTranslation();
  const { me, loading } = useSession();
  const { num } = usePrefs();
  const inbox = useInbox(!!me);
  // What the last action did: said at the top of the page, which takes the focus (the list it was chosen in may be
  // gone with its last value).
  const [done, setDone] = useState<{ text: string; at: number } | null>(null);
  const doneRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (done) doneRef.current?.focus();
  }, [done]);
  const onDone = (text: string) => setDone({ text, at: Date.now() });
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
  const d = inbox.data;
  return (
    <section className="inbox">
      <h1>{t('inbox.title')}</h1>
      <div aria-live="polite">
        {done && (
          <p key={done.at} ref={doneRef} tabIndex={-1} role="status" className="notice">
            {done.text}
          </p>
        )}
      </div>
      {inbox.isPending ? (
        <Loading />
      ) : inbox.error || !d ? (
        <ErrorMessage error={inbox.error} />
      ) : (
        <>
          {d.items.sentBack.length > 0 && (
            <section aria-labelledby="inbox-sent-back">
              <h2 id="inbox-sent-back">{t('inbox.sentBack', { n: num(d.sentBack, 0) })}</h2>
              <p className="muted">{t('inbox.sentBackIntro')}</p>
              <ValueTable items={d.items.sentBack} caption={t('inbox.sentBack', { n: num(d.sentBack, 0) })} correct />
            </section>
          )}
          <Queue
            id="inbox-validate"
            title={t('inbox.toValidate', { n: num(d.toValidate, 0) })}
            items={d.items.toValidate}
            actions={['validated', 'send-back']}
            onDone={onDone}
          />
          <Queue
            id="inbox-approve"
            title={t('inbox.toApprove', { n: num(d.toApprove, 0) })}
            items={d.items.toApprove}
            actions={['approved', 'reopen']}
            onDone={onDone}
          />
          {d.items.approved.length > 0 && (
            <Queue
              id="inbox-approved"
              title={t('inbox.approvedTitle')}
              intro={t('inbox.approvedIntro')}
              items={d.items.approved}
              actions={['reopen']}
              onDone={onDone}
            />
          )}
          {d.items.awaitingCorrection.length > 0 && (
            <section aria-labelledby="inbox-awaiting">
              <h2 id="inbox-awaiting">{t('inbox.awaiting', { n: num(d.awaitingCorrection, 0) })}</h2>
              <ValueTable
                items={d.items.awaitingCorrection}
                caption={t('inbox.awaiting', { n: num(d.awaitingCorrection, 0) })}
              />
            </section>
          )}
          {d.invitations.items.length > 0 && <Invitations items={d.invitations.items} />}
          {d.reviews && d.reviews.items.length > 0 && (
            <section className="reviews">
              <h2>{t('inbox.reviews', { n: num(d.reviews.count, 0) })}</h2>
              <AssignmentTable items={d.reviews.items} />
            </section>
          )}
        </>
      )}
    </section>
  );
}

/** A number with its sign ("+2", "−1.5"), in the reader's digits. */
function useSigned() {
  const { lang, digits } = usePrefs();
  return useMemo(() => {
    const f = new Intl.NumberFormat(localeTag(lang, digits), { maximumFractionDigits: 4, signDisplay: 'exceptZero' });
    const pct = new Intl.NumberFormat(localeTag(lang, digits), {
      style: 'percent',
      maximumFractionDigits: 1,
      signDisplay: 'exceptZero',
    });
    return { number: (v: number) => f.format(v), percent: (v: number) => pct.format(v) };
  }, [lang, digits]);
}

/** The values of a list, each with what the decision needs; `choose` adds a checkbox per value. */
function ValueTable({
  items,
  caption,
  choose,
  correct,
}: {
  items: InboxItem[];
  caption: string;
  choose?: { chosen: string[]; set(keys: string[]): void };
  correct?: boolean;
}) {
  const { t } = useTranslation();
  const { num, period, text, date } = usePrefs();
  const signed = useSigned();
  const unitOf = (i: InboxItem) => text(i.unitNames).text || i.unit || '';
  return (
    <TableScroll>
      <table className="data inbox-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {choose && (
              <th scope="col">
                <span className="visually-hidden">{t('inbox.choose')}</span>
              </th>
            )}
            <th scope="col">{t('table.indicator')}</th>
            <th scope="col">{t('table.place')}</th>
            <th scope="col">{t('table.period')}</th>
            <th scope="col">{t('table.value')}</th>
            <th scope="col">{t('inbox.previous')}</th>
            <th scope="col">{t('inbox.change')}</th>
            <th scope="col">{t('inbox.sourceNote')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((i) => {
            const k = keyOf(i);
            const unit = unitOf(i);
            const dims = Object.entries(i.dims);
            return (
              <tr key={k} className={i.returned?.open ? 'sent-back' : undefined}>
                {choose && (
                  <td className="inbox-choose">
                    <input
                      type="checkbox"
                      aria-label={t('inbox.chooseOne', { indicator: i.indicator, place: i.place, period: i.period })}
                      checked={choose.chosen.includes(k)}
                      onChange={(e) =>
                        choose.set(e.target.checked ? [...choose.chosen, k] : choose.chosen.filter((x) => x !== k))
                      }
                    />
                  </td>
                )}
                <td className="inbox-indicator">
                  <Link to="/indicators/$code" params={{ code: i.indicator }}>
                    <bdi dir="ltr">{i.indicator}</bdi>
                  </Link>{' '}
                  <UserText names={i.indicatorNames} />
                  <div className="small muted">
                    {/* The series by name where it is not the indicator's own (the default series often is). */}
                    {text(i.seriesNames).text && text(i.seriesNames).text !== text(i.indicatorNames).text ? (
                      <UserText names={i.seriesNames} fallbackText={i.series} />
                    ) : (
                      <bdi dir="ltr">{i.series}</bdi>
                    )}
                    {dims.length > 0 && (
                      <>
                        {' · '}
                        <bdi dir="ltr">{dims.map(([dim, v]) => `${dim}=${v}`).join(', ')}</bdi>
                      </>
                    )}
                  </div>
                  {i.returned && <Returned r={i.returned} />}
                  {correct && (
                    <p className="small">
                      <Link
                        to="/entry"
                        search={{
                          place: i.place,
                          period: i.period,
                          ...(i.framework ? { framework: i.framework } : {}),
                        }}
                      >
                        {t('inbox.correct', { indicator: i.indicator, period: period(i.period) })}
                      </Link>
                    </p>
                  )}
                  <ValueHistory item={i} />
                </td>
                <td data-label={t('table.place')}>
                  <UserText names={i.placeNames} fallbackText={i.place} />{' '}
                  <span className="small muted">
                    <bdi dir="ltr">{i.place}</bdi>
                  </span>
                </td>
                <td data-label={t('table.period')}>{period(i.period)}</td>
                <td className="num" data-label={t('table.value')}>
                  <bdi>{num(i.value, 4)}</bdi>
                  {unit && (
                    <div className="small muted" dir="auto">
                      {unit}
                    </div>
                  )}
                </td>
                <td className="num" data-label={t('inbox.previous')}>
                  {i.previous ? (
                    <>
                      <bdi>{num(i.previous.value, 4)}</bdi>
                      <div className="small muted">({period(i.previous.period)})</div>
                    </>
                  ) : (
                    <span className="muted">{t('inbox.noPrevious')}</span>
                  )}
                </td>
                <td className="num" data-label={t('inbox.change')}>
                  {i.change ? (
                    <>
                      <bdi>
                        {i.change.points
                          ? t('inbox.points', { n: signed.number(i.change.absolute) })
                          : signed.number(i.change.absolute)}
                      </bdi>
                      {i.change.relative !== null && (
                        <div className="small muted">
                          <bdi>{signed.percent(i.change.relative)}</bdi>
                        </div>
                      )}
                    </>
                  ) : (
                    '—'
                  )}
                </td>
                <td className="inbox-source" data-label={t('inbox.sourceNote')}>
                  {i.source && (
                    <div>
                      <span className="muted">{t('inbox.source')}</span>{' '}
                      <UserText names={i.sourceNames} fallbackText={i.source} />
                    </div>
                  )}
                  {i.note && (
                    <div>
                      <span className="muted">{t('inbox.note')}</span> <span dir="auto">{i.note}</span>
                    </div>
                  )}
                  {!i.source && !i.note && <span className="muted">—</span>}
                  <div className="small muted">{t('inbox.changedOn', { date: date(i.updatedAt) })}</div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableScroll>
  );
}

/** Why a value was sent back or reopened, by whom and when; whether it has been corrected since. */
function Returned({ r }: { r: NonNullable<InboxItem['returned']> }) {
  const { t } = useTranslation();
  const { date } = usePrefs();
  return (
    <div className={r.open ? 'returned' : 'returned corrected'}>
      <strong>
        {r.action === 'reopened'
          ? t('inbox.returned.reopened', { by: isolate(r.by), date: date(r.at) })
          : t('inbox.returned.sent-back', { by: isolate(r.by), date: date(r.at) })}
      </strong>
      <span className="reason" dir="auto">
        {r.reason}
      </span>
      {!r.open && <div className="small muted">{t('inbox.correctedSince')}</div>}
    </div>
  );
}

/** A list of values with checkboxes and its actions; sending back and reopening ask for the reason first. */
function Queue({
  id,
  title,
  intro,
  items,
  actions,
  onDone,
}: {
  id: string;
  title: string;
  intro?: string;
  items: InboxItem[];
  actions: Action[];
  /** Says what was done, at the top of the page. */
  onDone(text: string): void;
}) {
  const { t } = useTranslation();
  const { num } = usePrefs();
  const { send } = useSession();
  const client = useQueryClient();
  const [chosen, setChosen] = useState<string[]>([]);
  const [message, setMessage] = useState<{ text: string; lang?: string } | null>(null);
  const [asking, setAsking] = useState<'send-back' | 'reopen' | null>(null);
  const [busy, setBusy] = useState(false);
  const askButtons = useRef<Partial<Record<Action, HTMLButtonElement | null>>>({});
  // Only values still listed are sent (the list may have changed since they were chosen).
  const picked = items.filter((i) => chosen.includes(keyOf(i)));

  const submit = async (action: Action, reason?: string): Promise<string | null> => {
    setBusy(true);
    try {
      const res = await send('/observations/status', 'POST', {
        to: action === 'validated' || action === 'approved' ? action : 'provisional',
        ...(reason ? { reason } : {}),
        observations: picked.map((i) => ({
          indicator: i.indicator,
          series: i.series,
          place: i.place,
          period: i.period,
          dims: i.dims,
        })),
      });
      if (!res.ok) {
        const text = await messageOf(res);
        // A refusal of the reason is shown by its field, in the reader's language.
        if (reason !== undefined && /\breason\b/.test(text))
          return t('inbox.reasonInvalid', { min: num(REASON_MIN, 0) });
        setMessage({ text, lang: 'en' });
        return null;
      }
      const n = picked.length;
      onDone(
        action === 'send-back'
          ? t('inbox.sentBackDone', { n: num(n, 0) })
          : action === 'reopen'
            ? t('inbox.reopenedDone', { n: num(n, 0) })
            : t('inbox.done', { n: num(n, 0) }),
      );
      setChosen([]);
      setAsking(null);
      await client.invalidateQueries({ queryKey: ['inbox'] });
      return null;
    } finally {
      setBusy(false);
    }
  };

  const label: Record<Action, string> = {
    validated: t('inbox.validate'),
    approved: t('inbox.approve'),
    'send-back': t('inbox.sendBack'),
    reopen: t('inbox.reopen'),
  };
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {intro && <p className="muted">{intro}</p>}
      {items.length === 0 ? (
        <Empty>{t('inbox.nothing')}</Empty>
      ) : (
        <>
          <ValueTable items={items} caption={title} choose={{ chosen, set: setChosen }} />
          <p className="inbox-actions">
            {actions.map((a) => (
              <button
                key={a}
                type="button"
                ref={(el) => {
                  askButtons.current[a] = el;
                }}
                className={a === 'send-back' || a === 'reopen' ? 'secondary' : undefined}
                disabled={picked.length === 0 || busy}
                aria-expanded={a === 'send-back' || a === 'reopen' ? asking === a : undefined}
                onClick={() => {
                  setMessage(null);
                  if (a === 'send-back' || a === 'reopen') setAsking(a);
                  else void submit(a);
                }}
              >
                {label[a]} ({num(picked.length, 0)})
              </button>
            ))}
          </p>
          {asking && picked.length > 0 && (
            <ReasonForm
              action={asking}
              count={picked.length}
              busy={busy}
              onSubmit={(reason) => submit(asking, reason)}
              onCancel={() => {
                const back = askButtons.current[asking];
                setAsking(null);
                back?.focus();
              }}
            />
          )}
        </>
      )}
      {message && (
        <p role="alert" className="notice warn" dir="auto" lang={message.lang}>
          {message.text}
        </p>
      )}
    </section>
  );
}

/**
 * The reason for sending values back or reopening them, which their provider reads: the field takes the focus when
 * it opens; a reason too short or too long is said next to it (announced) and the field keeps the focus.
 */
function ReasonForm({
  action,
  count,
  busy,
  onSubmit,
  onCancel,
}: {
  action: 'send-back' | 'reopen';
  count: number;
  busy: boolean;
  onSubmit(reason: string): Promise<string | null>;
  onCancel(): void;
}) {
  const { t } = useTranslation();
  const { num } = usePrefs();
  const id = useId();
  const field = useRef<HTMLTextAreaElement>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    field.current?.focus();
  }, []);
  const refuse = (text: string) => {
    setError(text);
    field.current?.focus();
  };
  return (
    <form
      className="reason-form"
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        const r = reason.trim();
        if (r.length < REASON_MIN) return refuse(t('inbox.reasonInvalid', { min: num(REASON_MIN, 0) }));
        if (r.length > REASON_MAX) return refuse(t('inbox.reasonTooLong', { max: num(REASON_MAX, 0) }));
        const problem = await onSubmit(r);
        if (problem) refuse(problem);
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onCancel();
      }}
    >
      <label htmlFor={`${id}-reason`}>
        {action === 'send-back'
          ? t('inbox.reasonSendBack', { n: num(count, 0) })
          : t('inbox.reasonReopen', { n: num(count, 0) })}
      </label>
      <p id={`${id}-hint`} className="small muted">
        {t('inbox.reasonHint', { min: num(REASON_MIN, 0), max: num(REASON_MAX, 0) })}
      </p>
      <textarea
        id={`${id}-reason`}
        ref={field}
        dir="auto"
        rows={3}
        maxLength={REASON_MAX}
        required
        value={reason}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-hint ${id}-error` : `${id}-hint`}
        onChange={(e) => {
          setReason(e.target.value);
          if (error) setError(null);
        }}
      />
      <div id={`${id}-error`} className="field-error" role="alert">
        {error}
      </div>
      <p className="inbox-actions">
        <button type="submit" disabled={busy}>
          {action === 'send-back'
            ? t('inbox.confirmSendBack', { n: num(count, 0) })
            : t('inbox.confirmReopen', { n: num(count, 0) })}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          {t('inbox.cancel')}
        </button>
      </p>
    </form>
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
