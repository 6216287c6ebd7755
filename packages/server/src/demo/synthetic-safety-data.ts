/**
 * Synthetic demonstration values of Marsad's draft safety matrix (framework urban-safety) for the pilot cities, so that
 * the demonstration's composite safety profile (docs/methods/safety-index.md) has several indicators in each of the
 * five groups over 2015–2024. NOT real data: imported under the source "Marsad synthetic demonstration data", flagged
 * synthetic (synthetic-pilot-data.ts), so every page that shows them says so. Deterministic: the same values every time.
 */
import { seededRandom } from '@marsad/core';

const PILOT_CITIES = ['MAAGA', 'JOAMM', 'ECUIO', 'KZALA', 'KHBBM', 'CUHAV', 'CRSJO', 'LSMSU'];

interface MatrixSpec {
  indicator: string;
  /** Start value range (2015) and yearly relative change range. */
  start: [number, number];
  trend: [number, number];
  digits: number;
  max?: number;
}

/** Three or so indicators per group of the matrix; per 100 000 rates, percentages, square metres. */
export const MATRIX_SPECS: MatrixSpec[] = [
  { indicator: 'USM-CV-01', start: [40, 420], trend: [-0.06, 0.02], digits: 1 },
  { indicator: 'USM-CV-02', start: [80, 650], trend: [-0.05, 0.02], digits: 1 },
  { indicator: 'USM-CV-05', start: [15, 160], trend: [-0.05, 0.03], digits: 1 },
  { indicator: 'USM-VI-01', start: [8, 38], trend: [-0.04, 0.01], digits: 1, max: 100 },
  { indicator: 'USM-VI-04', start: [18, 60], trend: [-0.01, 0.04], digits: 1, max: 100 },
  { indicator: 'USM-VI-05', start: [5, 35], trend: [0, 0.05], digits: 1, max: 100 },
  { indicator: 'USM-PE-01', start: [20, 65], trend: [-0.04, 0.01], digits: 1, max: 100 },
  { indicator: 'USM-PE-02', start: [25, 75], trend: [-0.01, 0.03], digits: 1, max: 100 },
  { indicator: 'USM-PE-04', start: [20, 65], trend: [-0.01, 0.03], digits: 1, max: 100 },
  { indicator: 'USM-RF-01', start: [10, 42], trend: [-0.04, 0.02], digits: 1, max: 100 },
  { indicator: 'USM-RF-02', start: [9, 35], trend: [-0.04, 0.01], digits: 1, max: 100 },
  { indicator: 'USM-RF-05', start: [4, 40], trend: [-0.05, 0.01], digits: 1, max: 100 },
  { indicator: 'USM-PF-01', start: [35, 92], trend: [0, 0.03], digits: 1, max: 100 },
  { indicator: 'USM-PF-02', start: [1, 14], trend: [0, 0.04], digits: 2 },
  { indicator: 'USM-PF-07', start: [0, 40], trend: [0.02, 0.12], digits: 1, max: 100 },
];

function seedOf(text: string): number {
  let h = 2166136261;
  for (const c of text) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return h >>> 0;
}

/**
 * The synthetic matrix values as tidy CSV, for the ordinary importer: 2015–2024, a gap here and there (a city that did
 * not measure an indicator in a year, about one value in ten) so that missing values show as they would.
 */
export function syntheticSafetyCsv(indicatorExists: (code: string) => boolean): string {
  let csv = 'indicator,series,place,period,value\n';
  for (const spec of MATRIX_SPECS) {
    if (!indicatorExists(spec.indicator)) continue;
    for (const city of PILOT_CITIES) {
      const r = seededRandom(seedOf(`${city}${spec.indicator}matrix`));
      let v = spec.start[0] + r() * (spec.start[1] - spec.start[0]);
      const trend = spec.trend[0] + r() * (spec.trend[1] - spec.trend[0]);
      for (let year = 2015; year <= 2024; year++) {
        if (year > 2015) v = v * (1 + trend + (r() - 0.5) * 0.06);
        if (spec.max !== undefined) v = Math.min(spec.max, v);
        const gap = r() < 0.1 && year !== 2015 && year !== 2024;
        if (!gap) csv += `${spec.indicator},,${city},${year},${Number(v.toFixed(spec.digits))}\n`;
      }
    }
  }
  return csv;
}
