/**
 * Boundaries benchmark: the real boundary files of the UK (ONS Local Authority Districts, December 2016, generalised
 * clipped, 380 areas; Open Government Licence v3.0) and Kazakhstan (regions.geojson, 17 areas; MIT), imported into a
 * fresh embedded database with the catalogue, each after a places file of its own:
 *
 * - UK: a district under GBR per feature, code and name from its LAD16CD and LAD16NM, matched by LAD16CD;
 * - Kazakhstan: every REF_AREA code of the repository's translations (ru names, "г."/"п." places as cities), under
 *   KAZ, matched by the Russian kzName — what a country's own files give, so the areas that do not match are real.
 *
 * Prints per file: areas, matched, not matched (with their values), positions in the file and kept, bytes stored,
 * seconds (reading, matching, simplifying, writing) and the process's peak resident memory.
 *
 *   npm run bench:boundaries
 */
import { createReadStream, readFileSync } from 'node:fs';
import path from 'node:path';
import { createTestDatabase } from '@marsad/db/testing';
import {
  addPlaces,
  CLI_ACTOR,
  importBoundaries,
  type PlaceInput,
  readAreasFile,
  uploadLimits,
} from '../../packages/server/src/index.ts';

const SHARED = path.resolve(import.meta.dirname, '../../../shared/data/open-sdg');
const UK = path.join(
  SHARED,
  'uk-ons/geojsons/Local_Authority_Districts_December_2016_GB_BUC_2022_539803951565169620.geojson',
);
const KZ = path.join(SHARED, 'kazakhstan/regions.geojson');

let peak = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 20);

function positions(file: string): number {
  let n = 0;
  const count = (c: unknown): void => {
    if (Array.isArray(c) && Array.isArray(c[0])) for (const x of c) count(x);
    else n++;
  };
  for (const f of JSON.parse(readFileSync(file, 'utf8')).features) count(f.geometry.coordinates);
  return n;
}

function ukPlaces(): PlaceInput[] {
  const features = JSON.parse(readFileSync(UK, 'utf8')).features as { properties: Record<string, string> }[];
  return features.map((f) => ({
    code: f.properties.LAD16CD!,
    parent: 'GBR',
    level: 'district',
    names: { en: f.properties.LAD16NM!.trim() },
    externalCode: undefined,
  }));
}

function kzPlaces(): PlaceInput[] {
  const yml = readFileSync(path.join(SHARED, 'kazakhstan/translations/ru/REF_AREA.yml'), 'utf8');
  return yml
    .split('\n')
    .map((l) => /^(KZ\w+):\s*(.+)$/.exec(l.trim()))
    .filter((m): m is RegExpExecArray => !!m)
    .map(([, code, name]) => ({
      code: code!,
      parent: 'KAZ',
      level: /^[гп][._]/.test(name!) ? 'city' : 'region',
      names: { ru: name!.trim() },
      externalCode: undefined,
    }));
}

async function main() {
  const db = await createTestDatabase('pglite', { catalogue: true });
  const limits = uploadLimits();
  try {
    for (const c of [
      { name: 'UK local authority districts', file: UK, places: ukPlaces(), parent: 'GBR', property: 'LAD16CD' },
      { name: 'Kazakhstan regions', file: KZ, places: kzPlaces(), parent: 'KAZ', property: 'kzName' },
    ]) {
      const placed = await db.store.exclusive((conn) => addPlaces(conn, c.places, (i) => i + 2, CLI_ACTOR));
      if (placed.problems.length) throw new Error(JSON.stringify(placed.problems.slice(0, 3)));
      const before = process.memoryUsage().rss;
      peak = before;
      const t0 = performance.now();
      const features = await readAreasFile(createReadStream(c.file), limits);
      const report = await db.store.exclusive((conn) =>
        importBoundaries(conn, features, {
          matchProperty: c.property,
          parent: c.parent,
          file: path.basename(c.file),
          actor: CLI_ACTOR,
        }),
      );
      const seconds = (performance.now() - t0) / 1000;
      console.log(
        `\n${c.name} (${path.basename(c.file)}, ${(readFileSync(c.file).length / 1024 / 1024).toFixed(1)} MB)`,
      );
      console.log(`  places file: ${placed.added} added, ${placed.updated} changed, ${placed.unchanged} unchanged`);
      console.log(
        `  ${report.features} areas, ${report.matched} matched by ${c.property}, ${report.unmatched.length} not matched`,
      );
      for (const u of report.unmatched) console.log(`    feature ${u.feature} ${u.value}: ${u.reason}`);
      console.log(
        `  positions: ${positions(c.file)} in the file, ${report.points} kept; ${(report.bytes / 1024).toFixed(0)} KB stored`,
      );
      console.log(
        `  ${seconds.toFixed(2)} s; resident memory ${(before / 1024 / 1024).toFixed(0)} MB before, ${(peak / 1024 / 1024).toFixed(0)} MB at the peak`,
      );
    }
  } finally {
    clearInterval(sampler);
    await db.drop();
  }
}

await main();
