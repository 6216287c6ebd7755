import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createEmptyDatabase, createTestDataDirectory, type TestDatabase, testStoreKinds } from '@marsad/db/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { exportCommand } from '../src/commands/export.ts';
import { importCommand } from '../src/commands/import.ts';
import { indicatorAddCommand } from '../src/commands/indicators.ts';
import { withLocalStore } from '../src/commands/local-store.ts';
import { mappingsDeleteCommand, mappingsListCommand } from '../src/commands/mappings.ts';
import { placesImportCommand } from '../src/commands/places.ts';
import { readConfig } from '../src/config.ts';
import { marsad, marsadInProcess, ROOT } from './run-marsad.ts';

const LA = path.join(ROOT, 'packages/server/src/demo/data/open-sdg/los-angeles');

describe.each(testStoreKinds())('the marsad command on %s', (kind) => {
  let dir: string;
  let db: { url?: string; drop(): Promise<void> } | undefined;
  let env: Record<string, string | undefined>;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'marsad-cli-'));
    // Migrated with the catalogue, as a first command leaves it (the restore below starts empty).
    db = await createTestDataDirectory(kind, path.join(dir, 'data'));
    env = { MARSAD_DATA_DIR: path.join(dir, 'data'), DATABASE_URL: db.url };
  });
  afterAll(async () => {
    await db?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('imports an Open SDG file as provisional (unless --status says otherwise), and says what it created', async () => {
    // packages/cli/bin/marsad.js, as `npx marsad` starts it (through tsx); the other tests start the same sources
    // built into one file (run-marsad.ts).
    const r = await marsad(
      ['import', path.join(LA, 'indicator_16-1-1.csv'), '--format', 'open-sdg', '--place', 'USLAX'],
      env,
      undefined,
      { bin: true },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/imported 90 rows — 90 new/);
    expect(r.stdout).toMatch(/new dimension: VICTIM_GENDER/);
    const statuses = await withLocalStore(readConfig(env), (store) =>
      store.db.selectFrom('observations').select('status').distinct().execute(),
    );
    expect(statuses).toEqual([{ status: 'provisional' }]);
    // The same command again in this process (the real one started above): --status.
    const again = await marsadInProcess(() =>
      importCommand(readConfig(env), path.join(LA, 'indicator_16-1-1.csv'), {
        format: 'open-sdg',
        place: 'USLAX',
        status: 'approved',
      }),
    );
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/0 new, 90 changed, 0 unchanged/);
  });

  it('saves a mapping and imports with --map saved:NAME; lists and deletes it', async () => {
    const file = path.join(dir, 'gender.json');
    await writeFile(file, JSON.stringify({ columns: { 'Victim Gender': { dimension: 'LA_VICTIM' } } }));
    // One real command (each start costs seconds); the rest of the same code is called in this process.
    const saved = await marsad(['mappings', 'save', 'LA gender', file, '--kind', 'columns', '--place', 'USLAX'], env);
    expect(saved.stderr).toBe('');
    expect(saved.stdout).toMatch(
      /^Saved the columns mapping "LA gender" of USLAX \(id \d+\); use it with --map saved:LA gender/,
    );
    const csv = path.join(LA, 'indicator_16-1-1.csv');
    const config = readConfig(env);
    const bySaved = await marsadInProcess(() =>
      importCommand(config, csv, { format: 'open-sdg', place: 'USLAX', dryRun: true, map: 'saved:la GENDER' }),
    );
    expect(bySaved.code, bySaved.stderr).toBe(0);
    expect(bySaved.stdout).toMatch(/would import 90 rows.*\n {2}new dimension: LA_VICTIM \(named by the mapping/);

    const printed = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      await expect(
        importCommand(config, csv, { format: 'open-sdg', place: 'USLAX', dryRun: true, map: 'saved:Nonesuch' }),
      ).rejects.toThrow('--map: no saved column mapping named "Nonesuch" that you may use.');
      await mappingsListCommand(config, { kind: 'columns' });
      await mappingsDeleteCommand(config, 'la gender', {});
      expect(printed.mock.calls.map((c) => String(c[0]))).toEqual([
        expect.stringMatching(/^\d+\tcolumns\tUSLAX\tLA gender\t\(changed \d{4}-\d\d-\d\d by cli:/),
        'Deleted the columns mapping "LA gender" of USLAX.',
      ]);
    } finally {
      printed.mockRestore();
    }
  });

  it('refuses a broken file with row, column and reason, writing nothing', async () => {
    const bad = path.join(dir, 'bad.csv');
    await writeFile(bad, 'indicator,place,period,value\n11.1.1,MAAGA,2020,12\n11.1.1,MAAGA,2021,twelve\n');
    const r = await marsad(['import', bad, '--format', 'csv'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/nothing was imported/);
    expect(r.stderr).toMatch(/row 3, value:/);
    const missing = await marsadInProcess(() =>
      importCommand(readConfig(env), bad.replace('bad', 'good'), { format: 'csv' }),
    );
    expect(missing.code).toBe(1);
  });

  it('exports a selection to standard output and to a file', async () => {
    const r = await marsad(
      ['export', '--format', 'csv', '--indicator', '16.1.1', '--place', 'USLAX', '--from', '2015', '--to', '2016'],
      env,
    );
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split(/\r?\n/);
    expect(lines[0]).toMatch(/^indicator,series,place,period,value/);
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.slice(1).every((l) => /,(2015|2016),/.test(l))).toBe(true);
    const out = path.join(dir, 'out.json');
    const toFile = await marsadInProcess(() => exportCommand(readConfig(env), { format: 'sdmx-json', out }));
    expect(toFile.code, toFile.stderr).toBe(0);
    expect(JSON.parse(await readFile(out, 'utf8'))).toHaveProperty('data');
  });

  it('adds places from CSV all or nothing', async () => {
    const bad = path.join(dir, 'places-bad.csv');
    await writeFile(
      bad,
      'code,parent,level,name_ar,name_en,lat,lon,external_code\nJO-AMM-1,JOAMM,district,العبدلي,Abdali,31.96,35.91,\nJO-AMM-2,JOAMM,district,,,,,\n',
    );
    const r = await marsad(['places', 'import', bad], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/row 3, names/);
    const good = path.join(dir, 'places-good.csv');
    await writeFile(
      good,
      'code,parent,level,name_ar,name_en,lat,lon,external_code\nJO-AMM-1,JOAMM,district,العبدلي,Abdali,31.96,35.91,11101\n',
    );
    const ok = await marsadInProcess(() => placesImportCommand(readConfig(env), good));
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/Added 1 places/);
    // A shape matched by the place's English name (case folded), the other area listed (the API tests do the rest).
    const areas = path.join(dir, 'areas.geojson');
    const square = (x: number) => [
      [
        [x, 31.9],
        [x + 0.02, 31.9],
        [x + 0.02, 31.98],
        [x, 31.98],
        [x, 31.9],
      ],
    ];
    await writeFile(
      areas,
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            properties: { NAME: 'ABDALI' },
            geometry: { type: 'Polygon', coordinates: square(35.9) },
          },
          {
            type: 'Feature',
            properties: { NAME: 'Elsewhere' },
            geometry: { type: 'Polygon', coordinates: square(36) },
          },
        ],
      }),
    );
    const shapes = await marsad(['places', 'boundaries', areas, '--match-property', 'NAME', '--parent', 'JOAMM'], env);
    expect(shapes.stderr).toBe('');
    expect(shapes.stdout).toMatch(/2 areas, 1 matched by NAME: 1 added/);
    expect(shapes.stdout).toMatch(/feature 2 Elsewhere: no place has this code or name/);
  });

  it('adds a local indicator, and refuses a bad one with the field named', async () => {
    const ok = await marsad(
      [
        'indicators',
        'add',
        'AMM-HEAT-1',
        '--name',
        'ar=أيام الحر الشديد',
        '--name',
        'en=Days of extreme heat',
        '--unit',
        'NUMBER',
        '--direction',
        'lower',
        '--framework',
        'urban-safety/risk-factors',
        '--owner',
        'JOAMM',
      ],
      env,
    );
    expect(ok.code, ok.stderr).toBe(0);
    // The real command above; the same code in this process for the refusals and the import.
    const config = readConfig(env);
    const bad = await marsadInProcess(() => indicatorAddCommand(config, 'AMM HEAT', { name: ['en=x'] }));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/code:/);
    const dup = await marsadInProcess(() => indicatorAddCommand(config, 'AMM-HEAT-1', { name: ['en=x'] }));
    expect(dup.code).toBe(1);
    expect(dup.stderr).toMatch(/exists already/);
    const csv = path.join(dir, 'heat.csv');
    await writeFile(csv, 'indicator,place,period,value\nAMM-HEAT-1,JOAMM,2024,17\n');
    const imported = await marsadInProcess(() => importCommand(config, csv, { format: 'csv' }));
    expect(imported.code, imported.stderr).toBe(0);
  });

  // Four commands, each opening its own embedded database (the restore's a new one): more time than most.
  it('backs up and restores with the same counts', { timeout: 300_000 }, async () => {
    const file = path.join(dir, 'backup.marsad.gz');
    const b = await marsad(['backup', file], env);
    expect(b.code, b.stderr).toBe(0);
    const other = { MARSAD_DATA_DIR: path.join(dir, 'restored') };
    let target: TestDatabase | undefined;
    if (kind === 'postgres') {
      target = await createEmptyDatabase('postgres');
      Object.assign(other, { DATABASE_URL: target.url });
    }
    try {
      const r = await marsad(['restore', file], other);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/counts checked/);
      // The two databases' exports, by the export's code in this process (the real export is tested above).
      const a = path.join(dir, 'export-a.csv');
      const b = path.join(dir, 'export-b.csv');
      expect((await marsadInProcess(() => exportCommand(readConfig(env), { format: 'csv', out: a }))).code).toBe(0);
      expect((await marsadInProcess(() => exportCommand(readConfig(other), { format: 'csv', out: b }))).code).toBe(0);
      const exportA = await readFile(a, 'utf8');
      expect(exportA.split('\n').length).toBeGreaterThan(90);
      expect(await readFile(b, 'utf8')).toBe(exportA);
    } finally {
      await target?.drop();
    }
  });

  it.runIf(!!process.env.DATABASE_URL && kind === 'pglite')(
    'copies an embedded installation to a PostgreSQL server, checked by counts',
    async () => {
      const target = await createEmptyDatabase('postgres');
      try {
        const r = await marsad(['copy-to', target.url!], env);
        expect(r.code, r.stderr).toBe(0);
        expect(r.stdout).toMatch(/counts checked/);
        const exportA = await marsad(['export', '--format', 'csv'], env);
        const exportB = await marsad(['export', '--format', 'csv'], {
          MARSAD_DATA_DIR: path.join(dir, 'pg'),
          DATABASE_URL: target.url,
        });
        expect(exportB.stdout).toBe(exportA.stdout);
        const twice = await marsad(['copy-to', target.url!], env);
        expect(twice.code).toBe(1);
        expect(twice.stderr).toMatch(/already holds Marsad data/);
      } finally {
        await target.drop();
      }
    },
  );
});
