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
});
