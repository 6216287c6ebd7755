import { GUIDELINE_THEMES, RECORD_KIND_NAMES } from '@marsad/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { getJson } from '../../api/client.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { useSession } from '../../app/session.tsx';
import { Breadcrumbs } from '../../components/Breadcrumbs.tsx';
import { openFoldedForPrint, useOpenFoldedWhenPrinting } from '../../components/open-for-print.ts';
import { ErrorMessage, Loading } from '../../components/States.tsx';
import { TableScroll } from '../../components/TableScroll.tsx';
import { UserText } from '../../components/UserText.tsx';
import { regionName, StateBadge, usePlaceNames } from './review-kit.tsx';

interface Figure<T> {
  count: number;
  items: T[];
}
interface PartItem {
  submissionId: number;
  place: string;
  countryCode: string;
  region: string;
  state: string;
}
interface RecordItem {
  kind: string;
  theme: string;
  question: string;
  path: string;
  value: string;
  submissionId: number;
  place: string;
  countryCode: string;
  region: string;
}
interface SuccessItem {
  id: number;
  names: Record<string, string>;
  date: string | null;
  place?: string | null;
  detail?: string;
}
interface Region {
  code: string;
  name: string;
}
interface BoardReport {
  cycle: { id: number; kind: string; titles: Record<string, string>; startsOn: string; endsOn: string; demo: boolean };
  generatedAt: string;
  regionSource: string;
  participation: {
    invited: Figure<PartItem>;
    submitted: Figure<PartItem>;
    reviewed: Figure<PartItem>;
    published: Figure<PartItem>;
    byRegion: ({ region: Region } & Record<'invited' | 'submitted' | 'reviewed' | 'published', number>)[];
  };
  records: {
    byKind: { kind: string; figure: Figure<RecordItem> }[];
    byTheme: { kind: string; theme: string; figure: Figure<RecordItem> }[];
    byRegion: { kind: string; region: Region; figure: Figure<RecordItem> }[];
  };
  successIndicators: {
    code: string;
    seedReference: string;
    names: { ar: string; en: string };
    available: boolean;
    reason?: string;
    definition?: string;
    duringCycle?: Figure<SuccessItem> | null;
    atCycleEnd?: Figure<SuccessItem>;
  }[];
}

const PARTS = ['invited', 'submitted', 'reviewed', 'published'] as const;

/**
 * The report to the Executive Board for a cycle (administrators): counts, each with the list behind it; CSV; printable.
 */
