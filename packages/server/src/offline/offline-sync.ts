import { createHash } from 'node:crypto';
import { type AnswerSet, stableJson } from '@marsad/core';
import type { Store } from '@marsad/db';
import { ZodError } from 'zod';
import { type AuditActor, appendAudit } from '../audit/audit-log.ts';
import type { Actor } from '../auth/actor.ts';
import { HttpError, isDataException } from '../http/errors.ts';
import { type EntryInput, saveEntries } from '../observations/entry-save.ts';
import { parseAnswers } from '../reviews/review-routes.ts';
import { saveAnswers } from '../reviews/review-submissions.ts';
import { type KeptChange, keepChange, keptChange, type SyncOutcome } from './sync-store.ts';

/**
 * The changes a device queued while offline (issue 21), sent in order when it is back online. Each goes through the
 * same function as its online write (`saveEntries` for the data-entry form, `saveAnswers` for a review submission),
 * so everything checked online is checked again, with the actor's roles as they are now. Each carries a key the
 * device drew: its first answer is kept (migration 033) in the transaction of the write, so a change sent again is
 * answered the same and never applied twice. Each carries the version (a value) or the answer (a question) the
 * offline copy started from: when the server's differs, nothing is overwritten and the answer is `conflict` with the
 * server's. A refusal is answered for its change with the code of the online route's error, and the rest go on.
 */

export interface EntryChange {
  key: string;
  kind: 'entry';
  place: string;
  period: string;
  entries: (EntryInput & { base: number | null })[];
}

export interface AnswerChange {
  key: string;
  kind: 'answer';
  submission: number;
  items: { name: string; value: unknown; base: unknown }[];
  languages?: string[];
}

export type SyncChange = EntryChange | AnswerChange;

export interface SyncResult {
  key: string;
  status: SyncOutcome;
  /** True when this is the answer kept from an earlier sending of the same change. */
  replayed: boolean;
  /** accepted: values written (entries) or answers saved. */
  saved?: number;
  unchanged?: number;
  warnings?: unknown[];
  /** conflict: per entry index (entries) or question name (answers), the server's current value. */
  conflicts?: unknown[];
  /** refused: the online route's error code (`invalid_entries`, `forbidden`, `read_only`, …), its message, details. */
  code?: string;
  httpStatus?: number;
  message?: string;
  details?: unknown;
}

/** A key of the same user sent with another change. */
export const KEY_REUSED = 'key_reused';

class AlreadyKept extends Error {}

function digestOf(change: SyncChange): string {
  const { key: _key, ...rest } = change;
  return createHash('sha256').update(stableJson(rest)).digest('hex');
}

function fromKept(key: string, kept: KeptChange): SyncResult {
  return { ...(kept.result as Omit<SyncResult, 'key' | 'replayed'>), key, status: kept.outcome, replayed: true };
}

/** An answer other than accepted, from the error the online write threw; undefined for a real fault. */
function refusalOf(err: unknown): Omit<SyncResult, 'key' | 'replayed'> | undefined {
  if (err instanceof HttpError) {
    const details = err.details as { conflicts?: unknown[] } | undefined;
    if (err.code === 'conflict' && details?.conflicts)
      return { status: 'conflict', conflicts: details.conflicts, message: err.message };
    return {
      status: 'refused',
      code: err.code,
      httpStatus: err.statusCode,
      message: err.message,
      details: err.details,
    };
  }
  if (err instanceof ZodError)
    return { status: 'refused', code: 'bad_request', httpStatus: 400, message: err.issues[0]?.message ?? err.message };
  if (isDataException(err)) return { status: 'refused', code: 'bad_request', httpStatus: 400, message: err.message };
  return undefined;
}

/** The answers after this change, or a conflict per question whose stored answer is not the one it started from. */
function merged(current: AnswerSet, change: AnswerChange): AnswerSet {
  const conflicts = change.items.flatMap((it) => {
    const server = current[it.name] ?? null;
    if (stableJson(server) === stableJson(it.base ?? null)) return [];
    if (stableJson(server) === stableJson(it.value ?? null)) return [];
    return [{ name: it.name, base: it.base ?? null, server }];
  });
  if (conflicts.length)
    throw new HttpError(
      409,
      'conflict',
      `Nothing was saved: ${conflicts.length} answer${conflicts.length === 1 ? '' : 's'} changed on the server since the offline copy was made.`,
      { conflicts },
    );
  const next: AnswerSet = { ...current };
  for (const it of change.items) {
    if (it.value === null || it.value === undefined || it.value === '') delete next[it.name];
    else Object.assign(next, parseAnswers({ [it.name]: it.value }));
  }
  return next;
}

