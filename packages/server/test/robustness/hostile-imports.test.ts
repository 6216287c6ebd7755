import { testStoreKinds } from '@marsad/db/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, createTestApp, importText, SHARED, type TestApp } from '../helpers.ts';
import { fuzzSeed } from './fuzz-seed.ts';
import type { HostileFile } from './hostile-files.ts';
import { EXPORT_BASES, fingerprint, SEED_DATA, type UploadTarget, uploadTargets } from './upload-targets.ts';

/**
 * Hostile files for every import format, the places and boundaries imports and the XLSForm upload, generated
 * by fast-check from valid files (fixed seed: scripts/fast-check-seed.ts; the next one on the PostgreSQL server,
 * fuzz-seed.ts): every answer is 2xx
 * or a 4xx with a message, and a refused file changes no table (counts of the code lists and a
 * checksum of every observation, before and after). MARSAD_FUZZ_RUNS sets the cases per route
 * (200 by default); bench/fuzz/run.ts sends thousands to a listening server.
 */

const RUNS = Number(process.env.MARSAD_FUZZ_RUNS ?? 200);
const TARGETS = [
  'csv',
  'sdmx-csv',
  'open-sdg',
  'sdmx-json',
  'dhis2',
  'places',
  'boundaries',
  'open-sdg-repository',
  'XLSForm',
];

function sent(file: HostileFile): string {
  return `${file.story.join(' · ')}\n${file.body.subarray(0, 300).toString('utf8')}`;
}

describe.each(testStoreKinds())('hostile files on %s', (kind) => {
  let t: TestApp;
  let before = '';
  let targets: UploadTarget[] = [];
  const statuses = new Map<number, number>();

  beforeAll(async () => {
    t = await createTestApp(kind);
    const r = await importText(t.app, SEED_DATA, { format: 'csv' });
    expect(r.statusCode, r.body).toBe(201);
    const exports: Record<string, string> = {};
    for (const base of EXPORT_BASES) {
      const e = await t.app.inject({
        url: `/api/v1/observations/export?format=${base.format}${base.query}`,
        headers: AUTH,
      });
      expect(e.statusCode, e.body).toBe(200);
      exports[base.format] = e.body;
    }
    targets = await uploadTargets(exports, SHARED);
    expect(targets.map((x) => x.name).sort()).toEqual([...TARGETS].sort());
    before = await fingerprint(t.db.store);
  });
  afterAll(async () => {
    // How the cases were answered, with MARSAD_FUZZ_STATS=1.
    if (process.env.MARSAD_FUZZ_STATS) console.log(kind, Object.fromEntries([...statuses].sort()));
    await t?.close();
  });

  /** Sends the file; checks the answer and, when refused, that nothing changed. */
  async function check(file: HostileFile, url: string): Promise<void> {
    const r = await t.app.inject({
      method: 'POST',
      url: `${url}?${new URLSearchParams(file.query)}`,
      payload: file.body,
      headers: { ...AUTH, 'content-type': file.contentType },
    });
    const status = r.statusCode;
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    if (status >= 500 || status < 200 || (status >= 300 && status < 400)) {
      throw new Error(`answered ${status} to ${sent(file)}\n${r.body.slice(0, 500)}`);
    }
    const after = await fingerprint(t.db.store);
    if (status >= 400) {
      const message = (r.json() as { message?: unknown }).message;
      if (typeof message !== 'string' || !message)
        throw new Error(`a ${status} without a message: ${r.body.slice(0, 300)}`);
      if (after !== before)
        throw new Error(`refused with ${status} but tables changed: ${before} → ${after}\n${sent(file)}`);
    }
    before = after;
  }

  for (const name of TARGETS) {
    it(`${name}: every answer is 2xx or a 4xx with a message; a refused file writes nothing`, async () => {
      const target = targets.find((x) => x.name === name)!;
      await fc.assert(
        fc.asyncProperty(target.files, async (file) => check(await file(), target.url)),
        // A repository is several imports (its files, its metadata; 0.3-0.6 s a case on PGlite): an eighth of the runs.
        { numRuns: name === 'open-sdg-repository' ? Math.ceil(RUNS / 8) : RUNS, ...fuzzSeed(kind) },
      );
    });
  }
});
