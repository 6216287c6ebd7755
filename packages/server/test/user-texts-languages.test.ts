import { testStoreKinds } from '@marsad/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveDemoSources } from '../src/demo/load-demo.ts';
import { SYNTHETIC_SOURCE, syntheticPilotCsv } from '../src/demo/synthetic-pilot-data.ts';
import { importFile } from '../src/imports/import-file.ts';
import { AUTH, createTestApp, type TestApp } from './helpers.ts';

/**
 * User texts in six languages (issue 15, item 5): an indicator's name and definition are edited
 * per language (an empty text removes its language, a name stays in one language at least), and
 * the demonstration's synthetic source comes with its name in the six languages.
 */
describe.each(testStoreKinds())('texts by language on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => {
    await t?.close();
  });
  const patch = (payload: Record<string, unknown>) =>
    t.app.inject({ method: 'PATCH', url: '/api/v1/indicators/16.1.1', headers: AUTH, payload });
  const get = async () => (await t.app.inject({ url: '/api/v1/indicators/16.1.1' })).json();

  it('the catalogue gives 16.1.1 a definition in each of the six languages', async () => {
    const ind = await get();
    expect(Object.keys(ind.definitions).sort()).toEqual(['ar', 'en', 'es', 'fr', 'ru', 'zh']);
  });

  it('sets a language, removes one left empty, and keeps the others', async () => {
    const before = await get();
    const res = await patch({ definitions: { fr: '  Définition revue.  ', es: '' } });
    expect(res.statusCode, res.body).toBe(200);
    const after = await get();
    expect(after.definitions.fr).toBe('Définition revue.');
    expect(after.definitions).not.toHaveProperty('es');
    expect(after.definitions.en).toBe(before.definitions.en);
    expect(after.definitions.ar).toBe(before.definitions.ar);
    const audit = await t.db.store.db
      .selectFrom('audit_log')
      .select(['after'])
      .where('entity_type', '=', 'indicator')
      .where('entity_id', '=', '16.1.1')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect((audit.after as { definitions: Record<string, string> }).definitions.fr).toBe('Définition revue.');
  });

  it('refuses to leave a name in no language, naming the field, and changes nothing', async () => {
    const before = await get();
    const empty = Object.fromEntries(Object.keys(before.names).map((l) => [l, ' ']));
    const res = await patch({ names: empty, definitions: { fr: 'Ne doit pas être enregistré.' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/^names: give a name in at least one language/);
    const after = await get();
    expect(after.names).toEqual(before.names);
    expect(after.definitions.fr).toBe('Définition revue.');
  });

  it("serves the synthetic source's name in six languages with its values", async () => {
    await saveDemoSources(t.db.store);
    const r = await importFile(
      t.db.store,
      (async function* () {
        yield syntheticPilotCsv((c) => c === '16.1.1');
      })(),
      {
        format: 'csv',
        fileName: 'synthetic.csv',
        actor: 'test',
        status: 'approved',
        rowStatusAllowed: true,
        source: SYNTHETIC_SOURCE.name,
      },
    );
    expect(r.state).toBe('committed');
    const data = (await t.app.inject({ url: '/api/v1/indicators/16.1.1/data?place=MAAGA' })).json();
    const source = data.sources.find((s: { name: string }) => s.name === SYNTHETIC_SOURCE.name);
    expect(source.synthetic).toBe(true);
    expect(Object.keys(source.names).sort()).toEqual(['ar', 'en', 'es', 'fr', 'ru', 'zh']);
    expect(source.names.ar).toBe('بيانات مرصد التوضيحية الاصطناعية');
    const summary = (await t.app.inject({ url: '/api/v1/places/MAAGA/summary' })).json();
    const row = summary.indicators.find((i: { indicator: { code: string } }) => i.indicator.code === '16.1.1');
    expect(row.latest.source.names.fr).toBe('Données de démonstration synthétiques de Marsad');
  });

  it("stores and serves a programme's names in the six languages, and still takes Arabic and English alone", async () => {
    const six = (what: string) => ({
      ar: `${what} بالعربية`,
      en: `${what} in English`,
      fr: `${what} en français`,
      es: `${what} en español`,
      ru: `${what} по-русски`,
      zh: `${what}（中文）`,
    });
    const send = async (
      method: 'POST' | 'PATCH',
      url: string,
      payload: unknown,
      status = method === 'POST' ? 201 : 200,
    ) => {
      const r = await t.app.inject({ method, url, headers: AUTH, payload: payload as Record<string, unknown> });
      expect(r.statusCode, `${url}: ${r.body}`).toBe(status);
      return r.json();
    };
    await send('POST', '/api/v1/programmes', {
      code: 'SIX-LANGS',
      names: six('Programme'),
      startYear: 2026,
      endYear: 2030,
      reportingOrg: { ref: 'XM-SIX-1', type: '40', names: six('Organisation') },
      pillars: [
        { code: 'P1', names: six('Pillar') },
        { code: 'P2', names: { ar: 'ركيزة', en: 'Pillar two' } },
      ],
      partners: [{ names: six('Partner') }, { names: { ar: 'شريك', en: 'Partner two' } }],
    });
    const result = await send('POST', '/api/v1/results', {
      programme: 'SIX-LANGS',
      level: 'impact',
      titles: six('Result'),
    });
    const measure = await send('POST', `/api/v1/results/${result.id}/measures`, {
      kind: 'specific',
      names: six('Measure'),
      unitNames: six('Unit'),
      ascending: true,
    });
    await send('POST', '/api/v1/programmes/SIX-LANGS/budget-lines', {
      labels: six('Line'),
      currency: 'USD',
      year: 2026,
      amount: 1000,
    });
    const view = (await t.app.inject({ url: '/api/v1/programmes/SIX-LANGS?lang=ru' })).json();
    expect(view.reportingOrg.names).toEqual(six('Organisation'));
    expect(view.reportingOrg.name).toBe('Organisation по-русски');
    expect(view.pillars[0].names).toEqual(six('Pillar'));
    expect(view.pillars[0].name).toBe('Pillar по-русски');
    expect(view.pillars[1].names).toEqual({ ar: 'ركيزة', en: 'Pillar two' });
    expect(view.partners.map((p: { names: object }) => p.names)).toEqual([
      six('Partner'),
      { ar: 'شريك', en: 'Partner two' },
    ]);
    const m = view.results[0].measures[0];
    expect(m.names).toEqual(six('Measure'));
    expect(m.unitNames).toEqual(six('Unit'));
    expect(m.unit).toBe('Unit по-русски');
    const budget = (await t.app.inject({ url: '/api/v1/programmes/SIX-LANGS/budget?lang=zh' })).json();
    expect(budget.lines[0].labels).toEqual(six('Line'));
    expect(budget.lines[0].label).toBe('Line（中文）');

    // A language left out of a new list is gone; the measure's texts are replaced as given.
    await send('PATCH', '/api/v1/programmes/SIX-LANGS', { pillars: [{ code: 'P1', names: { fr: 'Pilier un' } }] });
    await send('PATCH', `/api/v1/result-measures/${measure.id}`, {
      names: { zh: '措施' },
      unitNames: { es: 'Unidad' },
    });
    const after = (await t.app.inject({ url: '/api/v1/programmes/SIX-LANGS?lang=en' })).json();
    expect(after.pillars).toMatchObject([{ code: 'P1', names: { fr: 'Pilier un' }, name: 'Pilier un' }]);
    expect(after.results[0].measures[0]).toMatchObject({ names: { zh: '措施' }, unitNames: { es: 'Unidad' } });

    // A name given in no language is refused, naming the field, and nothing is written.
    const bad = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/programmes/SIX-LANGS',
      headers: AUTH,
      payload: { names: six('Changed'), pillars: [{ code: 'P1', names: { fr: '   ' } }] },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/pillars\.0\.names\.fr: /);
    const unchanged = (await t.app.inject({ url: '/api/v1/programmes/SIX-LANGS' })).json();
    expect(unchanged.names).toEqual(six('Programme'));
    expect(unchanged.pillars[0].names).toEqual({ fr: 'Pilier un' });
  });
});
