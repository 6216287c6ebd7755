import { z } from 'zod';
import { parsePeriod, type ObservationStatus } from '@marsad/core';
import type { ObservationFilter } from '@marsad/db';
import { HttpError } from '../http/errors.ts';
import { BoolParam, CodeList } from '../http/pagination.ts';

export const ObservationQuery = z.object({
  indicator: CodeList.optional().describe('Indicator codes, comma-separated'),
  series: CodeList.optional().describe('Series codes (UN series codes or labels)'),
  place: CodeList.optional().describe('Place codes, comma-separated'),
  subtree: BoolParam.optional().describe('Include every place below the given places'),
  from: z.string().max(40).optional().describe('Periods ending on or after the start of this period (e.g. 2015)'),
  to: z.string().max(40).optional().describe('Periods starting on or before the end of this period (e.g. 2030)'),
  dim: z.union([z.string(), z.array(z.string())]).optional().describe('Dimension filter CODE:VALUE[|VALUE…], repeatable, e.g. dim=SEX:F; _T is the total'),
  total: BoolParam.optional().describe('Only values without disaggregation'),
  status: CodeList.optional().describe('Statuses (provisional, validated, approved); the public sees approved values only'),
});
export type ObservationQuery = z.infer<typeof ObservationQuery>;

/** Turns query parameters into a filter; without the token only approved values are visible. */
export function toFilter(q: ObservationQuery, privileged: boolean): ObservationFilter {
  const f: ObservationFilter = { indicators: q.indicator, series: q.series, places: q.place, subtree: q.subtree, totalOnly: q.total };
  if (q.from) {
    const p = parsePeriod(q.from);
    if (!p.ok) throw new HttpError(400, 'bad_request', `from: ${p.message}`);
    f.from = p.period.start;
  }
  if (q.to) {
    const p = parsePeriod(q.to);
    if (!p.ok) throw new HttpError(400, 'bad_request', `to: ${p.message}`);
    f.to = p.period.end;
  }
  if (q.dim) {
    f.dims = {};
    for (const d of Array.isArray(q.dim) ? q.dim : [q.dim]) {
      const m = /^([^:]+):(.+)$/.exec(d);
      if (!m) throw new HttpError(400, 'bad_request', `dim: "${d}" is not CODE:VALUE (e.g. SEX:F)`);
      f.dims[m[1]!] = m[2]!.split('|');
    }
  }
  const statuses = (q.status ?? []) as string[];
  for (const s of statuses) {
    if (!['provisional', 'validated', 'approved'].includes(s)) throw new HttpError(400, 'bad_request', `status: "${s}" is not provisional, validated or approved`);
  }
  if (!privileged) {
    if (statuses.some((s) => s !== 'approved')) throw new HttpError(403, 'forbidden', 'Only approved values are public; send the administrator token to see others.');
    f.statuses = ['approved'];
  } else if (statuses.length) f.statuses = statuses as ObservationStatus[];
  return f;
}
