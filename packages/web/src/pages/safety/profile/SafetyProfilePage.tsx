import { useQuery } from '@tanstack/react-query';
import { Link, useSearch } from '@tanstack/react-router';
import { lazy, Suspense, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, getJson } from '../../../api/client.ts';
import { usePrefs } from '../../../app/prefs.tsx';
import { useSession } from '../../../app/session.tsx';
import { Breadcrumbs } from '../../../components/Breadcrumbs.tsx';
import { SectionBoundary } from '../../../components/ErrorBoundary.tsx';
import { Empty, ErrorMessage, Loading } from '../../../components/States.tsx';
import { TableScroll } from '../../../components/TableScroll.tsx';
import { NotFoundPage } from '../../NotFoundPage.tsx';
import { ChoicesForm } from './ChoicesForm.tsx';
import { useIndexMessage } from './index-message.ts';
import type { Choice, SafetyProfile, ScoreView } from './profile-types.ts';

const ScoreChart = lazy(() => import('./ScoreChart.tsx').then((m) => ({ default: m.ScoreChart })));
const LineChart = lazy(() => import('../../../components/LineChart.tsx').then((m) => ({ default: m.LineChart })));

const CHOICES: Choice[] = ['normalisation', 'weights', 'aggregation', 'missing'];
/** The steps of the method, each a message (docs/methods/safety-index.md holds the whole of it). */
const METHOD_STEPS = ['selection', 'missing', 'outliers', 'normalisation', 'weights', 'aggregation', 'uncertainty'];

/**
 * The composite safety profile of ONE place (issue 20): its scores with their uncertainty band beside the group's
 * median and range, its trajectory, the choices it rests on and the values used. Other places appear only as a median
 * and range: no list, no order, no rank.
 */
export function SafetyProfilePage() {
  const { place } = useSearch({ from: '/safety/profile' });
  const { t } = useTranslation();
  const { lang } = usePrefs();
  const q = useQuery({
    queryKey: ['safety-profile', place, lang],
    queryFn: () => getJson<SafetyProfile>('/safety/profile', { place: place ?? '', lang }),
    enabled: !!place,
  });
  if (!place)
    return (
      <article>
        <h1>{t('safetyProfile.title')}</h1>
        <Empty>{t('safetyProfile.noPlace')}</Empty>
        <p>
          <Link to="/places">{t('safetyProfile.choosePlace')}</Link>
        </p>
      </article>
    );
  if (q.error instanceof ApiError && q.error.status === 404) return <NotFoundPage what={place} />;
  if (q.error instanceof ApiError && q.error.status === 400)
    return (
      <article>
        <h1>{t('safetyProfile.title')}</h1>
        <p className="notice">{t('safetyProfile.notCity')}</p>
        <p>
          <Link to="/places/$code" params={{ code: place }}>
            {t('safetyProfile.backToPlace')}
          </Link>
        </p>
      </article>
    );
  if (q.isPending) return <Loading />;
  if (q.error) return <ErrorMessage error={q.error} />;
  return <Profile p={q.data} />;
}

