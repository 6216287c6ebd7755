import { useEffect, useRef } from 'react';
import { usePrefs } from '../app/prefs.tsx';

export interface BarSeries { name: string; values: number[] }

const COLOURS = ['#0b5cab', '#b34700', '#2e7d32', '#6a1b9a', '#00838f', '#ad1457', '#5d4037', '#37474f'];
const DECALS = [undefined, { symbol: 'rect', dashArrayX: [1, 0], dashArrayY: [2, 5], rotation: Math.PI / 4, color: 'rgba(255,255,255,0.5)' }, { symbol: 'circle', symbolSize: 0.6, color: 'rgba(255,255,255,0.6)' }];

/**
 * Horizontal bars of named categories (ECharts, loaded on first use): one bar per category and
 * series, the category names read in the page's language (labels on the start side, so Arabic
 * reads right to left). Series are told apart by colour and pattern. The table or list beside it
 * is its text alternative; the chart describes itself to screen readers. Printed at its size.
 */
export function BarChart({ categories, series, title, describedBy }: { categories: string[]; series: BarSeries[]; title: string; describedBy: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const { num, lang } = usePrefs();
  const rtl = lang === 'ar';
  useEffect(() => {
    let disposed = false;
    let chart: { dispose(): void; resize(): void } | undefined;
    const onResize = () => chart?.resize();
    void import('./echarts-setup.ts').then(({ echarts }) => {
      if (disposed || !ref.current) return;
      const c = echarts.init(ref.current, undefined, { renderer: 'svg', locale: lang === 'zh' ? 'ZH' : 'EN' });
      chart = c;
      c.setOption({
        aria: { enabled: true, label: { description: title }, decal: { show: true } },
        animation: false,
        grid: { left: 16, right: 24, top: series.length > 1 ? 36 : 12, bottom: 24, containLabel: true },
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        legend: series.length > 1 ? { top: 0, type: 'scroll' } : undefined,
        xAxis: { type: 'value', minInterval: 1, inverse: rtl, axisLabel: { formatter: (v: number) => num(v, 0) } },
        yAxis: { type: 'category', data: categories, inverse: true, position: rtl ? 'right' : 'left', axisLabel: { width: 220, overflow: 'break' } },
        series: series.map((s, i) => ({
          name: s.name, type: 'bar', color: COLOURS[i % COLOURS.length], data: s.values,
          itemStyle: DECALS[i % DECALS.length] ? { decal: DECALS[i % DECALS.length] } : undefined,
          label: { show: true, position: rtl ? 'left' : 'right', formatter: (p: { value: number }) => (p.value ? num(p.value, 0) : '') },
        })),
      });
      window.addEventListener('resize', onResize);
    });
    return () => {
      disposed = true;
      window.removeEventListener('resize', onResize);
      chart?.dispose();
    };
  }, [categories, series, title, num, lang, rtl]);
  const height = Math.max(12, categories.length * Math.max(2.2, series.length * 1.2) + 5);
  return <div ref={ref} className="chart bar-chart" role="img" aria-label={title} aria-describedby={describedBy} tabIndex={0} style={{ direction: 'ltr', blockSize: `${height}rem` }} />;
}
