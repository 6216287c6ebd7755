import { frameworkCatalogueCodes, frameworkIndicators, SafetyFrameworkStructure } from '@marsad/core';
import type { Store } from '@marsad/db';
import { type AuditActor, appendAudit } from '../audit/audit-log.ts';
import { HttpError } from '../http/errors.ts';
import {
  existingIndicatorCodes,
  insertNextVersion,
  insertSeedVersion,
  selectCurrentVersion,
  selectVersion,
  selectVersionById,
  selectVersions,
  type VersionRow,
} from './safety-monitor-store.ts';
import { USM_FRAMEWORK, usmSeedStructure } from './seed-structure.ts';

/**
 * The versions of the Urban Safety Monitor's structure: version 1 is UN-Habitat's as far as it is confirmed
 * (seed-structure.ts), added when first read if the database has none; each administrator's edit adds the next
 * version (never changing one), and an assessment keeps the version it was made with.
 */

/** Version 1 carries no note of its own: the structure's `source.note` (by language) says what is confirmed. */
export const SEED_NOTE = '';

export interface FrameworkVersion {
  id: number;
  framework: string;
  version: number;
  structure: SafetyFrameworkStructure;
  note: string;
  createdBy: string;
  createdAt: string;
}

const iso = (d: Date | string) => new Date(d).toISOString();

export function versionOf(r: VersionRow): FrameworkVersion {
  return {
    id: r.id,
    framework: r.framework,
    version: r.version,
    structure: r.structure as SafetyFrameworkStructure,
    note: r.note,
    createdBy: r.createdBy,
    createdAt: iso(r.createdAt),
  };
}

/** Adds version 1 of the monitor when there is none (at its first reading; idempotent, safe with several servers). */
export async function ensureSafetyMonitorSeed(store: Store): Promise<boolean> {
  if (await selectCurrentVersion(store.db, USM_FRAMEWORK)) return false;
  const structure = SafetyFrameworkStructure.parse(usmSeedStructure());
  return store.exclusive((conn) => insertSeedVersion(conn, USM_FRAMEWORK, structure, SEED_NOTE));
}

export async function currentVersion(store: Store): Promise<FrameworkVersion> {
  let row = await selectCurrentVersion(store.db, USM_FRAMEWORK);
  if (!row) {
    await ensureSafetyMonitorSeed(store);
    row = await selectCurrentVersion(store.db, USM_FRAMEWORK);
  }
  if (!row) throw new Error('the safety monitor has no version after seeding');
  return versionOf(row);
}

export async function versionNumbered(store: Store, version: number): Promise<FrameworkVersion> {
  const row = await selectVersion(store.db, USM_FRAMEWORK, version);
  if (!row) throw new HttpError(404, 'safety_version_not_found', `The safety monitor has no version ${version}.`);
  return versionOf(row);
}

export async function versionById(store: Store, id: number): Promise<FrameworkVersion> {
  const row = await selectVersionById(store.db, id);
  if (!row) throw new Error(`safety framework version ${id} is missing`);
  return versionOf(row);
}

export async function listVersions(store: Store) {
  await currentVersion(store);
  return (await selectVersions(store.db, USM_FRAMEWORK)).map((v) => ({ ...v, createdAt: iso(v.createdAt) }));
}

/**
 * Checks a structure for saving: the schema (core), its code (this framework's), and every catalogue indicator a
 * measure names against the catalogue; a 400 naming each problem's place (`details.problems`) otherwise.
 */
export async function checkStructure(store: Store, input: unknown): Promise<SafetyFrameworkStructure> {
  const parsed = SafetyFrameworkStructure.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw new HttpError(
      400,
      'safety_framework_invalid',
      problems.map((p) => `structure.${p.path}: ${p.message}`).join('; '),
      { problems },
    );
  }
  const s = parsed.data;
  const problems: { path: string; message: string; code?: string }[] = [];
  if (s.code !== USM_FRAMEWORK) problems.push({ path: 'code', message: `the framework's code is "${USM_FRAMEWORK}"` });
  const known = await existingIndicatorCodes(store.db, frameworkCatalogueCodes(s));
  s.themes.forEach((t, ti) => {
    t.indicators.forEach((ind, ii) => {
      ind.measures.forEach((m, mi) => {
        m.indicators.forEach((c, ci) => {
          if (!known.has(c))
            problems.push({
              path: `themes.${ti}.indicators.${ii}.measures.${mi}.indicators.${ci}`,
              message: `no catalogue indicator "${c}"`,
              code: c,
            });
        });
      });
    });
  });
  s.unplaced.forEach((ind, ii) => {
    ind.measures.forEach((m, mi) => {
      m.indicators.forEach((c, ci) => {
        if (!known.has(c))
          problems.push({
            path: `unplaced.${ii}.measures.${mi}.indicators.${ci}`,
            message: `no catalogue indicator "${c}"`,
            code: c,
          });
      });
    });
  });
  if (problems.length)
    throw new HttpError(
      400,
      'safety_framework_invalid',
      problems.map((p) => `structure.${p.path}: ${p.message}`).join('; '),
      { problems },
    );
  return s;
}

/** Saves a new version (administrators: the route checks); 409 when `basedOn` is no longer the latest version. */
export async function saveVersion(
  store: Store,
  audit: AuditActor,
  input: { basedOn: number; note: string; structure: unknown },
): Promise<FrameworkVersion> {
  const structure = await checkStructure(store, input.structure);
  const before = await currentVersion(store);
  const saved = await store.exclusive(async (conn) => {
    const r = await insertNextVersion(conn, {
      framework: USM_FRAMEWORK,
      after: input.basedOn,
      structure,
      note: input.note,
      userId: audit.userId,
      label: audit.label,
    });
    if (!r)
      throw new HttpError(
        409,
        'safety_version_conflict',
        `The framework was changed meanwhile: its latest version is no longer ${input.basedOn}. Reload it and edit again.`,
      );
    await appendAudit(conn, audit, {
      action: 'create',
      entityType: 'safety-framework-version',
      entityId: r.id,
      summary: `Saved version ${r.version} of the Urban Safety Monitor framework (${frameworkIndicators(structure).length} indicators)`,
      before: before.version === input.basedOn ? { version: before.version } : undefined,
      after: { version: r.version, note: input.note, structure },
    });
    return r;
  });
  return versionNumbered(store, saved.version);
}
