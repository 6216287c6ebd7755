const DAY = 86_400_000;
const YEAR = 365.25 * DAY;

function fractionalYear(ms: number): number {
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  const start = Date.UTC(y, 0, 1);
  return y + (ms - start) / (Date.UTC(y + 1, 0, 1) - start);
}

/**
 * Where a period sits on a chart's time axis, in years: a period of a year or less at its
 * start (2016 → 2016.0, 2024-Q2 → 2024.25, financial year 2017-18 → 2017.5), a longer span at
 * its middle (1990-1999 → 1995.0).
 */
export function periodX(start: string, end: string): number {
  const s = Date.parse(start);
  const e = Date.parse(end) + DAY;
  return e - s > YEAR * 1.01 ? fractionalYear((s + e) / 2) : fractionalYear(s);
}
