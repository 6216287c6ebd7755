import { testStoreKinds } from '@marsad/db/testing';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, createTestApp, importText, normalise, type Obs, type TestApp } from './helpers.ts';

/**
 * CSV injection (issue 13): text that a spreadsheet would read as a formula — notes, sources, open
 * dimension values, file names, column names — is neutralised in every CSV Marsad writes (a quote
 * before it, the field quoted: formats/common/csv-cell.ts), numbers stay numbers, and Marsad's
 * readers take the quote away again, so an export imports back exactly.
 */
const HYPERLINK = '=HYPERLINK("http://evil.example","x")';
const DATA = [
  'indicator,series,place,period,value,unit,status,source,note,Household',
  // Negative values: a local indicator (created by the import), since 16.1.1 refuses values below 0.
  `X.NEG,,MAAGA,2015,-5,,approved,@Police records,"${HYPERLINK.replace(/"/g, '""')}",`,
  'X.NEG,,MAAGA,2016,-0.3,,approved,Police records,@SUM(1+1),-5 households',
  '16.1.1,VC_IHR_PSRC,MAAGA,2017,+1e3,PER_100000,approved,+Census,+212 537 00 00 00,=1+1',
  '16.1.1,VC_IHR_PSRC,MAAGA,2018,4,PER_100000,approved,Police records,-5 households,@home',
  // A tab before a formula: the import trims it, the formula stays.
  '16.1.1,VC_IHR_PSRC,MAAGA,2019,4.5,PER_100000,approved,,"\t=1+2",',
  // A note that itself begins with a quote and a formula character (the file says so with two quotes).
  "16.1.1,VC_IHR_PSRC,MAAGA,2020,3,PER_100000,provisional,,''=not a formula,",
  '11.1.1,,JOAMM,2020,31.5,PERCENT,approved,Census,ملاحظة,',
].join('\n');

/** What a spreadsheet reads as the start of a formula. */
const DANGEROUS = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/** The cells of a CSV text as a spreadsheet splits them (comma-separated, quotes as RFC 4180). */
function cells(csv: string): string[][] {
  const text = csv.replace(/^\uFEFF/, '');
  return Papa.parse<string[]>(text, {
    delimiter: ',',
    newline: text.includes('\r\n') ? '\r\n' : '\n',
    skipEmptyLines: true,
  }).data;
}

/**
 * Fails on a cell that begins with a dangerous character, unless its column holds numbers and the
 * cell is one (`-5` in a value column is a number, not a formula). Returns the rows as records.
 */
function expectSafe(csv: string, numericColumns: string[] = []): Record<string, string>[] {
  const [header = [], ...rows] = cells(csv);
  expect(header.length).toBeGreaterThan(0);
  const numeric = new Set(numericColumns);
  for (const [r, row] of [header, ...rows].entries()) {
    for (const [c, cell] of row.entries()) {
      if (!DANGEROUS.test(cell)) continue;
      const column = header[c] ?? '';
      const isNumber = r > 0 && numeric.has(column) && /^[+-]?\d/.test(cell) && Number.isFinite(Number(cell));
      expect(isNumber, `row ${r + 1}, column ${column}: ${JSON.stringify(cell)}`).toBe(true);
    }
  }
  return rows.map((row) => Object.fromEntries(header.map((h, i) => [h, row[i] ?? ''])));
}

const observations = async (t: TestApp): Promise<Obs[]> =>
  (await t.app.inject({ url: '/api/v1/observations?limit=1000', headers: AUTH })).json().items;

const EXPORTS: {
  name: string;
  url: string;
  numeric: string[];
  import: Record<string, string>;
  only?: (o: Obs) => boolean;
}[] = [
  { name: 'CSV', url: '/api/v1/observations/export?format=csv', numeric: ['value'], import: { format: 'csv' } },
  {
    name: 'Open SDG',
    url: '/api/v1/observations/export?format=open-sdg&indicator=16.1.1&place=MAAGA',
    numeric: ['Value'],
    import: { format: 'open-sdg', fileName: 'indicator_16-1-1.csv', place: 'MAAGA' },
    only: (o) => o.indicator === '16.1.1' && o.place === 'MAAGA',
  },
  {
    name: 'SDMX-CSV',
    url: '/api/v1/observations/export?format=sdmx-csv',
    numeric: ['OBS_VALUE'],
    import: { format: 'sdmx-csv' },
  },
  {
    name: 'bulk download (CSV)',
    url: '/api/v1/downloads/all?format=csv',
    numeric: ['value'],
    import: { format: 'csv' },
    only: (o) => o.status === 'approved',
  },
  {
    name: 'bulk download (SDMX-CSV)',
    url: '/api/v1/downloads/all?format=sdmx-csv',
    numeric: ['OBS_VALUE'],
    import: { format: 'sdmx-csv' },
    only: (o) => o.status === 'approved',
  },
];

