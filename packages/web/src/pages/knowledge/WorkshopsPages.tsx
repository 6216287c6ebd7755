import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { ApiError, getJson } from '../../api/client.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { Breadcrumbs } from '../../components/Breadcrumbs.tsx';
import { ErrorMessage, Loading } from '../../components/States.tsx';
import { NotFoundPage } from '../NotFoundPage.tsx';
import { WorkshopAddLink, WorkshopEditLink } from '../network/EditLinks.tsx';
import {
  orgTypeLabel,
  type Participants,
  statusLabel,
  typeLabel,
  type Workshop,
  type WorkshopList,
  workshopKindLabel,
} from './knowledge-api.ts';
import './knowledge.css';

function Dates({ w }: { w: Workshop }) {
  const { date } = usePrefs();
  return (
    <>
      {date(w.startsOn)}
      {w.endsOn && w.endsOn !== w.startsOn ? ` – ${date(w.endsOn)}` : ''}
    </>
  );
}

function Where({ w }: { w: Workshop }) {
  const { t } = useTranslation();
  return (
    <>
      {w.place && (
        <Link to="/places/$code" params={{ code: w.place.code }}>
          <span dir="auto">{w.place.name ?? w.place.code}</span>
        </Link>
      )}
      {w.place && w.online && ' · '}
      {w.online && t('workshops.online')}
    </>
  );
}

