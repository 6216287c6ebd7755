import { createReadStream } from 'node:fs';
import path from 'node:path';
import {
  addPlaces,
  type BoundaryReport,
  CLI_ACTOR,
  HttpError,
  importBoundaries,
  type PlaceChange,
  readAreasFile,
  readPlacesCsv,
  uploadLimits,
} from '@marsad/server';
import type { RuntimeConfig } from '../config.ts';
import { findRemote, remoteFetch } from '../remote.ts';
import { withLocalStore } from './local-store.ts';

interface Problem {
  row: number;
  column?: string;
  message: string;
}

function printProblems(problems: Problem[]): void {
  console.error(`Nothing was changed: ${problems.length} problem(s).`);
  for (const p of problems.slice(0, 20))
    console.error(`  row ${p.row}${p.column ? `, ${p.column}` : ''}: ${p.message}`);
}

interface PlacesAnswer {
  dryRun: boolean;
  added: number;
  updated: number;
  unchanged: number;
  levels: { country: string; code: string; kind: string; action: string }[];
  changes: PlaceChange[];
}

function printPlaces(r: PlacesAnswer): void {
  const verb = r.dryRun ? 'Would add' : 'Added';
  console.log(
    `${verb} ${r.added} places, ${r.dryRun ? 'would change' : 'changed'} ${r.updated}, ${r.unchanged} unchanged.${r.dryRun ? ' (dry run: nothing written)' : ''}`,
  );
  for (const l of r.levels) console.log(`  level ${l.country}/${l.code} (${l.kind}): ${l.action}`);
  if (r.dryRun || r.changes.length <= 50)
    for (const c of r.changes.slice(0, 200))
      console.log(
        `  row ${c.row} ${c.code}: ${c.action === 'create' ? 'new' : `changes ${(c.fields ?? []).join(', ')}`}`,
      );
}

/**
 * `marsad places import FILE [--dry-run]`: CSV code,parent,level,name_ar,name_en,lat,lon,external_code (optional kind,
 * level_name_<lang>), all or nothing; known codes are updated, repeated places left alone.
 */
export async function placesImportCommand(
  config: RuntimeConfig,
  file: string,
  opts: { dryRun?: boolean } = {},
): Promise<number> {
  const remote = await findRemote(config.dataDir, config.databaseUrl);
  if (remote) {
    const res = await remoteFetch(remote, `/api/v1/places/import${opts.dryRun ? '?dryRun=true' : ''}`, {
      method: 'POST',
      body: createReadStream(file) as unknown as BodyInit,
      duplex: 'half',
      headers: { 'Content-Type': 'text/csv' },
    });
    const body = (await res.json()) as PlacesAnswer & { message?: string; details?: { problems: Problem[] } };
    if (!res.ok) {
      if (body.details?.problems) printProblems(body.details.problems);
      else console.error(body.message);
      return 1;
    }
    printPlaces(body);
    return 0;
  }
  const { places, problems } = await readPlacesCsv(createReadStream(file));
  if (problems.length) {
    printProblems(problems);
    return 1;
  }
  return withLocalStore(config, async (store) => {
    const res = await store.exclusive((conn) =>
      addPlaces(conn, places, (i) => i + 2, CLI_ACTOR, undefined, { dryRun: opts.dryRun }),
    );
    if (res.problems.length) {
      printProblems(res.problems);
      return 1;
    }
    printPlaces(res);
    return 0;
  });
}

function printBoundaries(r: BoundaryReport): void {
  console.log(
    `${r.features} areas, ${r.matched} matched by ${r.matchProperty}: ${r.created} ${r.dryRun ? 'would be added' : 'added'}, ${r.updated} ${r.dryRun ? 'would change' : 'changed'}, ${r.unchanged} unchanged; ${r.points} positions kept (${Math.round(r.bytes / 1024)} KB).${r.dryRun ? ' (dry run: nothing written)' : ''}`,
  );
  if (r.unmatched.length) {
    console.log(`Not matched (${r.unmatched.length}):`);
    for (const u of r.unmatched.slice(0, 100)) console.log(`  feature ${u.feature} ${u.value ?? ''}: ${u.reason}`);
  }
  if (r.placesWithoutArea.length)
    console.log(
      `Places under ${r.parent} without a shape (${r.placesWithoutArea.length}): ${r.placesWithoutArea.slice(0, 50).join(', ')}`,
    );
}

/** `marsad places boundaries FILE --match-property P [--parent CODE] [--dry-run]`: GeoJSON or TopoJSON areas. */
export async function placesBoundariesCommand(
  config: RuntimeConfig,
  file: string,
  opts: { matchProperty: string; parent?: string; dryRun?: boolean },
): Promise<number> {
  const fileName = path.basename(file);
  const remote = await findRemote(config.dataDir, config.databaseUrl);
  if (remote) {
    const q = new URLSearchParams({ matchProperty: opts.matchProperty, fileName });
    if (opts.parent) q.set('parent', opts.parent);
    if (opts.dryRun) q.set('dryRun', 'true');
    const res = await remoteFetch(remote, `/api/v1/places/boundaries?${q}`, {
      method: 'POST',
      body: createReadStream(file) as unknown as BodyInit,
      duplex: 'half',
      headers: { 'Content-Type': 'application/geo+json' },
    });
    const body = (await res.json()) as BoundaryReport & {
      message?: string;
      details?: { problems?: { feature: number; message: string }[] };
    };
    if (!res.ok) {
      console.error(body.message);
      return 1;
    }
    printBoundaries(body);
    return 0;
  }
  try {
    const features = await readAreasFile(createReadStream(file), uploadLimits(config.uploadLimits));
    return await withLocalStore(config, async (store) => {
      const report = await store.exclusive((conn) =>
        importBoundaries(conn, features, {
          matchProperty: opts.matchProperty,
          parent: opts.parent ?? null,
          file: fileName,
          dryRun: opts.dryRun,
          actor: CLI_ACTOR,
        }),
      );
      printBoundaries(report);
      return 0;
    });
  } catch (err) {
    if (err instanceof HttpError || (err as Error).name === 'InputFormatError') {
      console.error(err instanceof HttpError ? err.message : `Nothing was stored: ${(err as Error).message}.`);
      return 1;
    }
    throw err;
  }
}
