import type { Store } from '../connection/store.ts';
import { listMigrations } from '../migrations/migrate.ts';

/**
 * Backups are plain text: a JSON header line, then for each table a JSON line naming the
 * table and its columns, its rows in PostgreSQL's COPY text format (one row a line), and a
 * line `\.`. The same file restores into PGlite or a PostgreSQL server of the same schema
 * version; it is written and read as a stream.
 */

/** Tables in an order that satisfies their foreign keys. */
export const BACKUP_TABLES = [
  'settings',
  'sources',
  'import_batches',
  'frameworks',
  'framework_groups',
  'sdg_goals',
  'sdg_targets',
  'places',
  'dimensions',
  'dimension_values',
  'disaggregations',
  'indicators',
  'indicator_frameworks',
  'series',
  'targets',
  'observations',
  'observation_history',
  'audit_log',
  // Accounts (password, link and token hashes only; sessions are not kept: after a restore everyone signs in again).
  'users',
  'user_tokens',
  'api_tokens',
  'role_assignments',
  'record_grants',
  // Questionnaires of reviews and their versions (migration 008).
  'questionnaires',
  'questionnaire_versions',
  // Knowledge repository and network (migration 007): items, their texts, versions and files; pilots of tools;
  // partner organisations, coordination centres, workshops.
  'knowledge_items',
  'knowledge_item_texts',
  'knowledge_item_versions',
  'knowledge_attachments',
  'tool_pilots',
  'partner_organisations',
  'coordination_centres',
  'workshops',
  'workshop_materials',
  // Results frameworks (migration 011). programme_partners refers to partner_organisations (migration 007): keep the
  // network's tables before it in this list.
  'programmes',
  'programme_pillars',
  'programme_places',
  'results',
  'result_places',
  'result_pillars',
  'programme_partners',
  'result_measures',
  'result_measure_places',
  'result_targets',
  'result_actuals',
  'budget_lines',
  'exchange_rates',
  // Review cycles (migration 013): cycles, participants, submissions and their rounds, assignments, recommendations,
  // comments, timeline events (the record grants of assignments are in record_grants above).
  'review_cycles',
  'review_participants',
  'review_submissions',
  'review_submission_rounds',
  'review_assignments',
  'review_recommendations',
  'review_comments',
  'review_events',
] as const;

/** Tables whose id comes from a sequence, to move past the restored ids. */
const SEQUENCES: Record<string, string> = {
  sources: 'sources_id_seq',
  import_batches: 'import_batches_id_seq',
  frameworks: 'frameworks_id_seq',
  framework_groups: 'framework_groups_id_seq',
  places: 'places_id_seq',
  dimensions: 'dimensions_id_seq',
  dimension_values: 'dimension_values_id_seq',
  disaggregations: 'disaggregations_id_seq',
  indicators: 'indicators_id_seq',
  series: 'series_id_seq',
  targets: 'targets_id_seq',
  audit_log: 'audit_log_id_seq',
  users: 'users_id_seq',
  user_tokens: 'user_tokens_id_seq',
  api_tokens: 'api_tokens_id_seq',
  role_assignments: 'role_assignments_id_seq',
  record_grants: 'record_grants_id_seq',
  questionnaires: 'questionnaires_id_seq',
  questionnaire_versions: 'questionnaire_versions_id_seq',
  programmes: 'programmes_id_seq',
  programme_pillars: 'programme_pillars_id_seq',
  results: 'results_id_seq',
  knowledge_items: 'knowledge_items_id_seq',
  knowledge_attachments: 'knowledge_attachments_id_seq',
  tool_pilots: 'tool_pilots_id_seq',
  partner_organisations: 'partner_organisations_id_seq',
  coordination_centres: 'coordination_centres_id_seq',
  workshops: 'workshops_id_seq',
  programme_partners: 'programme_partners_id_seq',
  result_measures: 'result_measures_id_seq',
  budget_lines: 'budget_lines_id_seq',
  review_cycles: 'review_cycles_id_seq',
  review_submissions: 'review_submissions_id_seq',
  review_assignments: 'review_assignments_id_seq',
  review_comments: 'review_comments_id_seq',
  review_events: 'review_events_id_seq',
};

export interface BackupHeader {
  marsad: 'backup';
  format: 1;
  schemaVersion: number;
  createdAt: string;
  source: string;
  counts: Record<string, number>;
}

async function schemaVersion(): Promise<number> {
  const m = await listMigrations();
  return m[m.length - 1]?.version ?? 0;
}

