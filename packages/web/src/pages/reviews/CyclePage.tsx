import { REVIEW_STATES } from '@marsad/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getJson } from '../../api/client.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { messageOf, useSession } from '../../app/session.tsx';
import { Breadcrumbs } from '../../components/Breadcrumbs.tsx';
import { ErrorMessage, Loading } from '../../components/States.tsx';
import { TableScroll } from '../../components/TableScroll.tsx';
import { UserText } from '../../components/UserText.tsx';
import { type PickedPlace, PlacePicker } from '../admin/PlacePicker.tsx';
import { type Cycle, kindLabel, stateLabel } from './review-api.ts';
import { StateBadge } from './review-kit.tsx';

/** Administrators: a cycle — its facts, questionnaire, participants with the state of each submission, invitations. */
export function CyclePage() {
  const { t } = useTranslation();
  const { id } = useParams({ strict: false }) as { id: string };
  const { me, loading, send } = useSession();
  const { date, num, text } = usePrefs();
  const client = useQueryClient();
  const cycle = useQuery({
    queryKey: ['review-cycle', id],
    enabled: !!me,
    retry: false,
    queryFn: () => getJson<Cycle>(`/review-cycles/${id}`),
  });
  const [picked, setPicked] = useState<PickedPlace | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  if (loading) return <Loading />;
  if (!me)
    return (
      <section className="reviews admin">
        <h1>{t('reviews.cycle.title')}</h1>
        <p>
          <Link to="/sign-in">{t('reviews.signIn')}</Link>
        </p>
      </section>
    );
  if (cycle.isPending) return <Loading />;
  if (cycle.error)
    return (
      <section className="reviews admin">
        <h1>{t('reviews.cycle.title')}</h1>
        <ErrorMessage error={cycle.error} />
      </section>
    );
  const c = cycle.data;
  const refresh = async () => {
    await client.invalidateQueries({ queryKey: ['review-cycle', id] });
    await client.invalidateQueries({ queryKey: ['review-submissions'] });
    await client.invalidateQueries({ queryKey: ['review-cycles'] });
  };
  const invite = async (p: PickedPlace) => {
    const res = await send(`/review-cycles/${c.id}/participants`, 'POST', { places: [p.code] });
    setMessage(
      res.ok
        ? { ok: true, text: t('reviews.cycle.invited', { place: text(p.names).text || p.code }) }
        : { ok: false, text: await messageOf(res) },
    );
    if (res.ok) await refresh();
  };
  const remove = async (code: string, name: string) => {
    const res = await send(`/review-cycles/${c.id}/participants/${encodeURIComponent(code)}`, 'DELETE');
    setMessage(
      res.ok
        ? { ok: true, text: t('reviews.cycle.removed', { place: name }) }
        : { ok: false, text: await messageOf(res) },
    );
    if (res.ok) await refresh();
  };
  const counts = REVIEW_STATES.map((s) => ({
    state: s,
    n: c.participants.filter((p) => p.submission.state === s).length,
  }));
  const sorted = [...c.participants].sort((a, b) =>
    (text(a.place.names).text || a.place.code).localeCompare(text(b.place.names).text || b.place.code),
  );
  return (
    <section className="reviews admin">
      <Breadcrumbs items={[{ to: '/reviews', label: t('reviews.title') }, { label: <UserText names={c.titles} /> }]} />
      <h1>
        <UserText names={c.titles} />
      </h1>
      {c.demo && <p className="notice">{t('reviews.demoNotice')}</p>}
      <dl className="facts">
        <dt>{t('reviews.cycle.kind')}</dt>
        <dd>{kindLabel(t, c.kind)}</dd>
        <dt>{t('reviews.cycle.dates')}</dt>
        <dd>{t('reviews.cycle.range', { from: date(c.startsOn), to: date(c.endsOn) })}</dd>
        <dt>{t('reviews.cycle.questionnaire')}</dt>
        <dd>
          <span dir="auto">{c.questionnaire.title}</span> ·{' '}
          {t('reviews.cycle.versionNumber', { n: num(c.questionnaire.number, 0) })} ·{' '}
          <a href={`/api/v1/questionnaire-versions/${c.questionnaire.versionId}/xlsform`}>
            {t('reviews.cycle.downloadXlsForm')}
          </a>
        </dd>
      </dl>
      {Object.keys(c.descriptions).length > 0 && (
        <p className="lead">
          <UserText names={c.descriptions} />
        </p>
      )}
      <p>
        <Link to="/reviews/cycles/$id/board-report" params={{ id: String(c.id) }}>
          {t('reviews.board.title')}
        </Link>
      </p>

      <h2>{t('reviews.cycle.overview')}</h2>
      <ul className="inline-list overview-counts">
        {counts.map((x) => (
          <li key={x.state}>
            {stateLabel(t, x.state)}: <strong>{num(x.n, 0)}</strong>
          </li>
        ))}
      </ul>
      <TableScroll>
        <table className="data">
          <caption>{t('reviews.cycle.participantsCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('table.place')}</th>
              <th scope="col">{t('reviews.submission.state')}</th>
              <th scope="col">{t('reviews.submission.round')}</th>
              <th scope="col">{t('reviews.submission.submittedAt')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('reviews.cycle.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sorted.map((p) => {
              const name = text(p.place.names).text || p.place.code;
              return (
                <tr key={p.place.code}>
                  <td>
                    <Link to="/reviews/submissions/$id" params={{ id: String(p.submission.id) }}>
                      <UserText names={p.place.names} fallbackText={p.place.code} />
                    </Link>{' '}
                    <span className="muted small">{t(`level.${p.place.level}`)}</span>
                  </td>
                  <td>
                    <StateBadge state={p.submission.state} />
                  </td>
                  <td className="num">{num(p.submission.round, 0)}</td>
                  <td>{p.submission.submittedAt ? date(p.submission.submittedAt) : '—'}</td>
                  <td>
                    {p.submission.round === 0 && (
                      <button
                        type="button"
                        className="secondary small-button"
                        onClick={() => void remove(p.place.code, name)}
                      >
                        {t('reviews.cycle.removeParticipantNamed', { place: name })}
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableScroll>
      <div className="card">
        <PlacePicker
          id="cycle-invite"
          label={t('reviews.cycle.addParticipant')}
          value={picked}
          levels={['country', 'city']}
          onChange={(p) => {
            setPicked(null);
            if (p) void invite(p);
          }}
        />
      </div>
      {message && (
        <p role={message.ok ? 'status' : 'alert'} className={message.ok ? 'notice' : 'notice warn'} dir="auto">
          {message.text}
        </p>
      )}
    </section>
  );
}
