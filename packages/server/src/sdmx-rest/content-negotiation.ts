/**
 * Which representation an SDMX REST request gets: by the `format` parameter when it has one (what SDMX 2.1 services
 * such as .Stat take: genericdata, structurespecificdata, jsondata, csvfile), else by the Accept header (q-values
 * honoured, the earlier of equal ones first). `application/xml`, `text/xml`, `*` / `*` or no Accept (what rsdmx sends)
 * get SDMX-ML 2.1; an Accept that names only what Marsad cannot write is null: 406. Pure: no I/O.
 */

export type DataFormat = 'generic' | 'structurespecific' | 'json' | 'csv';
export type StructureFormat = 'xml' | 'json';

export const DATA_CONTENT_TYPES: Record<DataFormat, string> = {
  generic: 'application/vnd.sdmx.genericdata+xml; version=2.1; charset=utf-8',
  structurespecific: 'application/vnd.sdmx.structurespecificdata+xml; version=2.1; charset=utf-8',
  json: 'application/vnd.sdmx.data+json; version=2.0.0; charset=utf-8',
  csv: 'application/vnd.sdmx.data+csv; version=2.0.0; charset=utf-8',
};

export const STRUCTURE_CONTENT_TYPES: Record<StructureFormat, string> = {
  xml: 'application/vnd.sdmx.structure+xml; version=2.1; charset=utf-8',
  json: 'application/vnd.sdmx.structure+json; version=2.0.0; charset=utf-8',
};

/** What the service answers, for the message of a 406. */
export const DATA_MEDIA_TYPES = [
  'application/vnd.sdmx.genericdata+xml;version=2.1',
  'application/vnd.sdmx.structurespecificdata+xml;version=2.1',
  'application/vnd.sdmx.data+json;version=2.0.0',
  'application/vnd.sdmx.data+csv;version=2.0.0',
  'application/xml',
];
export const STRUCTURE_MEDIA_TYPES = [
  'application/vnd.sdmx.structure+xml;version=2.1',
  'application/vnd.sdmx.structure+json;version=2.0.0',
  'application/xml',
];

interface MediaRange {
  type: string;
  params: Record<string, string>;
  q: number;
  order: number;
}

/** The media ranges of an Accept header, without those of q=0. */
export function parseAccept(accept: string | undefined): MediaRange[] {
  const out: MediaRange[] = [];
  (accept ?? '').split(',').forEach((part, order) => {
    const [type, ...rest] = part.split(';');
    const t = (type ?? '').trim().toLowerCase();
    if (!t) return;
    const params: Record<string, string> = {};
    let q = 1;
    for (const p of rest) {
      const eq = p.indexOf('=');
      if (eq < 0) continue;
      const name = p.slice(0, eq).trim().toLowerCase();
      const value = p
        .slice(eq + 1)
        .trim()
        .replace(/^"(.*)"$/, '$1');
      if (name === 'q') q = Number.isFinite(Number(value)) ? Number(value) : 0;
      else params[name] = value;
    }
    if (q > 0) out.push({ type: t, params, q, order });
  });
  return out;
}

/** Whether a media type's `version` parameter is absent or one of these. */
const versionIs = (r: MediaRange, ...versions: string[]) =>
  r.params.version === undefined || versions.includes(r.params.version);

function dataFormatOf(r: MediaRange): DataFormat | null {
  switch (r.type) {
    case 'application/vnd.sdmx.genericdata+xml':
      return versionIs(r, '2.1') ? 'generic' : null;
    case 'application/vnd.sdmx.structurespecificdata+xml':
      return versionIs(r, '2.1') ? 'structurespecific' : null;
    case 'application/vnd.sdmx.data+json':
      return versionIs(r, '2.0.0', '2.0') ? 'json' : null;
    case 'application/vnd.sdmx.data+csv':
      return versionIs(r, '2.0.0', '2.0') ? 'csv' : null;
    case 'application/json':
      return 'json';
    case 'text/csv':
      return 'csv';
    case 'application/xml':
    case 'text/xml':
    case 'application/*':
    case 'text/*':
    case '*/*':
      return 'generic';
    default:
      return null;
  }
}

function structureFormatOf(r: MediaRange): StructureFormat | null {
  switch (r.type) {
    case 'application/vnd.sdmx.structure+xml':
      return versionIs(r, '2.1') ? 'xml' : null;
    case 'application/vnd.sdmx.structure+json':
      return versionIs(r, '2.0.0', '2.0') ? 'json' : null;
    case 'application/json':
      return 'json';
    case 'application/xml':
    case 'text/xml':
    case 'application/*':
    case 'text/*':
    case '*/*':
      return 'xml';
    default:
      return null;
  }
}

function choose<F>(accept: string | undefined, formatOf: (r: MediaRange) => F | null, fallback: F): F | null {
  if (accept === undefined || accept.trim() === '') return fallback;
  const ranges = parseAccept(accept);
  let best: { f: F; q: number; order: number } | null = null;
  for (const r of ranges) {
    const f = formatOf(r);
    if (f === null) continue;
    if (!best || r.q > best.q || (r.q === best.q && r.order < best.order)) best = { f, q: r.q, order: r.order };
  }
  return best?.f ?? null;
}

const DATA_FORMAT_PARAMETER: Record<string, DataFormat> = {
  genericdata: 'generic',
  generic: 'generic',
  structurespecificdata: 'structurespecific',
  structurespecific: 'structurespecific',
  jsondata: 'json',
  json: 'json',
  'sdmx-json': 'json',
  csvfile: 'csv',
  csv: 'csv',
  'sdmx-csv': 'csv',
};

const STRUCTURE_FORMAT_PARAMETER: Record<string, StructureFormat> = {
  xml: 'xml',
  structure: 'xml',
  'sdmx-ml': 'xml',
  json: 'json',
  jsonstructure: 'json',
  'sdmx-json': 'json',
};

/** The data format asked for, or null when none Marsad writes is acceptable (406). */
export function negotiateData(accept: string | undefined, format: string | undefined): DataFormat | null {
  if (format !== undefined) return DATA_FORMAT_PARAMETER[format.trim().toLowerCase()] ?? null;
  return choose(accept, dataFormatOf, 'generic' as DataFormat);
}

/** The structure format asked for, or null when none Marsad writes is acceptable (406). */
export function negotiateStructure(accept: string | undefined, format: string | undefined): StructureFormat | null {
  if (format !== undefined) return STRUCTURE_FORMAT_PARAMETER[format.trim().toLowerCase()] ?? null;
  return choose(accept, structureFormatOf, 'xml' as StructureFormat);
}
