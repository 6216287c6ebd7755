import type { Questionnaire } from '@marsad/core';
import { Link } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePrefs } from '../app/prefs.tsx';
import { useSession } from '../app/session.tsx';
import { Loading } from '../components/States.tsx';
import { type EntryProblem, problemText } from '../pages/entry/entry-problems.ts';
import { labelOfPath } from '../pages/reviews/QuestionnaireForm.tsx';
import { useDateTime } from './date-time.ts';
import { useOffline } from './offline-context.tsx';
import type { ConflictItem, QueueItem, SavedForm, SavedSubmission } from './offline-db.ts';
import { choiceKey, choose } from './sync-queue.ts';

/** Refusal codes the app says in words; another code is shown with the server's message. */
const REFUSALS: Record<string, string> = {
  forbidden: 'offline.refused.forbidden',
  invalid_entries: 'offline.refused.invalid_entries',
  read_only: 'offline.refused.read_only',
  not_found: 'offline.refused.not_found',
  bad_request: 'offline.refused.bad_request',
  key_reused: 'offline.refused.key_reused',
};

/** What an answer or a value is, shown as text (a repeat's answers as a count). */
function shown(v: unknown, num: (n: number, f?: number) => string): string {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'number') return num(v, 6);
  if (Array.isArray(v)) return v.every((x) => typeof x === 'string') ? v.join(', ') : `[${num(v.length, 0)}]`;
  if (typeof v === 'object' && 'value' in (v as object)) return shown((v as { value: unknown }).value, num);
  return String(v);
}

/**
 * The work kept on this device (issue 21): changes waiting to be sent, with a button to send them now; conflicts, each
 * item side by side — mine and the server's — with a choice per item; refusals with their reason; and what is kept
 * for offline use.
 */
