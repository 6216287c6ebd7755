/**
 * The Open SDG data repositories of the UK (Office for National Statistics, OGL v3.0) and Kazakhstan (Bureau of
 * National Statistics, MIT) in ../shared/data/open-sdg, imported whole as a national focal point would (issue 14):
 * indicators created where the catalogue lacks them, places named by REF_AREA/GeoCode created under the country,
 * code lists extended, values in another unit kept in a series of their own, approved.
 *
 * Used by the PostgreSQL test (real-repositories.test.ts) and by the browser crawl (packages/web/test/
 * open-sdg-crawl.browser.test.ts), which imports them on PGlite and opens their pages; scripts/crawl-open-sdg.ts
 * opens every page.
 */
import path from 'node:path';
import type { Store } from '@marsad/db';
import { folderRepository, importRepository, type RepositoryReport } from '../src/index.ts';

export const OPEN_SDG_DIR = path.resolve(import.meta.dirname, '../../../../shared/data/open-sdg');

export interface RealRepository {
  /** Folder under OPEN_SDG_DIR. */
  folder: string;
  /** The country the repository reports for. */
  place: string;
  publisher: string;
  /**
   * The data files refused, each with what its first error says: files inconsistent in themselves (the same
   * key twice, a row with too few cells, one code given to two places, a unit in the unit multiplier column,
   * two periods "1974a" and "1974b" that no period form tells apart) and values that break the indicator's
   * validation rules (a negative proportion). Every other data file imports.
   */
  refused: Record<string, RegExp>;
}

const DUPLICATE = /the same indicator, series, place, period .* and disaggregation as/;
const TOO_FEW_CELLS = /the row has \d+ cells but the header has \d+ columns/;

export const REAL_REPOSITORIES: RealRepository[] = [
  {
    folder: 'kazakhstan',
    place: 'KAZ',
    publisher: 'Bureau of National Statistics of Kazakhstan',
    refused: Object.fromEntries([
      ...[
        '2-a-1',
        '3-3-1-1',
        '4-1-1',
        '4-5-1',
        '5-5-2',
        '7-2-1',
        '8-3-1-1',
        '8-3-1',
        '8-5-1',
        '8-7-1',
        '9-1-2',
        '9-2-2',
        '9-c-1',
        '11-3-1',
        '11-6-2',
        '15-1-1',
        '15-2-1',
        '17-3-1-2',
        '17-3-1-3',
      ].map((c) => [`data/indicator_${c}.csv`, DUPLICATE] as const),
      ['data/indicator_4-c-1-2.csv', TOO_FEW_CELLS],
      ['data/indicator_8-6-1.csv', TOO_FEW_CELLS],
    ]),
  },
  {
    folder: 'uk-ons',
    place: 'GBR',
    publisher: 'Office for National Statistics',
    refused: Object.fromEntries([
      ...[
        '2-1-2',
        '3-3-2',
        '3-3-3',
        '3-3-4',
        '3-b-1',
        '4-3-1',
        '5-4-1',
        '6-3-2',
        // Two rows with GeoCode E12000003 (Yorkshire and The Humber), one labelled England, one Northern Ireland.
        '7-b-1',
        '8-5-1',
        '9-5-2',
        '12-4-2',
        '12-a-1',
        '16-1-1',
      ].map((c) => [`data/indicator_${c}.csv`, DUPLICATE] as const),
      ['data/indicator_1-3-1.csv', /"Percentage \(%\)" is not a unit multiplier/],
      ['data/indicator_4-c-1.csv', /GeoCode "E12000004" is given to Local authority "Derbyshire"/],
      ['data/indicator_5-5-1.csv', /"1974a" is not a recognised period/],
      ['data/indicator_11-6-1.csv', /-0\.1 is below the smallest value allowed for this indicator/],
    ]),
  },
];

export async function importRealRepository(store: Store, repo: RealRepository): Promise<RepositoryReport> {
  return importRepository(store, await folderRepository(path.join(OPEN_SDG_DIR, repo.folder)), {
    place: repo.place,
    publisher: repo.publisher,
    createIndicators: true,
    createPlaces: true,
    extendCodes: true,
    newSeriesForUnits: true,
    actor: 'test',
    status: 'approved',
    rowStatusAllowed: true,
  });
}

/**
 * What went differently from REAL_REPOSITORIES' expectation, one line per data file (empty when all is as
 * expected): a file refused that should import, one imported that should be refused, or refused for another
 * reason.
 */
export function unexpectedOutcomes(repo: RealRepository, report: RepositoryReport): string[] {
  const out: string[] = [];
  const data = report.files.filter((f) => f.kind === 'data');
  const seen = new Set<string>();
  for (const f of data) {
    if (seen.has(f.path)) out.push(`${f.path}: reported twice`);
    seen.add(f.path);
    const expected = repo.refused[f.path];
    const first = f.errors[0];
    const said = first ? `${String(first.at)}${first.column ? `, ${first.column}` : ''}: ${first.message}` : f.reason;
    if (f.outcome === 'skipped' && /^archived indicator/.test(f.reason ?? '')) continue;
    if (expected === undefined && f.outcome !== 'imported') out.push(`${f.path}: ${f.outcome} (${said})`);
    if (expected !== undefined && (f.outcome !== 'refused' || !expected.test(said ?? '')))
      out.push(`${f.path}: expected refused with ${expected}, was ${f.outcome} (${said ?? ''})`);
  }
  for (const p of Object.keys(repo.refused)) if (!seen.has(p)) out.push(`${p}: not in the report`);
  return out;
}

