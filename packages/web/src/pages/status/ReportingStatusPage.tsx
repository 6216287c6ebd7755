import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getJson } from '../../api/client.ts';
import type { FrameworkItem } from '../../api/types.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { Empty, ErrorMessage, Loading } from '../../components/States.tsx';
import { TableScroll } from '../../components/TableScroll.tsx';
import { Pager } from '../admin/Pager.tsx';

type State = 'reported' | 'in-progress' | 'not-started' | 'not-applicable';
interface Status {
  framework: { code: string; name: string | null };
  places: { code: string; name: string | null; level: string }[];
  /** Places in all; the answer holds one page of them (limit, offset). */
  placesTotal: number;
  limit: number;
  offset: number;
  indicators: { code: string; name: string | null; status: string }[];
  cells: {
    indicator: string;
    place: string;
    state: State;
    observations: number;
    latestPeriod: string | null;
    latestEnd: string | null;
    /** What the place's own reporting platform declares (Open SDG metadata). */
    declared?: { status: 'complete' | 'inprogress' | 'notstarted'; source: string } | null;
  }[];
  summary: { reported: number; inProgress: number; notStarted: number; notApplicable: number };
}
/** The SDG indicators the page shows: goal 11 and target 16.1, the goals this observatory is about. */
const SDG_SHOWN = '11.,16.1.';
/**
 * Places per page: the columns of the table. 25 keeps a page of the SDG goals it shows near 150 kB of HTML for a
 * reader on a slow connection (50 made 272 kB, most of it cells not started).
 */
const PLACES_PER_PAGE = 25;
const MARK: Record<State, string> = { reported: '●', 'in-progress': '◐', 'not-started': '○', 'not-applicable': '–' };

/** Which indicators have data for which places, how recent — per framework, as Open SDG has. */
export function ReportingStatusPage() {
  const { t } = useTranslation();
  const { lang, num, period } = usePrefs();
  const search = useSearch({ from: '/status' });
  const navigate = useNavigate({ from: '/status' });
  const framework = search.framework ?? 'sdg';
  const frameworks = useQuery({
    queryKey: ['frameworks', lang],
    queryFn: () => getJson<{ items: FrameworkItem[] }>('/frameworks', { lang }),
  });
  const [offset, setOffset] = useState(0);
  const status = useQuery({
    queryKey: ['status', framework, lang, offset],
    queryFn: () =>
      getJson<Status>('/reporting-status', {
        framework,
        lang,
        limit: PLACES_PER_PAGE,
        offset,
        // For SDG, the goals this observatory is about (its summary counts those too).
        ...(framework === 'sdg' ? { prefix: SDG_SHOWN } : {}),
      }),
    placeholderData: (previous) => previous,
  });
  // Each state's words, translated once for the table's hundreds of cells.
  const stateText: Record<State, string> = {
    reported: t('status.state.reported'),
    'in-progress': t('status.state.in-progress'),
    'not-started': t('status.state.not-started'),
    'not-applicable': t('status.state.not-applicable'),
  };
  const declaredText = {
    complete: t('indicatorMetadata.status.complete'),
    inprogress: t('indicatorMetadata.status.inprogress'),
    notstarted: t('indicatorMetadata.status.notstarted'),
  };
  const cells = useMemo(
    () => new Map((status.data?.cells ?? []).map((c) => [`${c.indicator}\u0000${c.place}`, c])),
    [status.data],
  );
  const cell = (i: string, p: string) => cells.get(`${i}\u0000${p}`);
  const [placeFilter, setPlaceFilter] = useState('');
  const shownPlaces = (status.data?.places ?? []).filter((p) => !placeFilter || p.code === placeFilter);
  const indicators = status.data?.indicators ?? [];
  return (
    <>
      <h1>{t('status.title')}</h1>
      <p className="lead">{t('status.intro')}</p>
      <label>
        {t('indicators.framework')}{' '}
        <select
          value={framework}
          onChange={(e) => {
            setOffset(0);
            void navigate({ search: { framework: e.target.value } });
          }}
        >
          {frameworks.data?.items.map((f) => (
            <option key={f.code} value={f.code}>
              {f.name ?? f.code}
            </option>
          ))}
        </select>
      </label>{' '}
      <label>
        {t('status.place')}{' '}
        <select value={placeFilter} onChange={(e) => setPlaceFilter(e.target.value)}>
          <option value="">{t('status.allPlaces')}</option>
          {status.data?.places.map((p) => (
            <option key={p.code} value={p.code}>
              {p.name ?? p.code}
            </option>
          ))}
        </select>
      </label>
      <p className="legend" style={{ marginBlock: '1rem' }}>
        {(Object.keys(MARK) as State[]).map((s) => (
          <span key={s} className={`state-${s}`} style={{ paddingInline: '0.4rem' }}>
            <span aria-hidden="true">{MARK[s]}</span> {stateText[s]}
          </span>
        ))}
      </p>
      {status.isPending ? (
        <Loading />
      ) : status.error ? (
        <ErrorMessage error={status.error} />
      ) : status.data.places.length === 0 ? (
        <Empty>{t('status.noPlaces')}</Empty>
      ) : (
        <>
          <p>
            {t('status.summary', {
              reported: num(status.data.summary.reported, 0),
              inProgress: num(status.data.summary.inProgress, 0),
              notStarted: num(status.data.summary.notStarted, 0),
              notApplicable: num(status.data.summary.notApplicable, 0),
            })}
          </p>
          <TableScroll>
            <table className="data status-table">
              <caption className="visually-hidden">
                {t('status.caption', { framework: status.data.framework.name ?? framework })}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t('table.indicator')}</th>
                  {shownPlaces.map((p) => (
                    <th key={p.code} scope="col">
                      <Link to="/places/$code" params={{ code: p.code }}>
                        <span dir="auto">{p.name ?? p.code}</span>
                      </Link>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {indicators.map((i) => (
                  <tr key={i.code}>
                    <th scope="row">
                      <Link to="/indicators/$code" params={{ code: i.code }}>
                        {i.code}
                      </Link>{' '}
                      <span className="small" dir="auto">
                        {i.name}
                      </span>
                    </th>
                    {shownPlaces.map((p) => {
                      const c = cell(i.code, p.code);
                      const state: State = c?.state ?? 'not-started';
                      return (
                        <td key={p.code} className={`state-${state}`}>
                          <span aria-hidden="true">{MARK[state]}</span>{' '}
                          <span className="small">{stateText[state]}</span>
                          {c?.latestPeriod && <div className="small muted">{period(c.latestPeriod)}</div>}
                          {c?.declared && (
                            <div className="small muted" title={c.declared.source}>
                              {declaredText[c.declared.status]}
                            </div>
                          )}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
          <Pager
            total={status.data.placesTotal}
            limit={status.data.limit}
            offset={status.data.offset}
            onOffset={(o) => {
              setPlaceFilter('');
              setOffset(o);
            }}
          />
        </>
      )}
    </>
  );
}
