import { describe, expect, it } from 'vitest';
import { migrate } from '../src/index.ts';
import { createEmptyDatabase, testStoreKinds } from '../src/testing/test-stores.ts';

describe.each(testStoreKinds())('migrations on %s', (kind) => {
  it('apply once, then are a no-op', async () => {
    const t = await createEmptyDatabase(kind);
    try {
      const first = await migrate(t.store);
      expect(first[0]).toBe('001_core.sql');
      expect(await migrate(t.store)).toEqual([]);
      const r = await t.store.db.selectFrom('disaggregations').selectAll().execute();
      expect(r).toEqual([{ id: 0, key: '', dims: {} }]);
    } finally {
      await t.drop();
    }
  });
});
