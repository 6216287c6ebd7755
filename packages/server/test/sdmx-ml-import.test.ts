/** SDMX-ML data messages through the import API: the SDG samples, and what is refused, on both databases. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { testStoreKinds } from '@marsad/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, createTestApp, importText, observationCount, SHARED, type TestApp } from './helpers.ts';

const SAMPLES = path.join(SHARED, 'data/sdmx-sdg/samples');
const XML = { ...AUTH, 'content-type': 'application/xml' };
const V21 = 'http://www.sdmx.org/resources/sdmxml/schemas/v2_1';

function message(series: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<message:StructureSpecificData xmlns:message="${V21}/message" xmlns:ss="${V21}/data/structurespecific">
<message:Header><message:ID>T</message:ID><message:Structure structureID="S" dimensionAtObservation="TIME_PERIOD"/></message:Header>
<message:DataSet ss:structureRef="S">
${series}
</message:DataSet>
</message:StructureSpecificData>
`;
}

describe.each(testStoreKinds())('SDMX-ML imports on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('imports the SDG samples, generic and structure-specific alike, with M49 areas and breakdowns', async () => {
    const genericFile = await readFile(path.join(SAMPLES, 'structure__1-1-1--structure.xml'));
    const r = await importText(t.app, genericFile, { format: 'sdmx-ml', indicator: '1.1.1', status: 'approved' }, XML);
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().counts).toMatchObject({ read: 6, inserted: 6, errors: 0 });
    const list = await t.app.inject({ url: '/api/v1/observations?indicator=1.1.1&limit=100', headers: AUTH });
    const items = list.json().items as { series: string; place: string; period: string; value: number; dims: object }[];
    expect(items).toHaveLength(6);
    expect(new Set(items.map((o) => o.series))).toEqual(new Set(['SI_POV_DAY1']));
    expect(new Set(items.map((o) => o.place))).toEqual(new Set(['GBR'])); // REF_AREA 826, the United Kingdom's M49 code
    expect(items.find((o) => o.period === '2021' && JSON.stringify(o.dims) === '{"SEX":"F"}')?.value).toBe(80);

    // The structure-specific message of the same data changes nothing.
    const ss = await readFile(path.join(SAMPLES, 'structure-specific__1-1-1--structure-specific.xml'));
    const again = await importText(t.app, ss, { format: 'sdmx-ml', indicator: '1.1.1', status: 'approved' }, XML);
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json().counts).toMatchObject({ read: 6, inserted: 0, updated: 0, unchanged: 6 });

    const other = await readFile(path.join(SAMPLES, 'multiple__1-2-1--structure-specific.xml'));
    const r2 = await importText(t.app, other, { format: 'sdmx-ml', indicator: '1.2.1' }, XML);
    expect(r2.statusCode, r2.body).toBe(201);
    expect(r2.json().counts).toMatchObject({ inserted: 6 });
    expect(await observationCount(t)).toBe(12);
  });

  it('refuses bad messages with errors naming the series and observation, and writes nothing', async () => {
    const before = await observationCount(t);
    const refused = async (body: string) => {
      const r = await importText(t.app, body, { format: 'sdmx-ml' }, XML);
      expect(r.statusCode, r.body).toBe(422);
      return r.json().errors as { at: number | string; column?: string; message: string }[];
    };
    expect((await refused('indicator,place,period,value\n11.1.1,EGY,2020,1\n'))[0]!.message).toMatch(
      /not an SDMX-ML \(XML\) message/,
    );
    expect((await refused('<?xml version="1.0"?><catalog><book/></catalog>'))[0]!.message).toMatch(
      /root element is catalog.*not an SDMX-ML data message/,
    );
    const good = '<Obs TIME_PERIOD="2020" OBS_VALUE="20.5"/>';
    const noValue = await refused(
      message(`<Series SERIES="EN_LND_SLUM" REF_AREA="MAAGA" SEX="_T">${good}<Obs TIME_PERIOD="2021"/></Series>`),
    );
    expect(noValue).toEqual([
      {
        at: 'line 5, series EN_LND_SLUM.MAAGA._T, observation 2021',
        column: 'OBS_VALUE',
        message: expect.stringMatching(/no OBS_VALUE/),
      },
    ]);
    const unknownPlace = await refused(
      message(`<Series SERIES="EN_LND_SLUM" REF_AREA="NOWHERE" SEX="F">${good}</Series>`),
    );
    expect(unknownPlace[0]).toMatchObject({
      at: 'line 5, series EN_LND_SLUM.NOWHERE.F, observation 2020',
      message: expect.stringMatching(/NOWHERE/),
    });
    const unknownCode = await refused(
      message(`<Series SERIES="EN_LND_SLUM" REF_AREA="MAAGA" SEX="X9">${good}</Series>`),
    );
    expect(unknownCode[0]).toMatchObject({ at: 'line 5, series EN_LND_SLUM.MAAGA.X9, observation 2020' });
    expect(unknownCode[0]!.message).toMatch(/X9/);
    expect(await observationCount(t)).toBe(before);

    // The same message with good codes is imported.
    const ok = await importText(
      t.app,
      message(`<Series SERIES="EN_LND_SLUM" REF_AREA="MAAGA" SEX="F" UNIT_MEASURE="PERCENT">${good}</Series>`),
      { format: 'sdmx-ml' },
      XML,
    );
    expect(ok.statusCode, ok.body).toBe(201);
    expect(await observationCount(t)).toBe(before + 1);
  });
});
