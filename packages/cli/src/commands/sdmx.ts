import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { CheckProblem } from '@marsad/core';
import {
  type CheckReport,
  CLI_ACTOR,
  type ConstraintsLoadReport,
  checkPlaceData,
  exportForUn,
  fetchSource,
  findStructure,
  HttpError,
  loadConstraints,
  loadStructureMessage,
  readConstraintsCsv,
  readStructureMessage,
  type StructureLoadReport,
  UN_EXPORT_FORMATS,
  type UnExportFormat,
  type UnExportStatus,
} from '@marsad/server';
import type { RuntimeConfig } from '../config.ts';
import { counting, progressBar } from '../progress.ts';
import { findRemote, remoteFetch } from '../remote.ts';
import { withLocalStore } from './local-store.ts';

const SDG = 'IAEG-SDGs:SDG';
const isUrl = (s: string) => /^https?:\/\//i.test(s);

/** A file (with a progress bar on a terminal) or a URL, read as a stream. */
async function source(fileOrUrl: string): Promise<{ input: AsyncIterable<Uint8Array | string>; done(): void }> {
  if (isUrl(fileOrUrl)) {
    const bar = progressBar(fileOrUrl.split('/').pop() || fileOrUrl, 1, 'bytes');
    return { input: await fetchSource(fileOrUrl), done: () => bar.stop() };
  }
  const size = (await stat(fileOrUrl)).size;
  const bar = progressBar(path.basename(fileOrUrl), size);
  return { input: counting(createReadStream(fileOrUrl), (n) => bar.update(n)), done: () => bar.stop() };
}

async function remoteAnswer<T>(res: Response): Promise<T> {
  const body = (await res.json()) as T & {
    message?: string;
    details?: { problems?: { line: number; column?: string; message: string }[] };
  };
  if (!res.ok) {
    for (const p of body.details?.problems?.slice(0, 20) ?? [])
      console.error(`  line ${p.line}${p.column ? `, ${p.column}` : ''}: ${p.message}`);
    throw new Error(body.message ?? `the server answered ${res.status}`);
  }
  return body;
}

function printStructures(r: StructureLoadReport): void {
  for (const s of r.structures) {
    console.log(`Data structure ${s.ref}: dimensions ${s.dimensions.join(', ')}`);
    console.log(
      `  attributes: ${s.attributes.map((a) => `${a.id}${a.mandatory ? ' (mandatory)' : ''} on ${a.attachment ?? '?'}`).join(', ')}`,
    );
  }
  console.log(`${r.codelists.length} code list(s), ${r.codelists.reduce((n, c) => n + c.codes, 0)} codes loaded.`);
  for (const d of r.dimensions)
    console.log(
      `  dimension ${d.code}${d.created ? ' (new)' : ''}: ${d.valuesAdded} values added, ${d.valuesKept} kept`,
    );
}

/** `marsad sdmx load-structure FILE|URL`: an SDMX-ML 2.1 structure message (a DSD and its code lists). */
export async function sdmxLoadStructureCommand(config: RuntimeConfig, fileOrUrl: string): Promise<number> {
  const remote = await findRemote(config.dataDir, config.databaseUrl);
  if (remote) {
    const res = isUrl(fileOrUrl)
      ? await remoteFetch(remote, `/api/v1/sdmx/structures?url=${encodeURIComponent(fileOrUrl)}`, { method: 'POST' })
      : await remoteFetch(remote, '/api/v1/sdmx/structures', {
          method: 'POST',
          body: createReadStream(fileOrUrl) as unknown as BodyInit,
          duplex: 'half',
          headers: { 'Content-Type': 'application/xml' },
        });
    printStructures(await remoteAnswer<StructureLoadReport>(res));
    return 0;
  }
  const { input, done } = await source(fileOrUrl);
  let msg: Awaited<ReturnType<typeof readStructureMessage>>;
  try {
    msg = await readStructureMessage(input);
  } finally {
    done();
  }
  const report = await withLocalStore(config, (store) => loadStructureMessage(store, msg, CLI_ACTOR, fileOrUrl));
  printStructures(report);
  return 0;
}

function printConstraints(r: ConstraintsLoadReport): void {
  console.log(`Content constraints of ${r.structure}: ${r.series} series, ${r.rules} rules.`);
  if (r.unknownComponents.length)
    console.log(`  columns that are not components of ${r.structure} (not checked): ${r.unknownComponents.join(', ')}`);
}

