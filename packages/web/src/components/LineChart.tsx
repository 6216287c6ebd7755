import { useRef } from 'react';
import { usePrefs } from '../app/prefs.tsx';
import { useEChart } from './use-echart.ts';

export interface ChartSeries {
  name: string;
  points: { x: number; value: number; label: string }[];
}
export interface ChartTarget {
  value: number;
  year: number;
  label: string;
}

const COLOURS = ['#0b5cab', '#b34700', '#2e7d32', '#6a1b9a', '#00838f', '#ad1457', '#5d4037', '#37474f'];
const SYMBOLS = ['circle', 'rect', 'triangle', 'diamond', 'pin', 'arrow', 'roundRect', 'circle'];
const DASHES = ['solid', 'dashed', 'dotted'] as const;
/**
 * Above this many points in a series, the lines are drawn without a mark per point (told apart by their dash and
 * the legend) and thinned to what the width can show (ECharts' `lttb` sampling, which keeps peaks and troughs):
 * 40 years of months for ten places would otherwise be ~5,000 SVG marks, seconds to draw on a phone. The table
 * below the chart keeps every value.
 */
const DENSE = 60;

/**
 * A time-series chart (ECharts, loaded on first use). Time runs left to right in every
 * language (docs/decisions/0004). The table beside it is its text alternative; the chart is
 * reachable by keyboard and describes itself to screen readers.
 */
export function LineChart({
  series,
  target,
  title,
  describedBy,
  unit,
}: {
  series: ChartSeries[];
  target?: ChartTarget | null;
  title: string;
  describedBy: string;
  unit: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const { num, lang } = usePrefs();
  const dense = series.some((s) => s.points.length > DENSE);
  useEChart(
    ref,
    () => import('./echarts-setup.ts'),
    lang,
    () => ({
      aria: { enabled: true, label: { description: title } },
      animation: false,
      // The legend below the plot and the unit above it, starting at the axis: on a phone the unit's name ran into the
      // legend, and a long one ("Micrograms per cubic metre") was cut at the chart's edge.
      grid: { left: 56, right: 24, top: 40, bottom: 48, containLabel: true },
      tooltip: dense
        ? {
            // No marks to point at: the values of every line at the period under the pointer.
            trigger: 'axis',
            formatter: (ps: { seriesName: string; data: [number, number, string] }[]) =>
              ps.map((p) => `${p.seriesName}: ${p.data[2]} ${num(p.data[1])} ${unit}`).join('<br/>'),
          }
        : {
            trigger: 'item',
            formatter: (p: { seriesName: string; data: [number, number, string] }) =>
              `${p.seriesName}<br/>${p.data[2]}: ${num(p.data[1])} ${unit}`,
          },
      legend: { bottom: 0, type: 'scroll' },
      // Years as numbers (see period-x.ts); labels on whole years only.
      xAxis: {
        type: 'value',
        scale: true,
        minInterval: 1,
        inverse: false,
        axisLabel: { formatter: (v: number) => (Number.isInteger(v) ? num(v, 0).replace(/[,٬]/g, '') : '') },
      },
      yAxis: {
        type: 'value',
        name: unit,
        nameLocation: 'end',
        nameTextStyle: { align: 'left' },
        axisLabel: { formatter: (v: number) => num(v) },
      },
      series: [
        ...series.map((s, i) => ({
          name: s.name,
          type: 'line',
          ...(dense
            ? { showSymbol: false, sampling: 'lttb', lineStyle: { width: 2, type: DASHES[i % DASHES.length] } }
            : {
                symbol: SYMBOLS[i % SYMBOLS.length],
                symbolSize: 7,
                lineStyle: { width: 2, type: i % 2 ? 'dashed' : 'solid' },
              }),
          color: COLOURS[i % COLOURS.length],
          data: s.points.map((p) => [p.x, p.value, p.label]),
        })),
        ...(target
          ? [
              {
                name: target.label,
                type: 'scatter',
                symbol: 'diamond',
                symbolSize: 12,
                color: '#1a1f2b',
                data: [[target.year, target.value, String(target.year)]],
                markLine: {
                  silent: true,
                  symbol: 'none',
                  lineStyle: { type: 'dotted', color: '#1a1f2b' },
                  label: { formatter: target.label },
                  data: [{ yAxis: target.value }],
                },
              },
            ]
          : []),
      ],
    }),
    [series, target, title, unit, num, dense],
  );
  return (
    <div
      ref={ref}
      className="chart"
      role="img"
      aria-label={title}
      aria-describedby={describedBy}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: keyboard users reach the chart and hear its name and table
      tabIndex={0}
      style={{ direction: 'ltr' }}
    />
  );
}