export async function tableCounts(store: Store): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  await store.exclusive(async (conn) => {
    for (const t of BACKUP_TABLES) {
      counts[t] = (await conn.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t}`)).rows[0]!.n;
    }
  });
  return counts;
}

async function columnsOf(store: Store, table: string): Promise<string[]> {
  const r = await store.db
    .selectFrom('information_schema.columns' as never)
    .select(['column_name' as never])
    .where('table_name' as never, '=', table as never)
    .where('table_schema' as never, '=', 'public' as never)
    .orderBy('ordinal_position' as never)
    .execute();
  return (r as unknown as { column_name: string }[]).map((c) => c.column_name);
}

/** Streams a backup of the whole database, in one consistent snapshot. */
export async function* dumpDatabase(store: Store): AsyncGenerator<string> {
  const counts = await tableCounts(store);
  const header: BackupHeader = {
    marsad: 'backup',
    format: 1,
    schemaVersion: await schemaVersion(),
    createdAt: new Date().toISOString(),
    source: store.kind,
    counts,
  };
  yield `${JSON.stringify(header)}\n`;
  const columns = new Map<string, string[]>();
  for (const t of BACKUP_TABLES) columns.set(t, await columnsOf(store, t));
  // Chunks are gathered inside the transaction and yielded after each table: a generator
  // cannot yield from inside the callback.
  for (const t of BACKUP_TABLES) {
    const cols = columns.get(t)!;
    const parts: string[] = [];
    await store.exclusive(async (conn) => {
      for await (const chunk of conn.copyOut(`COPY ${t} (${cols.join(', ')}) TO STDOUT`)) parts.push(chunk);
    });
    yield `${JSON.stringify({ table: t, columns: cols })}\n`;
    for (const p of parts) yield p;
    yield '\\.\n';
  }
}

async function* lines(input: AsyncIterable<string | Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let rest = '';
  for await (const chunk of input) {
    rest += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    for (let i = rest.indexOf('\n'); i >= 0; i = rest.indexOf('\n')) {
      yield rest.slice(0, i);
      rest = rest.slice(i + 1);
    }
  }
  if (rest) yield rest;
}

export class BackupFormatError extends Error {}

/**
 * Restores a backup into a database of the same schema version, replacing everything in it,
 * in one transaction. Returns the row counts the backup's header announced.
 */
export async function restoreDatabase(
  store: Store,
  input: AsyncIterable<string | Uint8Array>,
): Promise<Record<string, number>> {
  const it = lines(input)[Symbol.asyncIterator]();
  const first = await it.next();
  let header: BackupHeader;
  try {
    header = JSON.parse(first.value ?? '') as BackupHeader;
  } catch {
    throw new BackupFormatError('This is not a Marsad backup (the first line is not its header).');
  }
  if (header.marsad !== 'backup' || header.format !== 1)
    throw new BackupFormatError('This is not a Marsad backup of a known format.');
  const current = await schemaVersion();
  if (header.schemaVersion !== current) {
    throw new BackupFormatError(
      `The backup has schema version ${header.schemaVersion}; this Marsad has ${current}. Restore it with the Marsad version that made it.`,
    );
  }
  await store.exclusive(async (conn) => {
    // The audit log's triggers allow this one TRUNCATE: a whole backup replaces the database.
    await conn.query("SELECT set_config('marsad.restoring', 'on', true)");
    await conn.exec(`TRUNCATE ${[...BACKUP_TABLES].reverse().join(', ')} CASCADE`);
    await conn.query("SELECT set_config('marsad.restoring', 'off', true)");
    for (;;) {
      const next = await it.next();
      if (next.done) break;
      if (!next.value.trim()) continue;
      const section = JSON.parse(next.value) as { table: string; columns: string[] };
      if (!(BACKUP_TABLES as readonly string[]).includes(section.table))
        throw new BackupFormatError(`Unknown table in backup: ${section.table}`);
      const safe = section.columns.every((c) => /^[a-z_][a-z0-9_]*$/.test(c));
      if (!safe) throw new BackupFormatError(`Bad column list for ${section.table}`);
      async function* rows(): AsyncGenerator<string> {
        let buf = '';
        for (;;) {
          const l = await it.next();
          if (l.done) throw new BackupFormatError(`The backup ends inside table ${section.table}.`);
          if (l.value === '\\.') break;
          buf += `${l.value}\n`;
          if (buf.length > 1 << 20) {
            yield buf;
            buf = '';
          }
        }
        if (buf) yield buf;
      }
      await conn.copyIn(`COPY ${section.table} (${section.columns.join(', ')}) FROM STDIN`, rows());
    }
    for (const [table, seq] of Object.entries(SEQUENCES)) {
      await conn.query(`SELECT setval('${seq}', GREATEST((SELECT coalesce(max(id), 0) FROM ${table}), 1))`);
    }
  });
  return header.counts;
}
