import { createReadStream } from 'node:fs';
import { addPlaces, CLI_ACTOR, readPlacesCsv } from '@marsad/server';
import type { RuntimeConfig } from '../config.ts';
import { findRemote, remoteFetch } from '../remote.ts';
import { withLocalStore } from './local-store.ts';

interface Problem {
  row: number;
  column?: string;
  message: string;
}

function printProblems(problems: Problem[]): void {
  console.error(`Nothing was added: ${problems.length} problem(s).`);
  for (const p of problems.slice(0, 20))
    console.error(`  row ${p.row}${p.column ? `, ${p.column}` : ''}: ${p.message}`);
}

/** `marsad places import FILE`: CSV code,parent,level,name_ar,name_en,lat,lon,external_code, all or nothing. */
export async function placesImportCommand(config: RuntimeConfig, file: string): Promise<number> {
  const remote = await findRemote(config.dataDir, config.databaseUrl);
  if (remote) {
    const res = await remoteFetch(remote, '/api/v1/places/import', {
      method: 'POST',
      body: createReadStream(file) as unknown as BodyInit,
      duplex: 'half',
      headers: { 'Content-Type': 'text/csv' },
    });
    const body = (await res.json()) as { added?: number; message?: string; details?: { problems: Problem[] } };
    if (!res.ok) {
      if (body.details?.problems) printProblems(body.details.problems);
      else console.error(body.message);
      return 1;
    }
    console.log(`Added ${body.added} places.`);
    return 0;
  }
  const { places, problems } = await readPlacesCsv(createReadStream(file));
  if (problems.length) {
    printProblems(problems);
    return 1;
  }
  return withLocalStore(config, async (store) => {
    const res = await store
      .exclusive(async (conn) => {
        const r = await addPlaces(conn, places, (i) => i + 2, CLI_ACTOR);
        if (r.problems.length) throw Object.assign(new Error('invalid'), { problems: r.problems });
        return r;
      })
      .catch((err: Error & { problems?: Problem[] }) => {
        if (err.problems) return { added: -1, problems: err.problems };
        throw err;
      });
    if (res.added < 0) {
      printProblems(res.problems);
      return 1;
    }
    console.log(`Added ${res.added} places.`);
    return 0;
  });
}