async function applyChange(
  store: Store,
  actor: Actor & { userId: number },
  audit: AuditActor,
  change: SyncChange,
  digest: string,
  language: string,
): Promise<SyncResult> {
  const keep = async (conn: Parameters<typeof keepChange>[0], result: Omit<SyncResult, 'key' | 'replayed'>) => {
    const { status, ...rest } = result;
    if (
      !(await keepChange(conn, actor.userId, change.key, { kind: change.kind, digest, outcome: status, result: rest }))
    )
      throw new AlreadyKept();
  };
  let accepted: Omit<SyncResult, 'key' | 'replayed'>;
  try {
    if (change.kind === 'entry') {
      const r = await saveEntries(
        store,
        actor,
        audit,
        {
          place: change.place,
          period: change.period,
          entries: change.entries.map(({ base: _b, ...e }) => e),
        },
        {
          baseVersions: change.entries.map((e) => e.base),
          inTransaction: async (conn, saved) => {
            accepted = { status: 'accepted', saved: saved.saved, unchanged: saved.unchanged, warnings: saved.warnings };
            await keep(conn, accepted);
          },
        },
      );
      accepted ??= { status: 'accepted', saved: r.saved, unchanged: r.unchanged, warnings: r.warnings };
    } else {
      await saveAnswers(
        store,
        actor,
        audit,
        change.submission,
        { answers: (current) => merged(current, change), languages: change.languages },
        language,
        async (conn) => {
          accepted = { status: 'accepted', saved: change.items.length };
          await keep(conn, accepted);
        },
      );
      accepted ??= { status: 'accepted', saved: change.items.length };
    }
    return { ...accepted, key: change.key, replayed: false };
  } catch (err) {
    if (err instanceof AlreadyKept) {
      const kept = await keptChange(store, actor.userId, change.key);
      if (kept) return fromKept(change.key, kept);
    }
    const refusal = refusalOf(err);
    if (!refusal) throw err;
    // Kept with an audit entry of its own: the online write rolled back and recorded nothing.
    const kept = await store.exclusive(async (conn) => {
      const { status, ...rest } = refusal;
      if (
        !(await keepChange(conn, actor.userId, change.key, {
          kind: change.kind,
          digest,
          outcome: status,
          result: rest,
        }))
      )
        return false;
      await appendAudit(conn, audit, {
        action: `sync-${status}`,
        entityType: change.kind === 'entry' ? 'observation' : 'review-submission',
        entityId: change.kind === 'entry' ? `${change.place} ${change.period}` : change.submission,
        summary: `offline change ${change.key} ${status === 'conflict' ? 'in conflict with the server' : `refused (${refusal.code})`}`,
        after: { change, result: rest },
      });
      return true;
    });
    if (!kept) {
      const earlier = await keptChange(store, actor.userId, change.key);
      if (earlier) return fromKept(change.key, earlier);
    }
    return { ...refusal, key: change.key, replayed: false };
  }
}

/** Applies the changes in order, each once; answers one result per change, in the same order. */
export async function syncChanges(
  store: Store,
  actor: Actor,
  audit: AuditActor,
  changes: SyncChange[],
  language: string,
): Promise<SyncResult[]> {
  const userId = actor.userId;
  if (userId === null)
    throw new HttpError(
      400,
      'bad_request',
      'Offline changes belong to a user account; the administrator token has none.',
    );
  const keys = new Set<string>();
  for (const c of changes) {
    if (keys.has(c.key)) throw new HttpError(400, 'bad_request', `changes: the key ${c.key} is given twice.`);
    keys.add(c.key);
  }
  const results: SyncResult[] = [];
  for (const change of changes) {
    const digest = digestOf(change);
    const kept = await keptChange(store, userId, change.key);
    if (kept) {
      results.push(
        kept.digest === digest
          ? fromKept(change.key, kept)
          : {
              key: change.key,
              status: 'refused',
              replayed: false,
              code: KEY_REUSED,
              httpStatus: 409,
              message: `The key ${change.key} was sent before with another change; a change needs a key of its own.`,
            },
      );
      continue;
    }
    results.push(await applyChange(store, { ...actor, userId }, audit, change, digest, language));
  }
  return results;
}
