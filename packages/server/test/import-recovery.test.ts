import { createTestDatabase, type TestDatabase, testStoreKinds } from '@marsad/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../src/imports/import-file.ts';
import { failInterruptedImports } from '../src/observations/import-recovery.ts';

const CSV_HEAD = 'indicator,place,period,value\n';

/** An import input that gives its first rows, says so, and gives the rest only when let go. */
function heldInput(rest: string) {
  let letGo!: () => void;
  const released = new Promise<void>((resolve) => {
    letGo = resolve;
  });
  let reading!: () => void;
  const started = new Promise<void>((resolve) => {
    reading = resolve;
  });
  async function* input(): AsyncGenerator<string> {
    reading();
    yield CSV_HEAD;
    await released;
    yield rest;
  }
  return { input: input(), started, letGo };
}

describe.each(testStoreKinds())('import records on %s', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(kind, { catalogue: true });
  });
  afterAll(() => t?.drop());

  const batch = (id: number) =>
    t.store.db.selectFrom('import_batches').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('finish when the import ends, not when its transaction began', async () => {
    const held = heldInput('11.1.1,MAAGA,2020,12\n11.1.1,MAAGA,2021,13\n');
    const importing = importFile(t.store, held.input, {
      format: 'csv',
      actor: 'test',
      status: 'provisional',
      rowStatusAllowed: true,
    });
    await held.started;
    // The import is inside its transaction now; it ends at least this much later.
    await new Promise((resolve) => setTimeout(resolve, 150));
    held.letGo();
    const report = await importing;
    expect(report.state).toBe('committed');
    const row = await batch(report.batchId);
    expect(row.state).toBe('committed');
    expect(row.failure_reason).toBeNull();
    expect(new Date(row.finished_at!).getTime() - new Date(row.started_at).getTime()).toBeGreaterThanOrEqual(150);
  });

  it('say why an import failed: rows with errors', async () => {
    const report = await importFile(
      t.store,
      (async function* () {
        yield `${CSV_HEAD}11.1.1,MAAGA,2020,twelve\n`;
      })(),
      {
        format: 'csv',
        actor: 'test',
        status: 'provisional',
        rowStatusAllowed: true,
      },
    );
    expect(report.state).toBe('failed');
    expect(await batch(report.batchId)).toMatchObject({ state: 'failed', failure_reason: 'invalid-rows' });
  });

  it('of imports whose process is gone become failed, interrupted, at start-up', async () => {
    // What a process killed during its import leaves: the batch row, committed by itself, still "running".
    const dead = await t.store.db
      .insertInto('import_batches')
      .values({ format: 'csv', actor: 'test', state: 'running', default_status: 'provisional' } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    expect(await failInterruptedImports(t.store)).toEqual([dead.id]);
    expect(await batch(dead.id)).toMatchObject({ state: 'failed', failure_reason: 'interrupted', finished_at: null });
    expect(await failInterruptedImports(t.store)).toEqual([]);
  });

  // On PGlite one process opens the database and marks them before it serves: no import can be running then.
  it.runIf(kind === 'postgres')('of a live import are left alone by another server starting up', async () => {
    const held = heldInput('11.1.1,MAAGA,2022,14\n');
    const importing = importFile(t.store, held.input, {
      format: 'csv',
      actor: 'test',
      status: 'provisional',
      rowStatusAllowed: true,
    });
    // Reading begins after the import locked its batch row.
    await held.started;
    const running = await t.store.db.selectFrom('import_batches').select('id').where('state', '=', 'running').execute();
    expect(running).toHaveLength(1);
    expect(await failInterruptedImports(t.store)).toEqual([]);
    held.letGo();
    const report = await importing;
    expect(report.state).toBe('committed');
    expect((await batch(report.batchId)).state).toBe('committed');
  });
});