/**
 * What the imported data must look like, whatever the database (an empty list when all holds): regions under
 * their country, Sex on SEX (no SEX_2), attributes never breakdowns, 11.3.1's negative ratio and 16.6.2's
 * fieldwork dates kept, metadata stored.
 */
export async function importedShapeProblems(store: Store): Promise<string[]> {
  return store.exclusive(async (conn) => {
    const problems: string[] = [];
    const one = async <T>(sql: string, params: unknown[] = []) => (await conn.query<T>(sql, params)).rows[0];
    const parentOf = async (code: string) =>
      (
        await one<{ parent: string | null }>(
          'SELECT p.code AS parent FROM places c LEFT JOIN places p ON p.id = c.parent_id WHERE c.code = $1',
          [code],
        )
      )?.parent;
    for (const [region, country] of [
      ['KZABY', 'KAZ'],
      ['KZALA', 'KAZ'],
      ['E12000001', 'GBR'],
    ] as const) {
      const parent = await parentOf(region);
      if (parent !== country) problems.push(`place ${region}: parent ${String(parent)}, not ${country}`);
    }
    const regionValues = await one<{ n: number }>(
      `SELECT count(*)::int AS n FROM observations o JOIN places p ON p.id = o.place_id WHERE p.code = 'KZABY'`,
    );
    if (!regionValues?.n) problems.push('no values at the region KZABY (REF_AREA)');
    const wrongDimensions = await conn.query<{ code: string }>(
      `SELECT code FROM dimensions WHERE code ~ '^SEX_[0-9]+$' OR upper(code) IN
         ('OBS_STATUS', 'OBSERVATION_STATUS', 'UNIT_MULT', 'UNIT_MULTIPLIER', 'UNIT_MEASURE', 'UNITS', 'COMMENT_OBS')`,
    );
    for (const d of wrongDimensions.rows) problems.push(`dimension ${d.code} made from an attribute or a sex column`);
    const sex = await one<{ n: number }>(
      `SELECT count(*)::int AS n FROM observations o JOIN indicators i ON i.id = o.indicator_id
         JOIN places p ON p.id = o.place_id JOIN disaggregations d ON d.id = o.disagg_id
        WHERE p.code = 'GBR' AND d.key LIKE '%SEX=F%'`,
    );
    if (!sex?.n) problems.push('no UK value broken down by SEX=F');
    const negative = await one<{ n: number }>(
      `SELECT count(*)::int AS n FROM observations o JOIN indicators i ON i.id = o.indicator_id
        WHERE i.code = '11.3.1' AND o.value < 0`,
    );
    if (!negative?.n) problems.push('11.3.1: the negative ratios of the UK file are missing');
    const fieldwork = await one<{ n: number }>(
      `SELECT count(*)::int AS n FROM observations o JOIN indicators i ON i.id = o.indicator_id
        WHERE i.code = '16.6.2' AND o.period = '2023-05-17/2023-06-11'`,
    );
    if (!fieldwork?.n) problems.push('16.6.2: no value for "17 May to 11 June 2023"');
    // Kazakhstan's regions, series, units and breakdowns are named by its translations/<lang>/<GROUP>.yml, and its
    // regions.geojson finds its regions by their Russian names: all but Жамбылская (REF_AREA.yml spells it
    // Жымбылская), г.Нур-Султан (named г_Астана since) and г.Алматы (the catalogue's KZALA, named Алматы).
    const akmola = await one<{ names: Record<string, string> }>(`SELECT names FROM places WHERE code = 'KZAKM'`);
    if (akmola?.names.ru !== 'Акмолинская' || akmola.names.en !== 'Akmola' || !akmola.names.kk)
      problems.push(`KZAKM named ${JSON.stringify(akmola?.names)}, not by REF_AREA.yml`);
    const series = await one<{ names: Record<string, string>; unit_names: Record<string, string> }>(
      `SELECT s.names, s.unit_names FROM series s JOIN indicators i ON i.id = s.indicator_id
        WHERE i.code = '4.a.1' AND s.code = 'SE_ACS_H2O' AND s.unit_code = 'PT'`,
    );
    if (series?.names.en !== 'sources of drinking water' || series.unit_names.ru !== 'процент')
      problems.push(`4.a.1 SE_ACS_H2O: ${JSON.stringify(series)}, not named by SERIES.yml and UNIT_MEASURE.yml`);
    const shapes = await one<{ n: number }>(
      `SELECT count(*)::int AS n FROM place_boundaries b JOIN places p ON p.id = b.place_id
         JOIN places c ON c.id = p.parent_id WHERE c.code = 'KAZ' AND b.match_property = 'kzName'`,
    );
    if ((shapes?.n ?? 0) < 14) problems.push(`${shapes?.n} of Kazakhstan's regions have a shape, not 14`);
    const metadata = await conn.query<{ place: string; n: number }>(
      `SELECT p.code AS place, count(*)::int AS n FROM indicator_metadata m JOIN places p ON p.id = m.place_id
        GROUP BY p.code`,
    );
    for (const country of ['GBR', 'KAZ'])
      if (!metadata.rows.some((r) => r.place === country && r.n > 0)) problems.push(`no metadata for ${country}`);
    return problems;
  });
}
