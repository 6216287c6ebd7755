import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { usePrefs } from '../../../app/prefs.tsx';
import { useEChart } from '../../../components/use-echart.ts';
import { dirOf } from '../../../i18n/languages.ts';

export interface ScoreRow {
  label: string;
  score: number | null;
  /** The place's uncertainty band (5th–95th percentile), where computed. */
  low: number | null;
  high: number | null;
  median: number | null;
  min: number | null;
  max: number | null;
}

const HIDDEN = { color: 'transparent' };

/**
 * The place's scores (overall and per theme) on the 0–100 scale: its score as a dot, its uncertainty band as a dark
 * bar, the group's range as a pale bar and the group's median as a diamond — in the order the themes have, one
 * place only. Ranges are stacked bars over an invisible base. Bars start at the start of the line (the right in
 * Arabic). The table beside it is its text alternative (`describedBy`).
 */
export function ScoreChart({ rows, title, describedBy }: { rows: ScoreRow[]; title: string; describedBy: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const { t } = useTranslation();
  const { num, lang } = usePrefs();
  const rtl = dirOf(lang) === 'rtl';
  const labels = rows.map((r) => r.label);
  const span = (a: number | null, b: number | null) => (a === null || b === null ? null : Math.max(0, b - a));
  useEChart(
    ref,
    () => import('./echarts-profile-setup.ts'),
    lang,
    (el) => {
      // On a phone the theme names take less of the width, and the legend wraps instead of scrolling.
      const narrow = el.clientWidth < 560;
      return {
        // The page's fonts, so that ECharts measures Arabic labels with the font that draws them.
        textStyle: { fontFamily: getComputedStyle(el).fontFamily },
        aria: { enabled: true, label: { description: title } },
        animation: false,
        grid: { left: 16, right: 24, top: 16, bottom: narrow ? 84 : 56, containLabel: true },
        legend: {
          bottom: 0,
          type: 'plain',
          itemGap: narrow ? 8 : 16,
          data: [
            t('safetyProfile.chart.score'),
            t('safetyProfile.chart.band'),
            t('safetyProfile.chart.groupRange'),
            t('safetyProfile.chart.groupMedian'),
          ],
        },
        tooltip: {
          trigger: 'axis',
          axisPointer: { type: 'shadow' },
          formatter: (ps: { dataIndex: number }[]) => {
            const r = rows[ps[0]?.dataIndex ?? 0];
            if (!r) return '';
            return [
              r.label,
              `${t('safetyProfile.chart.score')}: ${num(r.score, 1)}`,
              r.low !== null ? `${t('safetyProfile.chart.band')}: ${num(r.low, 1)}–${num(r.high, 1)}` : '',
              `${t('safetyProfile.chart.groupMedian')}: ${num(r.median, 1)}`,
              `${t('safetyProfile.chart.groupRange')}: ${num(r.min, 1)}–${num(r.max, 1)}`,
            ]
              .filter(Boolean)
              .join('<br/>');
          },
        },
        xAxis: { type: 'value', min: 0, max: 100, inverse: rtl, axisLabel: { formatter: (v: number) => num(v, 0) } },
        yAxis: {
          type: 'category',
          data: labels,
          inverse: true,
          position: rtl ? 'right' : 'left',
          axisLabel: {
            // Every theme named (ECharts would otherwise drop labels that crowd each other).
            interval: 0,
            width: narrow ? 112 : 160,
            overflow: 'break',
            fontSize: narrow ? 12 : 13,
            lineHeight: 16,
          },
        },
        series: [
          {
            name: 'group-base',
            type: 'bar',
            stack: 'group',
            itemStyle: HIDDEN,
            silent: true,
            data: rows.map((r) => r.min),
          },
          {
            name: t('safetyProfile.chart.groupRange'),
            type: 'bar',
            stack: 'group',
            color: '#c9d3e0',
            barWidth: 14,
            data: rows.map((r) => span(r.min, r.max)),
          },
          {
            name: 'band-base',
            type: 'bar',
            stack: 'band',
            itemStyle: HIDDEN,
            silent: true,
            data: rows.map((r) => r.low),
          },
          {
            name: t('safetyProfile.chart.band'),
            type: 'bar',
            stack: 'band',
            color: '#0b5cab',
            barWidth: 8,
            data: rows.map((r) => span(r.low, r.high)),
          },
          {
            name: t('safetyProfile.chart.groupMedian'),
            type: 'scatter',
            symbol: 'diamond',
            symbolSize: 14,
            color: '#1a1f2b',
            data: rows.map((r) => r.median),
          },
          {
            name: t('safetyProfile.chart.score'),
            type: 'scatter',
            symbol: 'circle',
            symbolSize: 14,
            color: '#b34700',
            data: rows.map((r) => r.score),
          },
        ],
      };
    },
    [rows, title, num, rtl, t],
  );
  return (
    <div
      ref={ref}
      className="chart safety-score-chart"
      role="img"
      aria-label={title}
      aria-describedby={describedBy}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: keyboard users reach the chart and hear its name and table
      tabIndex={0}
      // ECharts lays its text out left to right; the axis and the legend are placed for the language above.
      style={{ direction: 'ltr', height: `${Math.max(200, 58 * rows.length + 110)}px` }}
    />
  );
}