/** Participants by sex and by type of organisation: numbers only, never people. */
function ParticipantTables({ p, caption }: { p: Participants; caption: string }) {
  const { t } = useTranslation();
  const { num } = usePrefs();
  const org = Object.entries(p.byOrganisationType ?? {}).filter(([, n]) => n > 0);
  return (
    <div className="participants">
      <table className="data">
        <caption>{caption}</caption>
        <tbody>
          <tr>
            <th scope="row">{t('workshops.total')}</th>
            <td className="num">{p.total !== undefined ? num(p.total, 0) : '—'}</td>
          </tr>
          {p.bySex && (
            <>
              <tr>
                <th scope="row">{t('workshops.female')}</th>
                <td className="num">{num(p.bySex.female, 0)}</td>
              </tr>
              <tr>
                <th scope="row">{t('workshops.male')}</th>
                <td className="num">{num(p.bySex.male, 0)}</td>
              </tr>
              <tr>
                <th scope="row">{t('workshops.unspecified')}</th>
                <td className="num">{num(p.bySex.unspecified, 0)}</td>
              </tr>
            </>
          )}
        </tbody>
      </table>
      {org.length > 0 && (
        <table className="data">
          <caption>{t('workshops.byOrganisation')}</caption>
          <tbody>
            {org.map(([k, n]) => (
              <tr key={k}>
                <th scope="row">{orgTypeLabel(t, k)}</th>
                <td className="num">{num(n, 0)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

export function WorkshopListPage() {
  const { t } = useTranslation();
  const { lang, num } = usePrefs();
  const list = useQuery({
    queryKey: ['workshops', lang],
    queryFn: () => getJson<WorkshopList>('/workshops', { lang }),
  });
  return (
    <section className="knowledge workshops">
      <h1>{t('workshops.title')}</h1>
      <p className="lead">{t('workshops.intro')}</p>
      <p className="knowledge-links">
        <Link to="/knowledge">{t('knowledge.title')}</Link> · <Link to="/network">{t('nav.network')}</Link>
      </p>
      <WorkshopAddLink />
      {list.error ? (
        <ErrorMessage error={list.error} />
      ) : !list.data ? (
        <Loading />
      ) : (
        <>
          <p>
            {t('workshops.totals', {
              n: num(list.data.totals.workshops, 0),
              count: list.data.totals.workshops,
              people: num(list.data.totals.participants, 0),
            })}
          </p>
          {list.data.items.length === 0 ? (
            <p className="empty">{t('workshops.none')}</p>
          ) : (
            <ul className="hits">
              {list.data.items.map((w) => (
                <li key={w.id} className="hit">
                  <h2 className="hit-title">
                    <Link to="/workshops/$id" params={{ id: String(w.id) }}>
                      <span dir="auto">{w.title}</span>
                    </Link>
                  </h2>
                  <p className="muted small">
                    <span className="tag">{workshopKindLabel(t, w.kind)}</span>
                    {w.status === 'draft' && <span className="tag warn">{statusLabel(t, 'draft')}</span>}
                    <Dates w={w} /> · <Where w={w} />
                    {w.participants.total !== undefined && (
                      <>
                        {' '}
                        ·{' '}
                        {t('workshops.participantsN', { n: num(w.participants.total, 0), count: w.participants.total })}
                      </>
                    )}
                    <WorkshopEditLink id={w.id} name={w.title} canEdit={w.canEdit} />
                  </p>
                </li>
              ))}
            </ul>
          )}
          {list.data.totals.participants > 0 && (
            <ParticipantTables
              p={{
                total: list.data.totals.participants,
                bySex: list.data.totals.bySex,
                byOrganisationType: list.data.totals.byOrganisationType,
              }}
              caption={t('workshops.allParticipants')}
            />
          )}
        </>
      )}
    </section>
  );
}

export function WorkshopPage() {
  const { t } = useTranslation();
  const { id } = useParams({ from: '/workshops/$id' });
  const { lang } = usePrefs();
  const valid = /^\d{1,9}$/.test(id);
  const w = useQuery({
    queryKey: ['workshop', id, lang],
    enabled: valid,
    queryFn: () => getJson<Workshop>(`/workshops/${id}`, { lang }),
    retry: (n, e) => !(e instanceof ApiError && e.status === 404) && n < 2,
  });
  if (!valid || (w.error instanceof ApiError && w.error.status === 404))
    return <NotFoundPage what={t('workshops.named', { id })} />;
  if (w.error) return <ErrorMessage error={w.error} />;
  if (!w.data) return <Loading />;
  const x = w.data;
  return (
    <article className="knowledge workshop">
      <Breadcrumbs
        items={[{ to: '/workshops', label: t('workshops.title') }, { label: <span dir="auto">{x.title}</span> }]}
      />
      <p className="muted">
        <span className="tag">{workshopKindLabel(t, x.kind)}</span>
        {x.status === 'draft' && <span className="tag warn">{statusLabel(t, 'draft')}</span>}
      </p>
      <h1 dir="auto">{x.title}</h1>
      <WorkshopEditLink id={x.id} name={x.title} canEdit={x.canEdit} />
      {x.description && (
        <p className="item-summary" dir="auto">
          {x.description}
        </p>
      )}
      <dl className="facts">
        <dt>{t('knowledge.dates')}</dt>
        <dd>
          <Dates w={x} />
        </dd>
        {(x.place || x.online) && (
          <>
            <dt>{t('workshops.where')}</dt>
            <dd>
              <Where w={x} />
            </dd>
          </>
        )}
        {x.organisers.length > 0 && (
          <>
            <dt>{t('workshops.organisers')}</dt>
            <dd>
              <ul className="plain-list">
                {x.organisers.map((o, i) => (
                  <li key={i} dir="auto">
                    {o.name}
                  </li>
                ))}
              </ul>
            </dd>
          </>
        )}
        {x.topics.length > 0 && (
          <>
            <dt>{t('workshops.topics')}</dt>
            <dd>
              <ul className="inline-list">
                {x.topics.map((tp) => (
                  <li key={tp}>
                    <span className="tag" dir="auto">
                      {tp}
                    </span>
                  </li>
                ))}
              </ul>
            </dd>
          </>
        )}
      </dl>
      <h2>{t('workshops.materials')}</h2>
      {x.materials.length === 0 ? (
        <p className="muted">{t('workshops.noMaterials')}</p>
      ) : (
        <ul className="plain-list">
          {x.materials.map((m) => (
            <li key={m.id}>
              <Link to="/knowledge/$id" params={{ id: String(m.id) }}>
                <span dir="auto">{m.title ?? `#${m.id}`}</span>
              </Link>{' '}
              <span className="tag">{typeLabel(t, m.type)}</span>
            </li>
          ))}
        </ul>
      )}
      <h2>{t('workshops.participants')}</h2>
      <ParticipantTables p={x.participants} caption={t('workshops.participantsCaption')} />
    </article>
  );
}
