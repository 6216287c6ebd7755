import path, { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { actual, DIMENSIONS, errors, expected, RECORDS, read, readFile, rows, skips, write } from './helpers.ts';

const SDG = path.resolve(import.meta.dirname, '../../../../../shared/data/sdmx-sdg/samples');
const TWG = path.resolve(import.meta.dirname, '../../../../../shared/data/sdmx-ml/samples');

const V21 = 'http://www.sdmx.org/resources/sdmxml/schemas/v2_1';
const V30 = 'http://www.sdmx.org/resources/sdmxml/schemas/v3_0';

/** A structure-specific message around the given DataSet content. */
function ss(body: string, { version = V21, dataSet = '', dim = 'TIME_PERIOD' } = {}): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<message:StructureSpecificData xmlns:message="${version}/message" xmlns:ss="${version}/data/structurespecific" xmlns:common="${version}/common" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <message:Header><message:ID>T</message:ID><message:Structure structureID="S" dimensionAtObservation="${dim}"/></message:Header>
  <message:DataSet ss:structureRef="S"${dataSet}>
${body}
  </message:DataSet>
</message:StructureSpecificData>
`;
}

function generic(body: string, { dim = 'TIME_PERIOD', action = 'Information' } = {}): string {
  return `<?xml version="1.0"?>
<mes:GenericData xmlns:mes="${V21}/message" xmlns:g="${V21}/data/generic">
  <mes:Header><mes:ID>T</mes:ID><mes:Structure structureID="S" dimensionAtObservation="${dim}"/></mes:Header>
  <mes:DataSet structureRef="S" action="${action}">
${body}
  </mes:DataSet>
</mes:GenericData>
`;
}

describe('sdmx-ml reader on the SDG samples (Open SDG sdg-build tests)', () => {
  it('structure-specific and generic messages give the same observations, with their series key and line', async () => {
    const ssItems = await readFile('sdmx-ml', join(SDG, 'structure-specific__1-1-1--structure-specific.xml'));
    const gItems = await readFile('sdmx-ml', join(SDG, 'structure__1-1-1--structure.xml'));
    expect(errors(ssItems)).toEqual([]);
    expect(errors(gItems)).toEqual([]);
    const shape = (items: typeof ssItems) =>
      rows(items).map(({ record: r }) => [r.series, r.place, r.period, r.value, r.unit, r.dims.SEX ?? '_T']);
    expect(shape(ssItems)).toEqual([
      ['SI_POV_DAY1', '826', '2020', 100, 'PT', '_T'],
      ['SI_POV_DAY1', '826', '2021', 120, 'PT', '_T'],
      ['SI_POV_DAY1', '826', '2020', 50, 'PT', 'M'],
      ['SI_POV_DAY1', '826', '2021', 60, 'PT', 'M'],
      ['SI_POV_DAY1', '826', '2020', 70, 'PT', 'F'],
      ['SI_POV_DAY1', '826', '2021', 80, 'PT', 'F'],
    ]);
    expect(shape(gItems)).toEqual(shape(ssItems));
    // _T breakdowns, UNIT_MULT 0, OBS_STATUS A and NATURE add nothing to the record.
    expect(rows(ssItems)[0]!.record).toEqual({
      series: 'SI_POV_DAY1',
      place: '826',
      period: '2020',
      value: 100,
      unit: 'PT',
      dims: {},
    });
    expect(rows(ssItems)[2]!.at).toBe(
      'line 25, series A.N.SI_POV_DAY1.826.M._T._T._T._T._T._T._T._T._T._T, observation 2020',
    );
    expect(rows(gItems)[0]!.at).toMatch(/^line \d+, series A\.N\.SI_POV_DAY1\.826\._T(\._T)+, observation 2020$/);
  });

  it('the SDMX 3.0 exchange-rate samples read with a place and an indicator for the file; complex attributes are joined', async () => {
    const simple = await readFile('sdmx-ml', join(TWG, 'Data - Simple Data Attributes/ECB_EXR.xml'));
    expect(errors(simple).length).toBeGreaterThan(0);
    expect(errors(simple)[0]!.message).toMatch(/no REF_AREA/);
    const complex = await readFile('sdmx-ml', join(TWG, 'Data - Complex Data Attributes/ECB_EXR_CA.xml'), {
      place: 'EA',
      indicator: '17.3.1',
    });
    expect(errors(complex)).toEqual([]);
    const r = rows(complex);
    expect(r.length).toBeGreaterThan(0);
    expect(r[0]!.record).toMatchObject({ place: 'EA', indicator: '17.3.1', period: '2017', value: 1.46472274509804 });
    expect(r[0]!.record.dims).toMatchObject({ CURRENCY: 'CAD', CURRENCY_DENOM: 'EUR' });
    // Comp elements are attributes: never breakdowns.
    expect(r[0]!.record.dims.SOURCE_AGENCY).toBeUndefined();
  });
});

describe('sdmx-ml reader', () => {
  it('flat data sets, generic ObsKey, groups, data-set attributes and the 3.0 namespace', async () => {
    const flat = await read(
      'sdmx-ml',
      ss(
        `<Group REF_AREA="EGY" UNIT_MEASURE="PERCENT" UNIT_MULT="0"/>
         <Obs SERIES="EN_LND_SLUM" REF_AREA="EGY" SEX="F" TIME_PERIOD="2020" OBS_VALUE="1.5" COMMENT_OBS="a &amp; b" OBS_STATUS="P"/>
         <Obs SERIES="EN_LND_SLUM" REF_AREA="MAR" SEX="_T" TIME_PERIOD="2020-Q1" OBS_VALUE="2"/>`,
        { version: V30, dim: 'AllDimensions', dataSet: ' SOURCE_DETAIL="Census"' },
      ),
    );
    expect(errors(flat)).toEqual([]);
    expect(rows(flat).map((r) => r.record)).toEqual([
      {
        series: 'EN_LND_SLUM',
        place: 'EGY',
        period: '2020',
        value: 1.5,
        unit: 'PERCENT',
        note: 'a & b',
        source: 'Census',
        dims: { SEX: 'F' },
      },
      { series: 'EN_LND_SLUM', place: 'MAR', period: '2020-Q1', value: 2, source: 'Census', dims: {} },
    ]);
    expect(rows(flat)[0]!.at).toBe('line 6, observation EN_LND_SLUM.EGY.F.2020');

    const g = await read(
      'sdmx-ml',
      generic(
        `<g:Attributes><g:Value id="SOURCE_DETAIL" value="Survey"/></g:Attributes>
         <g:Obs><g:ObsKey><g:Value id="SERIES" value="EN_LND_SLUM"/><g:Value id="REF_AREA" value="EGY"/><g:Value id="TIME_PERIOD" value="2019"/></g:ObsKey>
           <g:ObsValue value="3"/><g:Attributes><g:Value id="UNIT_MULT" value="3"/><g:Value id="TITLE_X" value="x"/></g:Attributes></g:Obs>`,
        { dim: 'AllDimensions' },
      ),
    );
    expect(errors(g)).toEqual([]);
    expect(rows(g).map((r) => r.record)).toEqual([
      {
        series: 'EN_LND_SLUM',
        place: 'EGY',
        period: '2019',
        value: 3,
        unitMultiplier: '3',
        source: 'Survey',
        dims: {},
      },
    ]);
    // An attribute Marsad does not use is never a breakdown in a generic message.
    expect(g).toContainEqual({ kind: 'notice', message: 'attributes not used: TITLE_X' });
  });

  it('a Delete data set is skipped; NaN and missing-value statuses are "no data"', async () => {
    const del = await read(
      'sdmx-ml',
      generic(
        `<g:Series><g:SeriesKey><g:Value id="SERIES" value="S"/><g:Value id="REF_AREA" value="EGY"/></g:SeriesKey>
          <g:Obs><g:ObsDimension value="2020"/><g:ObsValue value="1"/></g:Obs></g:Series>`,
        { action: 'Delete' },
      ),
    );
    expect(rows(del)).toEqual([]);
    expect(skips(del)[0]!.reason).toMatch(/Delete/);
    const missing = await read(
      'sdmx-ml',
      ss(
        `<Series SERIES="S" REF_AREA="EGY"><Obs TIME_PERIOD="2020" OBS_VALUE="NaN"/><Obs TIME_PERIOD="2021" OBS_STATUS="M"/></Series>`,
      ),
    );
    expect(errors(missing)).toEqual([]);
    expect(skips(missing).map((s) => s.reason)).toEqual(['no value (OBS_VALUE NaN)', 'no value (OBS_STATUS M)']);
  });

  it('refuses what is not an SDMX-ML data message, with one clear error', async () => {
    const one = async (text: string) => {
      const items = await read('sdmx-ml', text);
      expect(rows(items)).toEqual([]);
      expect(errors(items)).toHaveLength(1);
      return errors(items)[0]!;
    };
    expect((await one('indicator,place,period,value\n11.1.1,EGY,2020,1\n')).message).toMatch(
      /not an SDMX-ML \(XML\) message/,
    );
    expect((await one('<html><body>hello</body></html>')).message).toMatch(
      /root element is html.*not an SDMX-ML data message/,
    );
    expect((await one(`<m:Structure xmlns:m="${V21}/message"/>`)).message).toMatch(
      /SDMX-ML Structure message, not an SDMX-ML data message/,
    );
    expect(
      (await one(`<m:CompactData xmlns:m="http://www.SDMX.org/resources/SDMXML/schemas/v2_0/message"/>`)).message,
    ).toMatch(/SDMX-ML 2\.0/);
    // Broken XML: one error with its line (what was read before it does not matter: the import writes nothing).
    const broken = await read(
      'sdmx-ml',
      ss('<Series SERIES="S" REF_AREA="EGY"><Obs TIME_PERIOD="2020" OBS_VALUE="1"></Series>'),
    );
    expect(errors(broken)).toEqual([
      { kind: 'error', at: 5, message: expect.stringMatching(/^the file is not well-formed XML: /) },
    ]);
    expect((await one('')).message).toMatch(/empty/);
    expect((await one('<!DOCTYPE x [<!ENTITY a "b">]><x/>')).message).toMatch(/DOCTYPE/);
    expect(
      (
        await one(
          `<m:Error xmlns:m="${V21}/message"><m:ErrorMessage code="100"><c:Text xmlns:c="${V21}/common">No results</c:Text></m:ErrorMessage></m:Error>`,
        )
      ).message,
    ).toBe('the file is an SDMX error message: No results');
  });

  it('an observation without a value, a period or a number is an error naming the series and observation', async () => {
    const items = await read(
      'sdmx-ml',
      ss(`<Series SERIES="S" REF_AREA="EGY" SEX="F">
        <Obs TIME_PERIOD="2020"/>
        <Obs OBS_VALUE="2"/>
        <Obs TIME_PERIOD="2022" OBS_VALUE="1,5"/>
      </Series>`),
    );
    expect(rows(items)).toEqual([]);
    expect(errors(items).map((e) => [e.at, e.column, e.message])).toEqual([
      ['line 6, series S.EGY.F, observation 2020', 'OBS_VALUE', expect.stringMatching(/has no OBS_VALUE/)],
      ['line 7, series S.EGY.F, observation ?', 'TIME_PERIOD', 'the observation has no TIME_PERIOD'],
      ['line 8, series S.EGY.F, observation 2022', 'OBS_VALUE', expect.stringMatching(/has a comma/)],
    ]);
  });
});

describe('sdmx-ml writer', () => {
  it('writes SDMX-ML 2.1 structure-specific series that read back unchanged', async () => {
    const text = await write('sdmx-ml', RECORDS, {
      dimensions: DIMENSIONS,
      messageId: 'M1',
      prepared: '2024-06-01T00:00:00Z',
    });
    expect(text).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<message:StructureSpecificData /);
    expect(text).toContain('<Ref agencyID="MARSAD" id="DF_MARSAD" version="1.0"/>');
    const items = await read('sdmx-ml', text);
    expect(errors(items)).toEqual([]);
    const fields = ['indicator', 'series', 'place', 'unit', 'status', 'source', 'note'] as const;
    expect(rows(items).map((r) => actual(r.record, fields))).toEqual(RECORDS.map((r) => expected(r, fields)));
  });
});