/** `marsad sdmx load-constraints FILE|URL [--structure AGENCY:ID(VERSION)]`. */
export async function sdmxLoadConstraintsCommand(
  config: RuntimeConfig,
  fileOrUrl: string,
  o: { structure?: string },
): Promise<number> {
  const structureRef = o.structure ?? SDG;
  const remote = await findRemote(config.dataDir, config.databaseUrl);
  if (remote) {
    const q = new URLSearchParams({ structure: structureRef });
    if (isUrl(fileOrUrl)) q.set('url', fileOrUrl);
    const res = await remoteFetch(remote, `/api/v1/sdmx/constraints?${q}`, {
      method: 'POST',
      ...(isUrl(fileOrUrl)
        ? {}
        : {
            body: createReadStream(fileOrUrl) as unknown as BodyInit,
            duplex: 'half' as const,
            headers: { 'Content-Type': 'text/csv' },
          }),
    });
    printConstraints(await remoteAnswer<ConstraintsLoadReport>(res));
    return 0;
  }
  return withLocalStore(config, async (store) => {
    const structure = await findStructure(store, structureRef);
    if (!structure)
      throw new Error(`no data structure ${structureRef} is loaded: load it first with \`marsad sdmx load-structure\``);
    const { input, done } = await source(fileOrUrl);
    let constraints: Awaited<ReturnType<typeof readConstraintsCsv>>;
    try {
      constraints = await readConstraintsCsv(input);
    } finally {
      done();
    }
    printConstraints(await loadConstraints(store, structure, constraints, CLI_ACTOR, fileOrUrl));
    return 0;
  });
}

function printCheck(r: CheckReport, json?: boolean): number {
  if (json) {
    console.log(JSON.stringify(r, null, 2));
    return r.problemCount ? 1 : 0;
  }
  console.log(`${r.observations} values of ${r.place} checked against ${r.structure}: ${r.problemCount} problem(s).`);
  if (r.valuesLeftOut)
    console.log(`  ${r.valuesLeftOut} value(s) with problems: \`marsad sdmx export\` leaves them out.`);
  for (const [rule, n] of Object.entries(r.byRule)) console.log(`  ${rule}: ${n}`);
  for (const p of r.problems)
    console.log(
      `  ${p.series} ${p.place} ${p.period}${p.breakdown ? ` [${p.breakdown}]` : ''}: ${p.rule}: ${p.message}`,
    );
  if (r.problems.length < r.problemCount) console.log(`  … and ${r.problemCount - r.problems.length} more`);
  return r.problemCount ? 1 : 0;
}

/** `marsad sdmx check --place CODE [--structure REF] [--json]`: exits 1 when the UN would refuse something. */
export async function sdmxCheckCommand(
  config: RuntimeConfig,
  o: { place: string; structure?: string; json?: boolean },
): Promise<number> {
  const structureRef = o.structure ?? SDG;
  const remote = await findRemote(config.dataDir, config.databaseUrl);
  if (remote) {
    const q = new URLSearchParams({ place: o.place, structure: structureRef });
    return printCheck(await remoteAnswer<CheckReport>(await remoteFetch(remote, `/api/v1/sdmx/check?${q}`)), o.json);
  }
  return withLocalStore(config, async (store) => {
    const structure = await findStructure(store, structureRef);
    if (!structure)
      throw new Error(`no data structure ${structureRef} is loaded: load it first with \`marsad sdmx load-structure\``);
    const place = await store.db
      .selectFrom('places')
      .select(['id', 'code', 'codes'])
      .where('code', '=', o.place)
      .executeTakeFirst();
    if (!place) throw new Error(`no place with code "${o.place}"`);
    const report = await checkPlaceData(
      store,
      structure,
      { id: place.id, code: place.code, codes: (place.codes ?? {}) as Record<string, string> },
      { approvedOnly: false },
    );
    return printCheck(report, o.json);
  });
}

export interface SdmxExportCliOptions {
  place: string;
  structure?: string;
  format?: string;
  out?: string;
  strict?: boolean;
  status?: string;
}

/** Problems on stderr, the first 20. */
function printProblems(problems: readonly CheckProblem[], total: number): void {
  for (const p of problems.slice(0, 20))
    console.error(
      `  ${p.series} ${p.place} ${p.period}${p.breakdown ? ` [${p.breakdown}]` : ''}: ${p.rule}: ${p.message}`,
    );
  if (total > 20) console.error(`  … and ${total - 20} more`);
}