describe.each(testStoreKinds())('CSV exports are safe to open in a spreadsheet on %s', (kind) => {
  let source: TestApp;
  let original: Obs[];
  beforeAll(async () => {
    source = await createTestApp(kind);
    const r = await importText(source.app, DATA, {
      format: 'csv',
      fileName: `\t${HYPERLINK}.csv`,
      createIndicators: true,
    });
    expect(r.statusCode, r.body).toBe(201);
    original = await observations(source);
  });
  afterAll(async () => {
    await source?.close();
  });

  it('imports the awkward texts as they are (the file is the test of the exports)', () => {
    const notes = Object.fromEntries(original.map((o) => [o.period + o.place, o.note]));
    expect(notes).toMatchObject({
      '2015MAAGA': HYPERLINK,
      '2016MAAGA': '@SUM(1+1)',
      '2017MAAGA': '+212 537 00 00 00',
      '2018MAAGA': '-5 households',
      '2019MAAGA': '=1+2',
      '2020MAAGA': "'=not a formula",
    });
    expect(original.map((o) => o.value).sort((a, b) => a - b)).toEqual([-5, -0.3, 3, 4, 4.5, 31.5, 1000]);
  });

  it.each(EXPORTS)('$name: no cell begins like a formula, and it imports back exactly', async (e) => {
    const exported = await source.app.inject({ url: e.url, headers: AUTH });
    expect(exported.statusCode, exported.body).toBe(200);
    const rows = expectSafe(exported.body, e.numeric);
    // Not vacuous: the formula is there, neutralised, and the numbers are plain numbers (the negative values are
    // X.NEG's, which the Open SDG file of 16.1.1 does not hold).
    if (!e.only) {
      expect(exported.body).toContain(`"'${HYPERLINK.replace(/"/g, '""')}"`);
      const valueColumn = e.numeric[0] ?? '';
      expect(rows.map((x) => x[valueColumn])).toContain('-5');
      expect(rows.map((x) => x[valueColumn])).toContain('-0.3');
    }

    const target = await createTestApp(kind);
    try {
      const r = await importText(target.app, exported.body, { ...e.import, createIndicators: true });
      expect(r.statusCode, r.body.slice(0, 1000)).toBe(201);
      const expected = e.only ? original.filter(e.only) : original;
      const withStatusAndSource = e.name !== 'Open SDG';
      expect(normalise(await observations(target), withStatusAndSource)).toEqual(
        normalise(expected, withStatusAndSource),
      );
      // and once more changes nothing
      const again = await importText(target.app, exported.body, { ...e.import, createIndicators: true });
      expect(again.json().counts).toMatchObject({ inserted: 0, updated: 0 });
    } finally {
      await target.close();
    }
  });

  it('the audit log CSV neutralises a file name that begins like a formula', async () => {
    const r = await source.app.inject({ url: '/api/v1/audit/export', headers: AUTH });
    expect(r.statusCode, r.body).toBe(200);
    const rows = expectSafe(r.body, ['id', 'actor_user_id', 'batch_id']);
    const imported = rows.find((x) => x.action === 'import');
    expect(imported?.summary).toMatch(/^'\t=HYPERLINK\("http:\/\/evil\.example","x"\)\.csv: 7 new/);
  });

  it('the import error report neutralises a column name and never a line number', async () => {
    const bad = ['indicator,place,period,value,=cmd', `16.1.1,MAAGA,2030,1,"${HYPERLINK.replace(/"/g, '""')}"`].join(
      '\n',
    );
    const r = await importText(source.app, bad, {
      format: 'csv',
      map: JSON.stringify({ columns: { '=cmd': { dimension: 'SEX' } } }),
    });
    expect(r.statusCode, r.body).toBe(422);
    const url = r.json().errorReport as string;
    expect(url).toMatch(/errors\.csv$/);
    const report = await source.app.inject({ url, headers: AUTH });
    expect(report.statusCode, report.body).toBe(200);
    const rows = expectSafe(report.body, ['location']);
    expect(rows).toContainEqual(expect.objectContaining({ location: '2', column: "'=cmd" }));
  });

  it("a programme's results CSV neutralises a title and keeps its numbers", async () => {
    const json = { ...AUTH, 'content-type': 'application/json' };
    const p = await source.app.inject({
      method: 'POST',
      url: '/api/v1/programmes',
      headers: json,
      payload: JSON.stringify({ code: 'INJ', names: { en: HYPERLINK }, startYear: 2020, endYear: 2030 }),
    });
    expect(p.statusCode, p.body).toBe(201);
    const res = await source.app.inject({
      method: 'POST',
      url: '/api/v1/results',
      headers: json,
      payload: JSON.stringify({
        programme: 'INJ',
        level: 'impact',
        code: 'I1',
        titles: { en: '-5 households', ar: '@' },
      }),
    });
    expect(res.statusCode, res.body).toBe(201);
    const csv = await source.app.inject({ url: '/api/v1/programmes/INJ/export?format=csv', headers: AUTH });
    expect(csv.statusCode, csv.body).toBe(200);
    const rows = expectSafe(csv.body, ['result_id', 'parent_id', 'depth', 'measure_id']);
    expect(rows[0]).toMatchObject({ result_title_en: "'-5 households", result_title_ar: "'@", depth: '0' });
  });
});
