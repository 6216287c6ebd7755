import { type DBSchema, deleteDB, type IDBPDatabase, openDB } from 'idb';

/**
 * What a device keeps to work without a connection (issue 21), in IndexedDB through `idb`: one database per
 * signed-in user (`marsad-offline-<user id>`), so another user of the same browser never opens it; signing out
 * deletes it. Stores:
 * - `forms`: data-entry forms taken offline (the answer of GET /api/v1/entry/form: indicators, rules, series,
 *   breakdowns, current and previous values with their versions), by place|period|framework;
 * - `submissions`: review submissions taken offline (the submission as its focal point reads it, and its
 *   questionnaire version);
 * - `typed`: what is typed in a form or a questionnaire, written at every keystroke, until it is saved or queued;
 * - `queue`: changes waiting to be sent (POST /api/v1/offline/sync), in order, each with its key; and those the
 *   server answered with a conflict or a refusal, until the user decides;
 * - `meta`: the last sync.
 */

export interface EntryChangeBody {
  kind: 'entry';
  place: string;
  period: string;
  entries: {
    indicator: string;
    series?: string;
    dims?: Record<string, string>;
    value: number;
    unit?: string;
    source?: string;
    note?: string;
    base: number | null;
  }[];
}
export interface AnswerChangeBody {
  kind: 'answer';
  submission: number;
  items: { name: string; value: unknown; base: unknown }[];
  languages?: string[];
}
export type ChangeBody = EntryChangeBody | AnswerChangeBody;

/** A conflict as the server answers it: per entry index (values) or question name (answers). */
export interface ConflictItem {
  index?: number;
  name?: string;
  base: unknown;
  server: unknown;
}

export interface QueueItem {
  seq?: number;
  /** The idempotency key, drawn once; a retry sends the same. */
  key: string;
  change: ChangeBody;
  /** Where it comes from, to name it: the form (place|period|framework) or the submission. */
  origin: string;
  createdAt: string;
  /** Set when it was first sent: from then on it is never changed (its key names this change). */
  sentAt?: string;
  state: 'waiting' | 'conflict' | 'refused';
  conflicts?: ConflictItem[];
  /** Per conflict (index or name): the user's choice. */
  choices?: Record<string, 'mine' | 'server'>;
  refusal?: { code: string; message: string; details?: unknown };
}

export interface SavedForm {
  key: string;
  form: unknown;
  savedAt: string;
}
export interface SavedSubmission {
  id: number;
  view: unknown;
  definition: unknown;
  savedAt: string;
}
export interface Typed {
  key: string;
  data: unknown;
  updatedAt: string;
}

interface OfflineSchema extends DBSchema {
  forms: { key: string; value: SavedForm };
  submissions: { key: number; value: SavedSubmission };
  typed: { key: string; value: Typed };
  queue: { key: number; value: QueueItem };
  meta: { key: string; value: unknown };
}

export type OfflineDb = IDBPDatabase<OfflineSchema>;

export const dbName = (userId: number) => `marsad-offline-${userId}`;

const open = new Map<number, Promise<OfflineDb>>();

/** The signed-in user's offline database (opened once per page). */
export function offlineDb(userId: number): Promise<OfflineDb> {
  let db = open.get(userId);
  if (!db) {
    db = openDB<OfflineSchema>(dbName(userId), 1, {
      upgrade(d) {
        d.createObjectStore('forms', { keyPath: 'key' });
        d.createObjectStore('submissions', { keyPath: 'id' });
        d.createObjectStore('typed', { keyPath: 'key' });
        d.createObjectStore('queue', { keyPath: 'seq', autoIncrement: true });
        d.createObjectStore('meta');
      },
    });
    open.set(userId, db);
  }
  return db;
}

/** Removes everything the user kept on this device (signing out). */
export async function clearOffline(userId: number): Promise<void> {
  const db = open.get(userId);
  open.delete(userId);
  if (db) (await db).close();
  await deleteDB(dbName(userId));
  forgetOfflineUser();
}

/** A key for a change: random, drawn once. */
export function newKey(): string {
  return crypto.randomUUID();
}

/**
 * The signed-in user as last read online, so that the app knows whose offline data to open when the server cannot be
 * reached. Names and roles only (no token); removed at sign-out, replaced when another user signs in.
 */
const ME_KEY = 'marsad-offline-me';
export function rememberOfflineUser(me: unknown): void {
  try {
    localStorage.setItem(ME_KEY, JSON.stringify(me));
  } catch {
    /* storage refused: the app simply cannot open offline */
  }
}
export function offlineUser<T>(): T | null {
  try {
    const s = localStorage.getItem(ME_KEY);
    return s ? (JSON.parse(s) as T) : null;
  } catch {
    return null;
  }
}
export function forgetOfflineUser(): void {
  try {
    localStorage.removeItem(ME_KEY);
  } catch {
    /* nothing kept */
  }
}

/** Whether an error is the network's (no connection, server unreachable), not an answer of the server. */
export function isNetworkError(e: unknown): boolean {
  return e instanceof TypeError;
}