function Profile({ p }: { p: SafetyProfile }) {
  const { t } = useTranslation();
  const { num } = usePrefs();
  const { me } = useSession();
  const say = useIndexMessage(
    Object.fromEntries([
      ...p.themes.map((th) => [th.code, th.name ?? th.code]),
      ...p.indicators.map((i) => [i.code, i.name ? `${i.code} ${i.name}` : i.code]),
    ]),
  );
  const scoreTable = useId();
  const trajectoryTable = useId();
  const admin = !!me?.roles.some((r) => r.role === 'administrator');
  const name = p.place.name ?? p.place.code;
  const zScores = p.choices.normalisation === 'z-score';
  const u = p.uncertainty;
  const rows = [
    { key: 'overall', label: t('safetyProfile.overall'), view: p.overall, band: u },
    ...p.themes.map((th) => ({ key: th.code, label: th.name ?? th.code, view: th.score, band: null })),
  ];
  const pct = (x: number | null) => (x === null ? '—' : `${num(100 * x, 0)} %`);
  const score = (x: number | null | undefined) => (x === null || x === undefined ? '—' : num(x, 1));
  /** A year in the reader's digits, without a thousands separator. */
  const year = (y: number) => num(y, 0).replace(/[,٬]/g, '');
  const trajectoryShown = p.trajectory.filter((y) => y.score !== null);
  return (
    <article className="safety-profile">
      <Breadcrumbs
        items={[
          { to: '/', label: t('nav.home') },
          { to: '/places/$code', params: { code: p.place.code }, label: <span dir="auto">{name}</span> },
          { label: t('safetyProfile.title') },
        ]}
      />
      <h1>
        {t('safetyProfile.heading')} <span dir="auto">{name}</span>
      </h1>
      <p className="small muted">
        {t('safetyProfile.framework')} <span dir="auto">{p.framework.name ?? p.framework.code}</span>
        {p.framework.draft && <> · {t('safetyProfile.draftFramework')}</>}
      </p>
      {p.synthetic && <p className="notice warn">{t('safetyProfile.synthetic')}</p>}
      <p>{t('safetyProfile.intro')}</p>
      <p className="small">
        {t(`safetyProfile.group.${p.group.kind}`, { count: p.group.count, n: num(p.group.count, 0) })}{' '}
        {t('safetyProfile.noRanks')}
      </p>

      {p.refusal ? (
        <div className="notice">
          <p>{t('safetyProfile.refused')}</p>
          <p className="small">{say(p.refusal)}</p>
        </div>
      ) : (
        <>
          <h2>{t('safetyProfile.scoresTitle')}</h2>
          <p className="small muted">{zScores ? t('safetyProfile.scaleZ') : t('safetyProfile.scale')}</p>
          {!zScores && (
            <SectionBoundary>
              <Suspense fallback={<Loading />}>
                <ScoreChart
                  title={t('safetyProfile.scoresChart', { place: name })}
                  describedBy={scoreTable}
                  rows={rows.map((r) => ({
                    label: r.label,
                    score: r.view.score,
                    low: r.band?.p5 ?? null,
                    high: r.band?.p95 ?? null,
                    median: r.view.group.median,
                    min: r.view.group.min,
                    max: r.view.group.max,
                  }))}
                />
              </Suspense>
            </SectionBoundary>
          )}
          <TableScroll>
            <table className="data" id={scoreTable}>
              <caption>{t('safetyProfile.scoresCaption', { place: name })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('safetyProfile.col.score')}</th>
                  <th scope="col">{t('safetyProfile.col.place')}</th>
                  <th scope="col">{t('safetyProfile.col.band')}</th>
                  <th scope="col">{t('safetyProfile.col.groupMedian')}</th>
                  <th scope="col">{t('safetyProfile.col.groupRange')}</th>
                  <th scope="col">{t('safetyProfile.col.country')}</th>
                  <th scope="col">{t('safetyProfile.col.weight')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <ScoreRow
                    key={r.key}
                    label={r.label}
                    view={r.view}
                    band={r.band ? [r.band.p5, r.band.p95] : null}
                    weight={r.key === 'overall' ? null : (p.themes.find((x) => x.code === r.key)?.weight ?? null)}
                    theme={p.themes.find((x) => x.code === r.key) ?? null}
                  />
                ))}
              </tbody>
            </table>
          </TableScroll>
          {p.country && [p.overall, ...p.themes.map((x) => x.score)].some((v) => v.country !== null) && (
            <p className="small muted">
              {t('safetyProfile.countryNote', { country: p.country.name ?? p.country.code })}
            </p>
          )}

          <h2>{t('safetyProfile.uncertaintyTitle')}</h2>
          {u && u.min !== null ? (
            <>
              <p>
                {t('safetyProfile.band', {
                  low: score(u.p5),
                  high: score(u.p95),
                  min: score(u.min),
                  max: score(u.max),
                  runs: num(u.runs, 0),
                })}
              </p>
              <p>
                {u.mostInfluential
                  ? t('safetyProfile.mostInfluential', { choice: t(`safetyProfile.choice.${u.mostInfluential}`) })
                  : t('safetyProfile.noInfluence')}
              </p>
              {u.noScore > 0 && (
                <p className="small">{t('safetyProfile.noScoreRuns', { count: u.noScore, n: num(u.noScore, 0) })}</p>
              )}
              <TableScroll>
                <table className="data">
                  <caption>{t('safetyProfile.sensitivityCaption')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('safetyProfile.col.choice')}</th>
                      <th scope="col">{t('safetyProfile.col.alternatives')}</th>
                      <th scope="col">{t('safetyProfile.col.sensitivity')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {CHOICES.map((c) => (
                      <tr key={c}>
                        <th scope="row">{t(`safetyProfile.choice.${c}`)}</th>
                        <td>
                          {u.alternatives[c]
                            .map((a) => t(`safetyProfile.option.${a}`, { defaultValue: a }))
                            .join(' · ')}
                        </td>
                        <td className="num">{pct(u.sensitivity[c])}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableScroll>
              <p className="small muted">{t('safetyProfile.sensitivityHint')}</p>
            </>
          ) : (
            <Empty>{t('safetyProfile.noBand')}</Empty>
          )}
        </>
      )}

      <h2>{t('safetyProfile.trajectoryTitle')}</h2>
      {trajectoryShown.length === 0 ? (
        <Empty>{t('safetyProfile.noTrajectory')}</Empty>
      ) : (
        <>
          {!zScores && trajectoryShown.length > 1 && (
            <SectionBoundary>
              <Suspense fallback={<Loading />}>
                <LineChart
                  title={t('safetyProfile.trajectoryChart', { place: name })}
                  describedBy={trajectoryTable}
                  unit={t('safetyProfile.unit')}
                  series={[
                    {
                      name,
                      points: trajectoryShown.map((y) => ({
                        x: y.year,
                        value: y.score as number,
                        label: String(y.year),
                      })),
                    },
                    {
                      name: t('safetyProfile.chart.groupMedian'),
                      points: trajectoryShown
                        .filter((y) => y.groupMedian !== null)
                        .map((y) => ({ x: y.year, value: y.groupMedian as number, label: String(y.year) })),
                    },
                    {
                      name: t('safetyProfile.chart.bandLow'),
                      points: trajectoryShown
                        .filter((y) => y.low !== null)
                        .map((y) => ({ x: y.year, value: y.low as number, label: String(y.year) })),
                    },
                    {
                      name: t('safetyProfile.chart.bandHigh'),
                      points: trajectoryShown
                        .filter((y) => y.high !== null)
                        .map((y) => ({ x: y.year, value: y.high as number, label: String(y.year) })),
                    },
                  ]}
                />
              </Suspense>
            </SectionBoundary>
          )}
          <TableScroll>
            <table className="data" id={trajectoryTable}>
              <caption>{t('safetyProfile.trajectoryCaption', { place: name })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('safetyProfile.col.year')}</th>
                  <th scope="col">{t('safetyProfile.col.place')}</th>
                  <th scope="col">{t('safetyProfile.col.band')}</th>
                  <th scope="col">{t('safetyProfile.col.groupMedian')}</th>
                  <th scope="col">{t('safetyProfile.col.groupRange')}</th>
                  <th scope="col">{t('safetyProfile.col.indicators')}</th>
                </tr>
              </thead>
              <tbody>
                {p.trajectory.map((y) => (
                  <tr key={y.year}>
                    <th scope="row">{year(y.year)}</th>
                    <td className="num">{score(y.score)}</td>
                    <td className="num">{y.low === null ? '—' : `${score(y.low)}–${score(y.high)}`}</td>
                    <td className="num">{score(y.groupMedian)}</td>
                    <td className="num">
                      {y.groupMin === null ? '—' : `${score(y.groupMin)}–${score(y.groupMax)}`}{' '}
                      <span className="small muted">
                        ({t('safetyProfile.places', { count: y.groupCount, n: num(y.groupCount, 0) })})
                      </span>
                    </td>
                    <td className="num">{num(y.indicators, 0)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
          <p className="small muted">{t('safetyProfile.trajectoryHint')}</p>
        </>
      )}

      <h2>{t('safetyProfile.choicesTitle')}</h2>
      <ul>
        {CHOICES.map((c) => (
          <li key={c}>
            {t(`safetyProfile.choice.${c}`)}: <strong>{t(`safetyProfile.option.${p.choices[c]}`)}</strong>
          </li>
        ))}
        {p.choices.missing === 'theme-available' && (
          <li>{t('safetyProfile.minShare', { pct: num(100 * p.choices.minThemeShare, 0) })}</li>
        )}
        <li>{p.choices.winsorise ? t('safetyProfile.winsoriseOn') : t('safetyProfile.winsoriseOff')}</li>
        <li>
          {p.benchmarks.complete
            ? t('safetyProfile.benchmarksReady', {
                base: year(p.benchmarks.baselineYear),
                target: year(p.benchmarks.targetYear),
              })
            : t('safetyProfile.benchmarksMissing', {
                base: year(p.benchmarks.baselineYear),
                target: year(p.benchmarks.targetYear),
              })}
        </li>
        <li>{p.pca.offered ? t('safetyProfile.pcaOffered') : t('safetyProfile.pcaRefused')}</li>
      </ul>
      <p className="small muted">
        {p.choices.updatedAt
          ? t('safetyProfile.choicesVersion', { version: num(p.choices.version, 0) })
          : t('safetyProfile.choicesDefault')}{' '}
        <a href="#method">{t('safetyProfile.method')}</a>
      </p>

      <h2>{t('safetyProfile.indicatorsTitle')}</h2>
      <TableScroll>
        <table className="data">
          <caption>{t('safetyProfile.indicatorsCaption', { place: name })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('safetyProfile.col.indicator')}</th>
              <th scope="col">{t('safetyProfile.col.theme')}</th>
              <th scope="col">{t('safetyProfile.col.direction')}</th>
              <th scope="col">{t('safetyProfile.col.value')}</th>
              <th scope="col">{t('safetyProfile.col.used')}</th>
              <th scope="col">{t('safetyProfile.col.weight')}</th>
              {p.pca.weights && <th scope="col">{t('safetyProfile.col.pcaWeight')}</th>}
              <th scope="col">{t('safetyProfile.col.benchmarks')}</th>
              <th scope="col">{t('safetyProfile.col.country')}</th>
            </tr>
          </thead>
          <tbody>
            {p.indicators.map((i) => (
              <tr key={i.code}>
                <th scope="row">
                  <Link to="/indicators/$code" params={{ code: i.code }}>
                    {i.code}
                  </Link>{' '}
                  <span dir="auto">{i.name}</span>
                </th>
                <td dir="auto">{p.themes.find((x) => x.code === i.theme)?.name ?? i.theme}</td>
                <td>{t(`safetyProfile.direction.${i.direction}`)}</td>
                <td className="num">
                  {i.value === null ? '—' : num(i.value, 3)}
                  {i.year !== null && <div className="small muted">{year(i.year)}</div>}
                  {i.unit && (
                    <div className="small muted" dir="auto">
                      {i.unit}
                    </div>
                  )}
                  {i.synthetic && <div className="small tag">{t('safetyProfile.syntheticTag')}</div>}
                </td>
                <td>
                  {!i.used
                    ? t('safetyProfile.notUsed')
                    : i.treatment
                      ? t(`safetyProfile.treatment.${i.treatment}`, {
                          value: i.usedValue === null ? '—' : num(i.usedValue, 3),
                        })
                      : i.withheld && i.value === null
                        ? t('safetyProfile.withheld')
                        : i.usedValue === null
                          ? '—'
                          : num(i.usedValue, 3)}
                  {i.withheld && i.value !== null && (
                    <div className="small muted">{t('safetyProfile.laterWithheld')}</div>
                  )}
                </td>
                <td className="num">{i.weight === null ? '—' : pct(i.weight)}</td>
                {p.pca.weights && <td className="num">{pct(p.pca.weights[i.code] ?? null)}</td>}
                <td className="num">{i.baseline === null ? '—' : `${num(i.baseline, 3)} → ${num(i.target, 3)}`}</td>
                <td className="num">
                  {i.countryValue === null ? '—' : num(i.countryValue, 3)}
                  {i.countryYear !== null && <div className="small muted">{year(i.countryYear)}</div>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <p className="small muted">{t('safetyProfile.weightHint')}</p>
      {p.notes.length > 0 && (
        <details>
          <summary>{t('safetyProfile.notes')}</summary>
          <ul>
            {[...p.notes, ...(u?.notes ?? []), ...(p.pca.reason ? [p.pca.reason] : [])].map((n, k) => (
              <li key={k}>{say(n)}</li>
            ))}
          </ul>
        </details>
      )}
      <h2 id="method">{t('safetyProfile.methodTitle')}</h2>
      <ol>
        {METHOD_STEPS.map((step) => (
          <li key={step}>{t(`safetyProfile.step.${step}`)}</li>
        ))}
      </ol>
      <p className="small muted">{t('safetyProfile.methodSource')}</p>
      {admin && <ChoicesForm profile={p} />}
    </article>
  );
}

function ScoreRow({
  label,
  view,
  band,
  weight,
  theme,
}: {
  label: string;
  view: ScoreView;
  band: [number | null, number | null] | null;
  weight: number | null;
  theme: SafetyProfile['themes'][number] | null;
}) {
  const { t } = useTranslation();
  const { num } = usePrefs();
  const s = (x: number | null) => (x === null ? '—' : num(x, 1));
  return (
    <tr>
      <th scope="row">
        <span dir="auto">{label}</span>
        {theme && theme.present < theme.indicators && (
          <div className="small muted">
            {t('safetyProfile.present', { present: num(theme.present, 0), count: num(theme.indicators, 0) })}
          </div>
        )}
      </th>
      <td className="num">
        <strong>{s(view.score)}</strong>
      </td>
      <td className="num">{band && band[0] !== null ? `${s(band[0])}–${s(band[1])}` : '—'}</td>
      <td className="num">{s(view.group.median)}</td>
      <td className="num">
        {view.group.min === null ? '—' : `${s(view.group.min)}–${s(view.group.max)}`}{' '}
        <span className="small muted">
          ({t('safetyProfile.places', { count: view.group.count, n: num(view.group.count, 0) })})
        </span>
      </td>
      <td className="num">{s(view.country)}</td>
      <td className="num">{weight === null ? '—' : `${num(100 * weight, 0)} %`}</td>
    </tr>
  );
}
