import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { getJson } from '../../../api/client.ts';
import { usePrefs } from '../../../app/prefs.tsx';
import { Loading } from '../../../components/States.tsx';
import { TableScroll } from '../../../components/TableScroll.tsx';
import type { SafetyProfile } from './profile-types.ts';

/**
 * The composite safety profile in short, on the page of a city or a district and so in its PDF (the city profile
 * printed by reports/pdf-report.ts): the overall and theme scores with the band, beside the group's median and range,
 * the choice that moves the score most, the choices in force. Nothing when the place has no profile.
 */
export function SafetyProfileSummary({ code }: { code: string }) {
  const { t } = useTranslation();
  const { lang, num } = usePrefs();
  const q = useQuery({
    queryKey: ['safety-profile', code, lang],
    queryFn: () => getJson<SafetyProfile>('/safety/profile', { place: code, lang }),
    retry: false,
  });
  // Shown as loading until it arrives, so that the printed profile (PDF) waits for it.
  if (q.isPending) return <Loading />;
  const p = q.data;
  if (!p || p.refusal || p.overall.score === null) return null;
  const s = (x: number | null) => (x === null ? '—' : num(x, 1));
  const u = p.uncertainty;
  const rows = [
    { key: 'overall', label: t('safetyProfile.overall'), view: p.overall, band: u ? ([u.p5, u.p95] as const) : null },
    ...p.themes.map((th) => ({ key: th.code, label: th.name ?? th.code, view: th.score, band: null })),
  ];
  return (
    <section className="safety-summary">
      <h2>{t('safetyProfile.title')}</h2>
      {p.synthetic && <p className="notice warn">{t('safetyProfile.synthetic')}</p>}
      <p className="small">
        {t(`safetyProfile.group.${p.group.kind}`, { count: p.group.count, n: num(p.group.count, 0) })}{' '}
        {t('safetyProfile.noRanks')}
      </p>
      <TableScroll>
        <table className="data">
          <caption>{t('safetyProfile.summaryCaption', { place: p.place.name ?? p.place.code })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('safetyProfile.col.score')}</th>
              <th scope="col">{t('safetyProfile.col.place')}</th>
              <th scope="col">{t('safetyProfile.col.band')}</th>
              <th scope="col">{t('safetyProfile.col.groupMedian')}</th>
              <th scope="col">{t('safetyProfile.col.groupRange')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key}>
                <th scope="row">
                  <span dir="auto">{r.label}</span>
                </th>
                <td className="num">
                  <strong>{s(r.view.score)}</strong>
                </td>
                <td className="num">{r.band && r.band[0] !== null ? `${s(r.band[0])}–${s(r.band[1])}` : '—'}</td>
                <td className="num">{s(r.view.group.median)}</td>
                <td className="num">
                  {r.view.group.min === null ? '—' : `${s(r.view.group.min)}–${s(r.view.group.max)}`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <p className="small">
        {u?.mostInfluential
          ? t('safetyProfile.mostInfluential', { choice: t(`safetyProfile.choice.${u.mostInfluential}`) })
          : t('safetyProfile.noInfluence')}{' '}
        {(['normalisation', 'weights', 'aggregation', 'missing'] as const)
          .map((c) => `${t(`safetyProfile.choice.${c}`)}: ${t(`safetyProfile.option.${p.choices[c]}`)}`)
          .join(' · ')}
      </p>
      <p className="no-print">
        <Link to="/safety/profile" search={{ place: p.place.code }}>
          {t('safetyProfile.more')}
        </Link>
      </p>
    </section>
  );
}
