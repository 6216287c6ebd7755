import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { getJson } from '../../api/client.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { ErrorMessage, Loading } from '../../components/States.tsx';
import { roleLabel } from '../admin/admin-api.ts';
import {
  type Centre,
  kindLabel,
  type NetworkSummary,
  type Partner,
  type PilotPlace,
  partnerTypeLabel,
  stageLabel,
  type ToolStats,
} from './knowledge-api.ts';
import './knowledge.css';
import { TableScroll } from '../../components/TableScroll.tsx';
import { CentreEditLink, FormerPartnerLinks, NetworkAddLinks, PartnerEditLink } from '../network/EditLinks.tsx';

const PARTNER_TYPES = [
  'local-government-network',
  'civil-society',
  'academia',
  'private-sector',
  'un-entity',
  'funder',
];

/**
 * The Global Network on Safer Cities: the counts (tools shared and piloted, partners that
 * joined, coordination centres, pilot countries and cities), each with the list behind it;
 * partner organisations by type; coordination centres; pilot places with the focal-point
 * roles held for them — roles, how many and since when, never who (the API gives no names).
 */
export function NetworkPage() {
  const { t } = useTranslation();
  const { lang, num, date, period } = usePrefs();
  const summary = useQuery({
    queryKey: ['network-summary', lang],
    queryFn: () => getJson<NetworkSummary>('/network/summary', { lang }),
  });
  const partners = useQuery({
    queryKey: ['network-partners', lang],
    queryFn: () => getJson<{ items: Partner[] }>('/network/partners', { lang }),
  });
  const centres = useQuery({
    queryKey: ['network-centres', lang],
    queryFn: () => getJson<{ items: Centre[] }>('/network/centres', { lang }),
  });
  const pilots = useQuery({
    queryKey: ['network-pilots', lang],
    queryFn: () => getJson<{ items: PilotPlace[] }>('/network/pilots', { lang }),
  });
  const tools = useQuery({
    queryKey: ['tool-stats', lang],
    queryFn: () => getJson<ToolStats>('/knowledge/tools/stats', { lang }),
  });
  const error = summary.error ?? partners.error ?? centres.error ?? pilots.error ?? tools.error;
  const s = summary.data;
  const members = partners.data?.items.filter((p) => p.member) ?? [];
  return (
    <section className="knowledge network">
      <h1>{t('network.title')}</h1>
      <p className="lead">{t('network.intro')}</p>
      <p className="knowledge-links">
        <Link to="/knowledge">{t('knowledge.title')}</Link> · <Link to="/workshops">{t('workshops.title')}</Link>
      </p>
      <NetworkAddLinks />
      {error ? (
        <ErrorMessage error={error} />
      ) : !s || !partners.data || !centres.data || !pilots.data || !tools.data ? (
        <Loading />
      ) : (
        <>
          <h2 id="network-numbers">{t('network.numbers')}</h2>
          <ul className="stat-cards" aria-labelledby="network-numbers">
            <li className="card">
              <a href="#tools-shared">
                <span className="stat">{num(tools.data.shared.count, 0)}</span> {t('network.toolsShared')}
              </a>
            </li>
            <li className="card">
              <a href="#tools-piloted">
                <span className="stat">{num(tools.data.piloted.count, 0)}</span> {t('network.toolsPiloted')}
              </a>
            </li>
            <li className="card">
              <a href="#partners">
                <span className="stat">{num(s.partners.members, 0)}</span> {t('network.partnersCount')}
              </a>
            </li>
            <li className="card">
              <a href="#centres">
                <span className="stat">{num(s.coordinationCentres, 0)}</span> {t('network.centresCount')}
              </a>
            </li>
            <li className="card">
              <a href="#pilot-places">
                <span className="stat">{num(s.pilotCountries, 0)}</span> {t('network.pilotCountries')}
              </a>
            </li>
            <li className="card">
              <a href="#pilot-places">
                <span className="stat">{num(s.pilotCities, 0)}</span> {t('network.pilotCities')}
              </a>
            </li>
          </ul>

          <h2 id="tools-shared">{t('network.toolsSharedTitle')}</h2>
          {tools.data.shared.tools.length === 0 ? (
            <p className="empty">{t('network.noTools')}</p>
          ) : (
            <ul className="plain-list">
              {tools.data.shared.tools.map((x) => (
                <li key={x.id}>
                  <Link to="/knowledge/$id" params={{ id: String(x.id) }}>
                    <span dir="auto">{x.title ?? `#${x.id}`}</span>
                  </Link>
                  {x.kind && <span className="tag">{kindLabel(t, x.kind)}</span>}{' '}
                  <span className="muted">{t('network.pilotsOfTool', { n: num(x.pilots, 0), count: x.pilots })}</span>
                </li>
              ))}
            </ul>
          )}
          <h2 id="tools-piloted">{t('network.toolsPilotedTitle')}</h2>
          {tools.data.pilots.items.length === 0 ? (
            <p className="empty">{t('network.noPilots')}</p>
          ) : (
            <TableScroll>
              <table className="data">
                <thead>
                  <tr>
                    <th scope="col">{t('network.tool')}</th>
                    <th scope="col">{t('knowledge.pilotPlace')}</th>
                    <th scope="col">{t('knowledge.pilotStarted')}</th>
                    <th scope="col">{t('knowledge.pilotStage')}</th>
                  </tr>
                </thead>
                <tbody>
                  {tools.data.pilots.items.map((p) => (
                    <tr key={p.id}>
                      <th scope="row">
                        <Link to="/knowledge/$id" params={{ id: String(p.tool.id) }}>
                          <span dir="auto">{p.tool.title ?? `#${p.tool.id}`}</span>
                        </Link>
                      </th>
                      <td>
                        {p.place ? (
                          <Link to="/places/$code" params={{ code: p.place.code }}>
                            <span dir="auto">{p.place.name ?? p.place.code}</span>
                          </Link>
                        ) : (
                          '—'
                        )}
                      </td>
                      <td>{date(p.startedOn)}</td>
                      <td>{stageLabel(t, p.stage)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          )}

          <h2 id="partners">{t('network.partners')}</h2>
          {members.length === 0 ? (
            <p className="empty">{t('network.noPartners')}</p>
          ) : (
            PARTNER_TYPES.filter((ty) => members.some((p) => p.type === ty)).map((ty) => (
              <section key={ty} aria-labelledby={`partners-${ty}`}>
                <h3 id={`partners-${ty}`}>
                  {partnerTypeLabel(t, ty)} <span className="muted">({num(s.partners.byType[ty] ?? 0, 0)})</span>
                </h3>
                <ul className="plain-list">
                  {members
                    .filter((p) => p.type === ty)
                    .map((p) => (
                      <li key={p.id}>
                        {p.website ? (
                          <a href={p.website} rel="nofollow noopener noreferrer">
                            <span dir="auto">{p.name}</span>
                          </a>
                        ) : (
                          <span dir="auto">{p.name}</span>
                        )}
                        {p.country && (
                          <>
                            {' '}
                            ·{' '}
                            <Link to="/places/$code" params={{ code: p.country.code }}>
                              <span dir="auto">{p.country.name ?? p.country.code}</span>
                            </Link>
                          </>
                        )}
                        {p.joinedOn && (
                          <span className="muted"> · {t('network.joined', { date: date(p.joinedOn) })}</span>
                        )}
                        <PartnerEditLink id={p.id} name={p.name} />
                        {p.description && (
                          <p className="small" dir="auto">
                            {p.description}
                          </p>
                        )}
                      </li>
                    ))}
                </ul>
              </section>
            ))
          )}
          <FormerPartnerLinks partners={partners.data.items} />
          {s.byYear.length > 0 && (
            <TableScroll>
              <table className="data">
                <caption>{t('network.byYear')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('knowledge.facet.year')}</th>
                    <th scope="col">{t('network.joinedCol')}</th>
                    <th scope="col">{t('network.leftCol')}</th>
                    <th scope="col">{t('network.designatedCol')}</th>
                  </tr>
                </thead>
                <tbody>
                  {s.byYear.map((y) => (
                    <tr key={y.year}>
                      <th scope="row">{period(String(y.year))}</th>
                      <td className="num">{num(y.partnersJoined, 0)}</td>
                      <td className="num">{num(y.partnersLeft, 0)}</td>
                      <td className="num">{num(y.centresDesignated, 0)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          )}

          <h2 id="centres">{t('network.centres')}</h2>
          {centres.data.items.length === 0 ? (
            <p className="empty">{t('network.noCentres')}</p>
          ) : (
            <ul className="plain-list">
              {centres.data.items.map((c) => (
                <li key={c.id}>
                  <span dir="auto">{c.name}</span>
                  {c.place && (
                    <>
                      {' '}
                      ·{' '}
                      <Link to="/places/$code" params={{ code: c.place.code }}>
                        <span dir="auto">{c.place.name ?? c.place.code}</span>
                      </Link>
                    </>
                  )}
                  {c.organisation && (
                    <>
                      {' '}
                      · <span dir="auto">{c.organisation.name}</span>
                    </>
                  )}
                  {c.designatedOn && (
                    <span className="muted"> · {t('network.designated', { date: date(c.designatedOn) })}</span>
                  )}
                  <CentreEditLink id={c.id} name={c.name} />
                </li>
              ))}
            </ul>
          )}

          <h2 id="pilot-places">{t('network.pilotPlaces')}</h2>
          <TableScroll>
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">{t('network.place')}</th>
                  <th scope="col">{t('network.focalPoints')}</th>
                  <th scope="col">{t('network.centres')}</th>
                </tr>
              </thead>
              <tbody>
                {pilots.data.items.map((p) => (
                  <tr key={p.code} className={p.level === 'city' ? 'city-row' : 'country-row'}>
                    <th scope="row">
                      <Link to="/places/$code" params={{ code: p.code }}>
                        <span dir="auto">{p.name ?? p.code}</span>
                      </Link>
                      {p.level === 'city' && p.parent && (
                        <span className="muted small">
                          {' '}
                          · <span dir="auto">{p.parent.name}</span>
                        </span>
                      )}
                    </th>
                    <td>
                      {p.focalPoints.length === 0 ? (
                        <span className="muted">{t('network.noFocalPoint')}</span>
                      ) : (
                        <ul className="plain-list">
                          {p.focalPoints.map((fp) => (
                            <li key={fp.role}>
                              {t('network.focalRole', {
                                role: roleLabel(t, fp.role),
                                n: num(fp.count, 0),
                                count: fp.count,
                                since: date(fp.since),
                              })}
                            </li>
                          ))}
                        </ul>
                      )}
                    </td>
                    <td>{p.centres.length ? p.centres.map((c) => c.name).join(' · ') : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </>
      )}
    </section>
  );
}
