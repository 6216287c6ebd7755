import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createTestDataDirectory, testStoreKinds } from '@marsad/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { marsad, ROOT } from './run-marsad.ts';

/** `marsad sdmx …` with the real global SDG data structure and content constraints (loaded once per database). */
const SDG_DIR = path.join(ROOT, '../shared/data/sdmx-sdg');

describe.each(testStoreKinds())('marsad sdmx on %s', (kind) => {
  let dir: string;
  let db: { url?: string; drop(): Promise<void> } | undefined;
  let env: Record<string, string | undefined>;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'marsad-sdmx-'));
    db = await createTestDataDirectory(kind, path.join(dir, 'data'));
    env = { MARSAD_DATA_DIR: path.join(dir, 'data'), DATABASE_URL: db.url };
  });
  afterAll(async () => {
    await db?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('loads the SDG structure and its constraints, and lists what the UN would refuse', async () => {
    const s = await marsad(['sdmx', 'load-structure', path.join(SDG_DIR, 'dsd.xml')], env);
    expect(s.code, s.stderr).toBe(0);
    expect(s.stdout).toContain(
      'Data structure IAEG-SDGs:SDG(1.14): dimensions FREQ, REPORTING_TYPE, SERIES, REF_AREA, SEX',
    );
    expect(s.stdout).toContain('UNIT_MEASURE (mandatory) on series');
    expect(s.stdout).toMatch(/20 code list\(s\), 7203 codes loaded/);

    const c = await marsad(
      ['sdmx', 'load-constraints', path.join(SDG_DIR, 'sdmx_global_content_constraints.csv')],
      env,
    );
    expect(c.code, c.stderr).toBe(0);
    expect(c.stdout).toMatch(/Content constraints of IAEG-SDGs:SDG\(1\.14\): \d+ series/);

    // The check with data is tested through the API (packages/server/test/sdmx-structures.test.ts); here, a country
    // without SDG values: nothing to refuse.
    const k = await marsad(['sdmx', 'check', '--place', 'MAR'], env);
    expect(k.code, k.stderr).toBe(0);
    expect(k.stdout).toContain('0 values of MAR checked against IAEG-SDGs:SDG(1.14): 0 problem(s).');
  }, 180_000);

  it('refuses a data message with a message saying what it is', async () => {
    const r = await marsad(
      ['sdmx', 'load-structure', path.join(SDG_DIR, 'samples/structure-specific__1-1-1--structure-specific.xml')],
      env,
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /marsad: line \d+: this is an SDMX-ML data message \(StructureSpecificData\), not a structure message/,
    );
  }, 60_000);
});