export function OfflinePage() {
  const { t } = useTranslation();
  const { num, lang } = usePrefs();
  const { me, loading } = useSession();
  const o = useOffline();
  const dateTime = useDateTime();
  const [forms, setForms] = useState<SavedForm[]>([]);
  const [subs, setSubs] = useState<SavedSubmission[]>([]);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: read again whenever the queue changes
  useEffect(() => {
    if (!o.db) return;
    void o.db.getAll('forms').then(setForms);
    void o.db.getAll('submissions').then(setSubs);
  }, [o.db, o.items]);

  if (loading) return <Loading />;
  if (!me)
    return (
      <section>
        <h1>{t('offline.title')}</h1>
        <p>
          <Link to="/sign-in">{t('offline.signIn')}</Link>
        </p>
      </section>
    );
  const waiting = o.items.filter((i) => i.state === 'waiting');
  const conflicts = o.items.filter((i) => i.state === 'conflict');
  const refused = o.items.filter((i) => i.state === 'refused');
  const questionnaireOf = (id: number) => subs.find((s) => s.id === id)?.definition as Questionnaire | undefined;

  const sync = async () => {
    setMessage(null);
    const out = await o.syncNow();
    if (!out) return;
    setMessage(
      out.stopped === 'offline'
        ? { ok: false, text: t('offline.sync.stillOffline') }
        : out.stopped
          ? { ok: false, text: t('offline.sync.failed', { message: out.stopped }) }
          : {
              ok: true,
              text: t('offline.sync.done', {
                accepted: num(out.accepted, 0),
                conflicts: num(out.conflicts, 0),
                refused: num(out.refused, 0),
              }),
            },
    );
  };

  const originText = (item: QueueItem) =>
    item.change.kind === 'entry'
      ? t('offline.item.entry', { place: item.change.place, period: item.change.period })
      : t('offline.item.answers', { id: num(item.change.submission, 0) });

  const lineOf = (item: QueueItem, c: ConflictItem) => {
    if (item.change.kind === 'entry') {
      const e = item.change.entries[c.index ?? -1];
      if (!e) return '';
      const dims = Object.entries(e.dims ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join(', ');
      return `${e.indicator}${e.series ? ` ${e.series}` : ''}${dims ? ` (${dims})` : ''}`;
    }
    const q = questionnaireOf(item.change.submission);
    return q ? labelOfPath(q, c.name ?? '', lang, t('reviews.form.other')) : (c.name ?? '');
  };
  const mineOf = (item: QueueItem, c: ConflictItem) =>
    item.change.kind === 'entry'
      ? item.change.entries[c.index ?? -1]?.value
      : item.change.items.find((i) => i.name === c.name)?.value;

  const refusalText = (item: QueueItem) => {
    const r = item.refusal!;
    const head = Object.hasOwn(REFUSALS, r.code) ? t(REFUSALS[r.code]!) : r.message;
    const errors = (r.details as { errors?: EntryProblem[] } | undefined)?.errors ?? [];
    const lines = errors.map((e) => {
      const entry = item.change.kind === 'entry' && e.index !== null ? item.change.entries[e.index] : undefined;
      return `${entry ? `${entry.indicator}: ` : ''}${problemText(t, num, e)}`;
    });
    return [head, ...lines].join(' ');
  };

  return (
    <section className="offline-page">
      <h1>{t('offline.title')}</h1>
      <p className="muted">{t('offline.intro')}</p>
      {/* Not a live region: it is there from the start (the walk of pages takes a status for a page still loading). */}
      <p className="offline-state">
        {o.online ? t('offline.online') : <strong>{t('offline.offlineNow')}</strong>}{' '}
        {o.lastSync ? t('offline.lastSync', { date: `\u2068${dateTime(o.lastSync)}\u2069` }) : t('offline.neverSynced')}
      </p>
      <div className="form-actions">
        <button type="button" disabled={!o.online || o.syncing || !waiting.length} onClick={() => void sync()}>
          {o.syncing ? t('offline.sync.sending') : t('offline.sync.button', { n: num(waiting.length, 0) })}
        </button>
      </div>
      {message && (
        <p role={message.ok ? 'status' : 'alert'} className={message.ok ? 'notice' : 'notice warn'}>
          {message.text}
        </p>
      )}

      <h2>{t('offline.waitingTitle', { n: num(waiting.length, 0) })}</h2>
      {waiting.length ? (
        <ul className="offline-list">
          {waiting.map((i) => (
            <li key={i.seq}>
              {originText(i)} —{' '}
              {t('offline.item.count', {
                n: num(i.change.kind === 'entry' ? i.change.entries.length : i.change.items.length, 0),
              })}{' '}
              <span className="muted small">{dateTime(i.createdAt)}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">{t('offline.nothingWaiting')}</p>
      )}

      {conflicts.length > 0 && (
        <>
          <h2>{t('offline.conflictsTitle', { n: num(conflicts.length, 0) })}</h2>
          <p>{t('offline.conflictsIntro')}</p>
          {conflicts.map((item) => (
            <div key={item.seq} className="card offline-conflict">
              <h3>{originText(item)}</h3>
              <div className="table-scroll">
                <table className="data">
                  <caption className="visually-hidden">
                    {t('offline.conflictCaption', { item: originText(item) })}
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('offline.col.item')}</th>
                      <th scope="col">{t('offline.col.mine')}</th>
                      <th scope="col">{t('offline.col.server')}</th>
                      <th scope="col">{t('offline.col.choice')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {(item.conflicts ?? []).map((c) => {
                      const k = choiceKey(c);
                      const chosen = item.choices?.[k];
                      const label = lineOf(item, c);
                      return (
                        <tr key={k}>
                          <th scope="row" dir="auto">
                            {label}
                          </th>
                          <td dir="auto">{shown(mineOf(item, c), num)}</td>
                          <td dir="auto">{shown(c.server, num)}</td>
                          <td>
                            <div className="form-actions">
                              <button
                                type="button"
                                className={chosen === 'mine' ? undefined : 'secondary'}
                                aria-pressed={chosen === 'mine'}
                                onClick={() => void choose(o.db!, item.seq!, k, 'mine').then(o.reload)}
                                aria-label={t('offline.keepMineFor', { item: label })}
                              >
                                {t('offline.keepMine')}
                              </button>
                              <button
                                type="button"
                                className={chosen === 'server' ? undefined : 'secondary'}
                                aria-pressed={chosen === 'server'}
                                onClick={() => void choose(o.db!, item.seq!, k, 'server').then(o.reload)}
                                aria-label={t('offline.keepServerFor', { item: label })}
                              >
                                {t('offline.keepServer')}
                              </button>
                            </div>
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            </div>
          ))}
        </>
      )}

      {refused.length > 0 && (
        <>
          <h2>{t('offline.refusedTitle', { n: num(refused.length, 0) })}</h2>
          <ul className="offline-list">
            {refused.map((item) => (
              <li key={item.seq} className="offline-refused">
                <strong>{originText(item)}</strong>: <span dir="auto">{refusalText(item)}</span>{' '}
                <button
                  type="button"
                  className="secondary"
                  onClick={() => void o.db!.delete('queue', item.seq!).then(o.reload)}
                >
                  {t('offline.remove')}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}

      <h2>{t('offline.savedTitle')}</h2>
      {forms.length + subs.length === 0 ? (
        <p className="muted">{t('offline.nothingSaved')}</p>
      ) : (
        <ul className="offline-list">
          {forms.map((f) => {
            const [place, period, framework] = f.key.split('|');
            return (
              <li key={f.key}>
                <Link to="/entry" search={{ place, period, framework: framework || undefined }}>
                  {t('offline.item.entry', { place: place ?? '', period: period ?? '' })}
                </Link>{' '}
                <span className="muted small">
                  {t('offline.savedAt', { date: `\u2068${dateTime(f.savedAt)}\u2069` })}
                </span>
              </li>
            );
          })}
          {subs.map((s) => (
            <li key={s.id}>
              <Link to="/reviews/submissions/$id" params={{ id: String(s.id) }}>
                {t('offline.item.answers', { id: num(s.id, 0) })}
              </Link>{' '}
              <span className="muted small">
                {t('offline.savedAt', { date: `\u2068${dateTime(s.savedAt)}\u2069` })}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
