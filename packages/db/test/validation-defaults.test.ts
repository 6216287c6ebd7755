// The validation rules indicators start with (docs/methods/validation.md): a new database gets
// them from the catalogue loader (defaultValidationRules in core, unless the catalogue gives an
// indicator its own: 11.3.1, a ratio of growth rates, may be negative); migrations 010 and 020 give
// a database created before them the same rules, except where an administrator has set them.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { defaultValidationRules } from '@marsad/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogue, type Store } from '../src/index.ts';
import { createTestDatabase, type TestDatabase, testStoreKinds } from '../src/testing/test-stores.ts';

const MIGRATIONS = ['010_validation_defaults.sql', '020_land_consumption_ratio_rules.sql'].map((f) =>
  fileURLToPath(new URL(`../migrations/${f}`, import.meta.url)),
);
/** The catalogue's own rules (indicators.json validationRules), where they differ from the unit's. */
const CATALOGUE_RULES: Record<string, object> = { '11.3.1': {} };

async function rules(store: Store) {
  const rows = await store.db
    .selectFrom('indicators')
    .select(['code', 'unit_code', 'validation_rules'])
    .orderBy('code')
    .execute();
  return new Map(rows.map((r) => [r.code, r]));
}

describe.each(testStoreKinds())('default validation rules on %s', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(kind);
    await loadCatalogue(t.store);
  });
  afterAll(async () => {
    await t?.drop();
  });

  it("a new database has the rules of each indicator's unit", async () => {
    const all = await rules(t.store);
    for (const r of all.values())
      expect(r.validation_rules, r.code).toEqual(CATALOGUE_RULES[r.code] ?? defaultValidationRules(r.unit_code));
    expect(all.get('11.3.1')!.validation_rules).toEqual({}); // RATIO, but no smallest value
    expect(all.get('11.1.1')!.validation_rules).toEqual({ min: 0, max: 100 });
    expect(all.get('16.1.1')!.validation_rules).toEqual({ min: 0 });
    expect(all.get('USM-PF-06')!.validation_rules).toEqual({ min: 0, max: 1 });
    expect(all.get('11.b.1')!.validation_rules).toEqual({}); // an index
  });

  it("the migration gives an older database the same rules, and keeps an administrator's choice", async () => {
    const before = await rules(t.store);
    await t.store.exclusive(async (conn) => {
      await conn.query(`UPDATE indicators SET validation_rules = '{}'::jsonb`);
      await conn.query(
        `INSERT INTO audit_log (actor_label, action, entity_type, entity_id) VALUES ('test', 'update-rules', 'indicator', '11.1.1')`,
      );
      for (const m of MIGRATIONS) await conn.exec(await readFile(m, 'utf8'));
    });
    const after = await rules(t.store);
    for (const [code, r] of after) {
      if (code === '11.1.1') expect(r.validation_rules).toEqual({});
      else expect(r.validation_rules, code).toEqual(before.get(code)!.validation_rules);
    }
  });
});