export function BoardReportPage() {
  const { t } = useTranslation();
  const { id } = useParams({ strict: false }) as { id: string };
  const { me, loading } = useSession();
  const { date, num, lang } = usePrefs();
  const report = useQuery({
    queryKey: ['board-report', id],
    enabled: !!me,
    retry: false,
    queryFn: () => getJson<BoardReport>(`/review-cycles/${id}/board-report`),
  });
  // Printing shows every list: open the expandable lists before the browser prints.
  useOpenFoldedWhenPrinting();
  if (loading) return <Loading />;
  if (!me)
    return (
      <section className="reviews">
        <h1>{t('reviews.board.title')}</h1>
        <p>
          <Link to="/sign-in">{t('reviews.signIn')}</Link>
        </p>
      </section>
    );
  if (report.isPending) return <Loading />;
  if (report.error)
    return (
      <section className="reviews">
        <h1>{t('reviews.board.title')}</h1>
        <ErrorMessage error={report.error} />
      </section>
    );
  const r = report.data;
  const partLabel = (k: (typeof PARTS)[number]) =>
    k === 'invited'
      ? t('reviews.board.invited')
      : k === 'submitted'
        ? t('reviews.board.submitted')
        : k === 'reviewed'
          ? t('reviews.board.reviewed')
          : t('reviews.board.published');
  const themeNames = (code: string) => GUIDELINE_THEMES.find((x) => x.code === code)?.names;
  const kindNames = (k: string) => (RECORD_KIND_NAMES as Record<string, { ar: string; en: string }>)[k];
  return (
    <section className="reviews board-report">
      <Breadcrumbs
        items={[
          { to: '/reviews', label: t('reviews.title') },
          { to: `/reviews/cycles/${r.cycle.id}`, label: <UserText names={r.cycle.titles} /> },
          { label: t('reviews.board.title') },
        ]}
      />
      <h1>{t('reviews.board.title')}</h1>
      <p className="lead">
        <UserText names={r.cycle.titles} /> ·{' '}
        {t('reviews.cycle.range', { from: date(r.cycle.startsOn), to: date(r.cycle.endsOn) })}
      </p>
      {r.cycle.demo && <p className="notice">{t('reviews.demoNotice')}</p>}
      <p className="small muted">{t('reviews.board.generated', { date: date(r.generatedAt) })}</p>
      <p className="no-print row">
        <a href={`/api/v1/review-cycles/${r.cycle.id}/board-report.csv`} download>
          {t('reviews.board.csv')}
        </a>
        <button
          type="button"
          className="secondary"
          onClick={() => {
            openFoldedForPrint();
            window.print();
          }}
        >
          {t('reviews.print')}
        </button>
      </p>

      <h2>{t('reviews.board.participation')}</h2>
      <ul className="plain">
        {PARTS.map((k) => (
          <li key={k}>
            <FigureList
              label={partLabel(k)}
              figure={r.participation[k]}
              render={(i: PartItem) => (
                <>
                  <PlaceName code={i.place} /> <StateBadge state={i.state} />
                </>
              )}
            />
          </li>
        ))}
      </ul>
      <TableScroll>
        <table className="data">
          <caption>{t('reviews.board.byRegion')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('reviews.board.region')}</th>
              {PARTS.map((k) => (
                <th key={k} scope="col">
                  {partLabel(k)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {r.participation.byRegion.map((x) => (
              <tr key={x.region.code}>
                <th scope="row">{regionName(x.region.code, x.region.name, lang)}</th>
                {PARTS.map((k) => (
                  <td key={k} className="num">
                    {num(x[k], 0)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>

      <h2>{t('reviews.board.records')}</h2>
      <p className="small muted">{t('reviews.board.recordsHint')}</p>
      {r.records.byKind.map((k) => (
        <section key={k.kind} aria-labelledby={`kind-${k.kind}`}>
          <h3 id={`kind-${k.kind}`}>
            <UserText names={kindNames(k.kind)} fallbackText={k.kind} /> — {num(k.figure.count, 0)}
          </h3>
          <h4>{t('reviews.board.byTheme')}</h4>
          <ul className="plain">
            {r.records.byTheme
              .filter((x) => x.kind === k.kind)
              .map((x) => (
                <li key={x.theme}>
                  <FigureList
                    label={<UserText names={themeNames(x.theme)} fallbackText={x.theme} />}
                    figure={x.figure}
                    render={(i: RecordItem) => <RecordLine i={i} />}
                  />
                </li>
              ))}
          </ul>
          <h4>{t('reviews.board.byRegion')}</h4>
          <ul className="plain">
            {r.records.byRegion
              .filter((x) => x.kind === k.kind)
              .map((x) => (
                <li key={x.region.code}>
                  <FigureList
                    label={regionName(x.region.code, x.region.name, lang)}
                    figure={x.figure}
                    render={(i: RecordItem) => <RecordLine i={i} />}
                  />
                </li>
              ))}
          </ul>
        </section>
      ))}

      <h2>{t('reviews.board.success')}</h2>
      <p className="small muted">{t('reviews.board.successHint')}</p>
      {r.successIndicators.map((s) => (
        <div key={s.code} className="card success-indicator">
          <h3>
            <UserText names={s.names} /> <span className="muted small">({s.seedReference})</span>
          </h3>
          {!s.available ? (
            <p>
              {t('reviews.board.unavailable')}{' '}
              <span lang="en" dir="ltr" className="small">
                {s.reason}
              </span>
            </p>
          ) : (
            <>
              {s.definition && (
                <p className="small muted" lang="en" dir="ltr">
                  {s.definition}
                </p>
              )}
              <ul className="plain">
                <li>
                  {s.duringCycle ? (
                    <FigureList
                      label={t('reviews.board.duringCycle')}
                      figure={s.duringCycle}
                      render={(i: SuccessItem) => <SuccessLine i={i} />}
                    />
                  ) : (
                    <>
                      {t('reviews.board.duringCycle')}: {t('reviews.board.noDates')}
                    </>
                  )}
                </li>
                {s.atCycleEnd && (
                  <li>
                    <FigureList
                      label={t('reviews.board.atCycleEnd')}
                      figure={s.atCycleEnd}
                      render={(i: SuccessItem) => <SuccessLine i={i} />}
                    />
                  </li>
                )}
              </ul>
            </>
          )}
        </div>
      ))}
      <p className="small muted" lang="en" dir="ltr">
        {r.regionSource}
      </p>
    </section>
  );
}

function PlaceName({ code }: { code: string }) {
  const names = usePlaceNames();
  return <UserText names={names(code)} fallbackText={code} />;
}

function RecordLine({ i }: { i: RecordItem }) {
  return (
    <>
      <PlaceName code={i.place} />: <span dir="auto">{i.value}</span>
    </>
  );
}

function SuccessLine({ i }: { i: SuccessItem }) {
  const { date } = usePrefs();
  return (
    <>
      <UserText names={i.names} />
      {i.place && (
        <>
          {' '}
          · <PlaceName code={i.place} />
        </>
      )}
      {i.date && <> · {date(i.date)}</>}
    </>
  );
}

/** A count with the list behind it, expandable (opened for printing). */
function FigureList<T>({
  label,
  figure,
  render,
}: {
  label: React.ReactNode;
  figure: Figure<T>;
  render: (i: T) => React.ReactNode;
}) {
  const { num } = usePrefs();
  if (figure.count === 0 && figure.items.length === 0)
    return (
      <p className="figure-line">
        {label}: <strong>{num(0, 0)}</strong>
      </p>
    );
  return (
    <details className="figure-list">
      <summary>
        {label}: <strong>{num(figure.count, 0)}</strong>
      </summary>
      <ul>
        {figure.items.map((i, k) => (
          <li key={k}>{render(i)}</li>
        ))}
      </ul>
    </details>
  );
}
