// The default suppression rules (docs/methods/suppression.md): a new database gets them from the
// catalogue; a database created before migration 006 gets the same rules and count series from
// it, except where an administrator has set the indicator's rules.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogue, readCatalogueFiles, type Store } from '../src/index.ts';
import { createTestDatabase, type TestDatabase, testStoreKinds } from '../src/testing/test-stores.ts';

const MIGRATION = fileURLToPath(new URL('../migrations/006_suppression_defaults.sql', import.meta.url));

async function rules(store: Store): Promise<Record<string, unknown>> {
  const rows = await store.db
    .selectFrom('indicators')
    .select(['code', 'suppression'])
    .where('suppression', 'is not', null)
    .orderBy('code')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.code, r.suppression]));
}

async function countSeries(store: Store) {
  return store.db
    .selectFrom('series as s')
    .innerJoin('indicators as i', 'i.id', 's.indicator_id')
    .select(['i.code as indicator', 's.code', 's.names', 's.unit_code', 's.unit_names', 's.aliases', 's.is_default'])
    .where((eb) => eb.or([eb('s.code', 'like', '%-N'), eb('s.code', 'like', 'MARSAD\\_%\\_N')]))
    .orderBy('s.code')
    .execute();
}

describe.each(testStoreKinds())('default suppression rules on %s', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(kind);
    await loadCatalogue(t.store);
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('a new database has the rules of the catalogue, on the victimisation, harassment and violence indicators', async () => {
    const files = await readCatalogueFiles();
    const expected = Object.fromEntries(
      files.indicators.filter((i) => i.suppression).map((i) => [i.code, i.suppression]),
    );
    expect(await rules(t.store)).toEqual(expected);
    expect(Object.keys(expected).sort()).toEqual(
      [
        '11.7.2',
        '16.1.1',
        '16.1.2',
        '16.1.3',
        'USM-CV-01',
        'USM-CV-02',
        'USM-CV-03',
        'USM-CV-04',
        'USM-CV-05',
        'USM-CV-06',
        'USM-VI-01',
        'USM-VI-02',
        'USM-VI-03',
        'USM-VI-04',
        'USM-VI-05',
      ].sort(),
    );
    // Perceptions are not victimisation: no rule.
    expect((await rules(t.store))['16.1.4']).toBeUndefined();
  });

  it('migration 006 brings an older database to the same state, leaving rules an administrator set', async () => {
    const wantedRules = await rules(t.store);
    const wantedSeries = await countSeries(t.store);
    expect(wantedSeries.length).toBe(13);
    // A database from before 006: no rules, no count series of Marsad's making.
    await t.store.db
      .deleteFrom('series')
      .where(
        'code',
        'in',
        wantedSeries.map((s) => s.code),
      )
      .execute();
    await t.store.db.updateTable('indicators').set({ suppression: null }).execute();
    // An administrator chose "no rule" for 16.1.2 and a rule of their own for 16.1.1.
    await t.store.db
      .updateTable('indicators')
      .set({ suppression: JSON.stringify({ minCount: 5 }) })
      .where('code', '=', '16.1.1')
      .execute();
    for (const code of ['16.1.1', '16.1.2']) {
      await t.store.db
        .insertInto('audit_log')
        .values({ actor_label: 'admin@example.org', action: 'update-rules', entity_type: 'indicator', entity_id: code })
        .execute();
    }
    const sql = await readFile(MIGRATION, 'utf8');
    await t.store.exclusive((conn) => conn.exec(sql));

    const { '16.1.1': _a, '16.1.2': _b, ...others } = wantedRules;
    expect(await rules(t.store)).toEqual({ ...others, '16.1.1': { minCount: 5 } });
    expect(await countSeries(t.store)).toEqual(wantedSeries);
    const entry = await t.store.db
      .selectFrom('audit_log')
      .select(['action', 'entity_type', 'after'])
      .where('action', '=', 'migrate')
      .execute();
    expect(entry).toEqual([
      { action: 'migrate', entity_type: 'catalogue', after: { indicators: Object.keys(others).sort() } },
    ]);

    // Once more: nothing changes, no second entry.
    await t.store.exclusive((conn) => conn.exec(sql));
    expect(await rules(t.store)).toEqual({ ...others, '16.1.1': { minCount: 5 } });
    expect(await countSeries(t.store)).toEqual(wantedSeries);
    expect(
      await t.store.db.selectFrom('audit_log').select('id').where('action', '=', 'migrate').execute(),
    ).toHaveLength(1);
  });
});
