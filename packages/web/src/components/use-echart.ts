import { type DependencyList, type RefObject, useEffect } from 'react';

interface Chart {
  setOption(option: object): void;
  dispose(): void;
  resize(): void;
}
interface ECharts {
  init(el: HTMLElement, theme: undefined, opts: { renderer: 'svg'; locale: string }): Chart;
}

/**
 * Draws an ECharts chart in `ref` (SVG, in the reader's language), with the option `build` gives
 * once the lazily loaded ECharts `load` resolves: drawn again when the window is resized and when
 * the page is printed (the print layout fixes the chart's size), disposed when the inputs
 * (`deps`) change or the component goes. `build` gets the element, e.g. to read its font.
 */
export function useEChart(
  ref: RefObject<HTMLDivElement | null>,
  load: () => Promise<{ echarts: ECharts }>,
  lang: string,
  build: (el: HTMLElement) => object,
  deps: DependencyList,
): void {
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller names the inputs of `build` in `deps`
  useEffect(() => {
    let disposed = false;
    let chart: Chart | undefined;
    const onResize = () => chart?.resize();
    const print = window.matchMedia('print');
    void load().then(({ echarts }) => {
      if (disposed || !ref.current) return;
      chart = echarts.init(ref.current, undefined, { renderer: 'svg', locale: lang === 'zh' ? 'ZH' : 'EN' });
      chart.setOption(build(ref.current));
      window.addEventListener('resize', onResize);
      window.addEventListener('beforeprint', onResize);
      window.addEventListener('afterprint', onResize);
      print.addEventListener('change', onResize);
    });
    return () => {
      disposed = true;
      window.removeEventListener('resize', onResize);
      window.removeEventListener('beforeprint', onResize);
      window.removeEventListener('afterprint', onResize);
      print.removeEventListener('change', onResize);
      chart?.dispose();
    };
  }, [lang, ...deps]);
}
