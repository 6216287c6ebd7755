import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Store } from '@marsad/db';
import { importFile } from '../imports/import-file.ts';
import type { ImportReport } from '../observations/import-pipeline.ts';
import { loadDemoAssessments } from '../safety-monitor/demo-assessments.ts';
import { loadKnowledgeSeeds } from './knowledge-seeds.ts';
import { loadDemoProgrammes } from './load-demo-programmes.ts';
import { loadDemoReviews } from './load-demo-reviews.ts';
import { SYNTHETIC_SOURCE, syntheticPilotCsv } from './synthetic-pilot-data.ts';
import { syntheticSafetyCsv } from './synthetic-safety-data.ts';

const LA_DIR = fileURLToPath(new URL('./data/open-sdg/los-angeles/', import.meta.url));
/**
 * Files of Los Angeles whose values are not in their indicator's unit and say so nowhere: 11.2.1
 * (a percentage of the population) holds public transport boardings, which the indicator's range
 * [0, 100] refuses. They go to a series of the indicator in their own unit.
 */
const LA_UNITS: Record<string, string> = { 'indicator_11-2-1.csv': 'NUMBER' };

export const LOS_ANGELES_SOURCE = {
  name: 'City of Los Angeles, Open SDG data',
  licence: 'MIT',
  citation: 'City of Los Angeles, open-sdg-data-starter repository, data/ (October 2024), MIT licence.',
  url: 'https://github.com/CityOfLosAngeles/open-sdg-data-starter',
};

async function* once(text: string | Buffer): AsyncGenerator<string | Buffer> {
  yield text;
}

export async function demoLoaded(store: Store): Promise<boolean> {
  return !!(await store.db.selectFrom('settings').select('key').where('key', '=', 'demo').executeTakeFirst());
}

/** The demonstration's two sources (the synthetic one with its names in six languages), added or brought up to date. */
export async function saveDemoSources(store: Store): Promise<void> {
  for (const { names, ...s } of [
    { ...SYNTHETIC_SOURCE, synthetic: true, url: null },
    { ...LOS_ANGELES_SOURCE, names: {}, synthetic: false },
  ]) {
    const row = { ...s, names: JSON.stringify(names) };
    await store.db
      .insertInto('sources')
      .values({ ...row, created_at: new Date() })
      .onConflict((oc) => oc.column('name').doUpdateSet(row))
      .execute();
  }
}

/**
 * Loads the demonstration data: the real Open SDG files of Los Angeles with their true source,
 * and synthetic values for the pilot cities, flagged as such. Each file is one import batch.
 * Then the three demonstration programmes with their results (load-demo-programmes.ts), and
 * the five seed documents in the knowledge repository (knowledge-seeds.ts).
 */
export async function loadDemo(
  store: Store,
  onFile?: (name: string, report: ImportReport) => void,
): Promise<{ files: number; observations: number; programmes: number }> {
  await saveDemoSources(store);
  let observations = 0;
  let files = 0;
  const fail = (name: string, r: ImportReport) =>
    new Error(
      `demonstration file ${name} did not import: ${r.errors
        .slice(0, 3)
        .map((e) => `${e.at} ${e.column ?? ''} ${e.message}`)
        .join('; ')}`,
    );
  for (const name of (await readdir(LA_DIR)).filter((f) => f.endsWith('.csv')).sort()) {
    const unit = LA_UNITS[name];
    const r = await importFile(store, once(await readFile(LA_DIR + name)), {
      ...(unit ? { unit, newSeriesForUnits: true } : {}),
      format: 'open-sdg',
      fileName: name,
      place: 'USLAX',
      actor: 'demo',
      status: 'approved',
      rowStatusAllowed: true,
      source: LOS_ANGELES_SOURCE.name,
      createIndicators: true,
    });
    if (r.state !== 'committed') throw fail(name, r);
    onFile?.(name, r);
    observations += r.counts.inserted;
    files++;
  }
  const codes = new Set((await store.db.selectFrom('indicators').select('code').execute()).map((r) => r.code));
  const r = await importFile(store, once(syntheticPilotCsv((c) => codes.has(c))), {
    format: 'csv',
    fileName: 'synthetic-pilot-cities.csv',
    actor: 'demo',
    status: 'approved',
    rowStatusAllowed: true,
    source: SYNTHETIC_SOURCE.name,
  });
  if (r.state !== 'committed') throw fail('synthetic-pilot-cities.csv', r);
  onFile?.('synthetic-pilot-cities.csv', r);
  observations += r.counts.inserted;
  files++;
  // The draft safety matrix in the pilot cities, for the composite safety profile (synthetic, labelled so).
  const matrix = await importFile(store, once(syntheticSafetyCsv((c) => codes.has(c))), {
    format: 'csv',
    fileName: 'synthetic-safety-matrix.csv',
    actor: 'demo',
    status: 'approved',
    rowStatusAllowed: true,
    source: SYNTHETIC_SOURCE.name,
  });
  if (matrix.state !== 'committed') throw fail('synthetic-safety-matrix.csv', matrix);
  onFile?.('synthetic-safety-matrix.csv', matrix);
  observations += matrix.counts.inserted;
  files++;
  // The three programmes of seeds 000, 001 and 003 with their results, tied to the indicators above (labelled
  // demonstration).
  const programmes = await loadDemoProgrammes(store);
  // A Voluntary Local Review cycle of the pilot cities of seed 003 and the Philippines (labelled demonstration).
  await loadDemoReviews(store);
  // Self-assessments of Agadir and Amman against the Urban Safety Monitor (labelled synthetic demonstration).
  await loadDemoAssessments(store);
  // The five seed documents as published documents of the knowledge repository (real text, not demonstration).
  await loadKnowledgeSeeds(store);
  await store.db
    .insertInto('settings')
    .values({
      key: 'demo',
      value: JSON.stringify({ loadedAt: new Date().toISOString(), files, observations }),
      updated_at: new Date(),
    })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  return { files: files, observations, programmes: programmes.programmes };
}