function tellLeftOut(leftOut: number, place: string, structure: string, byRule?: Record<string, number>): void {
  if (!leftOut) return;
  const rules = byRule
    ? ` (${Object.entries(byRule)
        .map(([rule, n]) => `${rule}: ${n}`)
        .join(', ')})`
    : '';
  console.error(
    `${leftOut} value(s) left out: they would not pass under ${structure}${rules}. \`marsad sdmx check --place ${place}\` lists them.`,
  );
}

/**
 * `marsad sdmx export --place CODE [--structure REF] [--format sdmx-ml|sdmx-csv] [--out FILE] [--strict]
 * [--status approved|all]`: the country's SDG data for the UN (server/sdmx/un-export.ts). The values that would not
 * pass are left out and counted on stderr; with --strict any such value refuses the export (exit code 1, nothing
 * written). Through a running server: its API, with the API token of the command.
 */
export async function sdmxExportCommand(config: RuntimeConfig, o: SdmxExportCliOptions): Promise<number> {
  const format = (o.format ?? 'sdmx-ml') as UnExportFormat;
  if (!UN_EXPORT_FORMATS.includes(format)) throw new Error(`--format must be one of ${UN_EXPORT_FORMATS.join(', ')}`);
  const status = (o.status ?? 'approved') as UnExportStatus;
  if (status !== 'approved' && status !== 'all') throw new Error('--status must be approved or all');
  const structureRef = o.structure ?? SDG;
  const remote = await findRemote(config.dataDir, config.databaseUrl);
  if (remote) {
    const q = new URLSearchParams({ place: o.place, format, structure: structureRef, status });
    if (o.strict) q.set('strict', 'true');
    const res = await remoteFetch(remote, `/api/v1/sdmx/export?${q}`);
    if (!res.ok || !res.body) {
      const body = (await res.json()) as {
        message?: string;
        details?: { problems?: CheckProblem[]; problemCount?: number };
      };
      if (body.details?.problems) printProblems(body.details.problems, body.details.problemCount ?? 0);
      throw new Error(body.message ?? `the server answered ${res.status}`);
    }
    // The file is opened once the answer is known to be good: a refused export leaves no empty file behind.
    await pipeline(Readable.fromWeb(res.body as never), o.out ? createWriteStream(o.out) : process.stdout);
    // The structure's version, from the link to the check that lists what was left out.
    const link = /<([^>]+)>/.exec(res.headers.get('link') ?? '')?.[1];
    const structure = (link && new URLSearchParams(link.split('?')[1]).get('structure')) || structureRef;
    tellLeftOut(Number(res.headers.get('x-marsad-left-out') ?? 0), o.place, structure);
    return 0;
  }
  return withLocalStore(config, async (store) => {
    console.error(`Checking the SDG values of ${o.place} under ${structureRef}…`);
    let bar: ReturnType<typeof progressBar> | undefined;
    let written = 0;
    let out: Awaited<ReturnType<typeof exportForUn>>;
    try {
      out = await exportForUn(store, {
        place: o.place,
        structure: structureRef,
        status,
        format,
        strict: o.strict,
        // The operator on the database itself may export every status.
        readsUnpublished: () => true,
        onWritten: (n) => {
          written = n;
          bar?.update(n);
        },
      });
    } catch (err) {
      if (err instanceof HttpError && err.code === 'refused_by_check') {
        const d = err.details as { problems: CheckProblem[]; problemCount: number };
        printProblems(d.problems, d.problemCount);
      }
      throw err;
    }
    const r = out.report;
    bar = progressBar(`Writing ${out.fileName}`, r.observations - r.valuesLeftOut, 'values');
    const target: Writable = o.out ? createWriteStream(o.out) : process.stdout;
    try {
      await pipeline(Readable.from(out.body), target);
    } finally {
      bar.stop();
    }
    console.error(
      `${written} value(s) of ${r.place} written under ${r.structure}${o.out ? ` to ${o.out}` : ''}${r.observations ? '' : ' (the place has no SDG values to send)'}.`,
    );
    tellLeftOut(r.valuesLeftOut, r.place, r.structure, r.byRule);
    return 0;
  });
}
