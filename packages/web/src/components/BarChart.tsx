import { useRef } from 'react';
import { usePrefs } from '../app/prefs.tsx';
import { dirOf } from '../i18n/languages.ts';
import { useEChart } from './use-echart.ts';

/** One bar per place (a country report): `highlight` marks the place the page is about. */
export interface Bar {
  label: string;
  value: number;
  highlight?: boolean;
}
/** Several series over named categories (the Board report: measures, difficulties, needs by theme). */
export interface BarSeries {
  name: string;
  values: number[];
}

type Data = { bars: Bar[] } | { categories: string[]; series: BarSeries[] };

const COLOURS = ['#0b5cab', '#b34700', '#2e7d32', '#6a1b9a'];
const DECALS = [
  undefined,
  { symbol: 'rect', dashArrayX: [1, 0], dashArrayY: [2, 5], rotation: Math.PI / 4, color: 'rgba(255,255,255,0.55)' },
  { symbol: 'circle', symbolSize: 0.6, color: 'rgba(255,255,255,0.6)' },
];

/**
 * Horizontal bars (ECharts, loaded on first use), in the order given — never sorted by value
 * (Marsad ranks no one). Bars grow from the start of the line: from the right in Arabic, with
 * the category names on the start side. Several series are told apart by colour and pattern,
 * with a legend. The table beside it is its text alternative (`describedBy`); the chart is
 * reachable by keyboard and describes itself to screen readers. Its size is fixed in print
 * (styles.css), and it is drawn again when the page is printed.
 */
export function BarChart(props: Data & { title: string; describedBy: string; unit?: string }) {
  const { title, describedBy, unit = '' } = props;
  const ref = useRef<HTMLDivElement>(null);
  const { num, lang } = usePrefs();
  const rtl = dirOf(lang) === 'rtl';
  const categories = 'bars' in props ? props.bars.map((b) => b.label) : props.categories;
  const many = 'series' in props && props.series.length > 1;
  useEChart(
    ref,
    () => import('./echarts-bars-setup.ts'),
    lang,
    (el) => {
      const label = {
        show: true,
        position: rtl ? 'left' : 'right',
        formatter: (p: { value: number }) => (p.value ? num(p.value) : ''),
        color: '#1a1f2b',
      };
      const series =
        'bars' in props
          ? [
              {
                type: 'bar',
                barMaxWidth: 28,
                label,
                data: props.bars.map((b) => ({
                  value: b.value,
                  itemStyle: {
                    color: b.highlight ? '#1a1f2b' : COLOURS[0],
                    decal: b.highlight
                      ? { symbol: 'rect', dashArrayX: [1, 0], dashArrayY: [3, 3], rotation: -Math.PI / 4 }
                      : undefined,
                  },
                })),
              },
            ]
          : props.series.map((s, i) => ({
              name: s.name,
              type: 'bar',
              barMaxWidth: 18,
              label,
              color: COLOURS[i % COLOURS.length],
              data: s.values,
              itemStyle: DECALS[i % DECALS.length] ? { decal: DECALS[i % DECALS.length] } : undefined,
            }));
      return {
        // The page's fonts, so that ECharts measures Arabic labels with the font that draws them.
        textStyle: { fontFamily: getComputedStyle(el).fontFamily },
        aria: { enabled: true, label: { description: title } },
        animation: false,
        grid: { left: 16, right: 16, top: many ? 56 : 28, bottom: 8, containLabel: true },
        tooltip: many
          ? { trigger: 'axis', axisPointer: { type: 'shadow' } }
          : {
              trigger: 'item',
              formatter: (p: { name: string; value: number }) => `${p.name}: ${num(p.value)} ${unit}`,
            },
        legend: many ? { top: 0, type: 'scroll' } : undefined,
        xAxis: {
          type: 'value',
          inverse: rtl,
          name: unit,
          nameLocation: 'middle',
          nameGap: 24,
          position: 'top',
          minInterval: many ? 1 : undefined,
          axisLabel: { formatter: (v: number) => num(v) },
        },
        yAxis: {
          type: 'category',
          inverse: true,
          position: rtl ? 'right' : 'left',
          data: categories,
          axisLabel: many
            ? { width: 300, overflow: 'break', fontSize: 13, lineHeight: 17 }
            : { width: 180, overflow: 'truncate', fontSize: 13 },
        },
        series,
      };
    },
    ['bars' in props ? props.bars : props.series, categories.join('\u0001'), title, unit, num, rtl, many],
  );
  const rows = 'bars' in props ? props.bars.length : props.categories.length * Math.max(1, props.series.length);
  return (
    <div
      ref={ref}
      className="chart chart-bars"
      role="img"
      aria-label={title}
      aria-describedby={describedBy}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: keyboard users reach the chart and hear its name and table
      tabIndex={0}
      style={{ direction: 'ltr', blockSize: `${Math.max(140, (many ? 84 : 60) + rows * (many ? 22 : 40))}px` }}
    />
  );
}
