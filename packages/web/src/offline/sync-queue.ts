import { isNetworkError, newKey, type OfflineDb, type QueueItem } from './offline-db.ts';

/**
 * The queue of changes made offline and its sending. A change stays as queued until it is first sent; typing more in
 * the same form before then merges into it (the latest value of a field wins, its base stays the first one), so the
 * server sees one change per form and never a conflict of the user with themself. Once sent it is never changed: a
 * retry (the answer lost with the connection) sends it again with the same key, and the server answers it once.
 */

export type Send = (path: string, method: 'POST', body: unknown) => Promise<Response>;

/** Changes per request: each goes through its own transaction on the server. */
const BATCH = 100;

export async function queued(db: OfflineDb): Promise<QueueItem[]> {
  return db.getAll('queue');
}

/** Queues a change, merged into the waiting unsent change of the same origin if there is one. */
export async function enqueue(db: OfflineDb, origin: string, change: QueueItem['change']): Promise<void> {
  const tx = db.transaction('queue', 'readwrite');
  const all = await tx.store.getAll();
  const open = all.find((i) => i.origin === origin && i.state === 'waiting' && !i.sentAt);
  if (open && open.change.kind === 'entry' && change.kind === 'entry') {
    const id = (e: { indicator: string; series?: string; dims?: Record<string, string> }) =>
      `${e.indicator}|${e.series ?? ''}|${JSON.stringify(Object.entries(e.dims ?? {}).sort())}`;
    const entries = new Map(open.change.entries.map((e) => [id(e), e]));
    for (const e of change.entries) {
      const before = entries.get(id(e));
      entries.set(id(e), { ...e, base: before ? before.base : e.base });
    }
    open.change = { ...open.change, entries: [...entries.values()] };
    await tx.store.put(open);
  } else if (open && open.change.kind === 'answer' && change.kind === 'answer') {
    const items = new Map(open.change.items.map((i) => [i.name, i]));
    for (const i of change.items) {
      const before = items.get(i.name);
      items.set(i.name, { ...i, base: before ? before.base : i.base });
    }
    open.change = { ...open.change, items: [...items.values()], languages: change.languages };
    await tx.store.put(open);
  } else {
    await tx.store.add({ key: newKey(), change, origin, createdAt: new Date().toISOString(), state: 'waiting' });
  }
  await tx.done;
}

interface Result {
  key: string;
  status: 'accepted' | 'conflict' | 'refused';
  conflicts?: QueueItem['conflicts'];
  code?: string;
  message?: string;
  details?: unknown;
}

export interface SyncOutcome {
  accepted: number;
  conflicts: number;
  refused: number;
  /** The connection failed, or the server answered the request as a whole with an error (its message). */
  stopped: 'offline' | string | null;
  /** The origins of the accepted changes (their saved copies are read again). */
  origins: string[];
}

/** Sends the waiting changes in order, a batch at a time, and files the answers. */
export async function sendQueue(db: OfflineDb, send: Send): Promise<SyncOutcome> {
  const out: SyncOutcome = { accepted: 0, conflicts: 0, refused: 0, stopped: null, origins: [] };
  const waiting = (await db.getAll('queue')).filter((i) => i.state === 'waiting');
  for (let i = 0; i < waiting.length; i += BATCH) {
    const batch = waiting.slice(i, i + BATCH);
    const now = new Date().toISOString();
    for (const item of batch)
      if (!item.sentAt) {
        item.sentAt = now;
        await db.put('queue', item);
      }
    let res: Response;
    try {
      res = await send('/offline/sync', 'POST', { changes: batch.map((it) => ({ key: it.key, ...it.change })) });
    } catch (e) {
      if (isNetworkError(e)) {
        out.stopped = 'offline';
        return out;
      }
      throw e;
    }
    if (!res.ok) {
      let message = res.statusText;
      try {
        message = ((await res.json()) as { message?: string }).message ?? message;
      } catch {
        /* not JSON */
      }
      out.stopped = message || String(res.status);
      return out;
    }
    const { results } = (await res.json()) as { results: Result[] };
    const byKey = new Map(results.map((r) => [r.key, r]));
    const tx = db.transaction('queue', 'readwrite');
    for (const item of batch) {
      const r = byKey.get(item.key);
      if (!r) continue;
      if (r.status === 'accepted') {
        out.accepted++;
        out.origins.push(item.origin);
        await tx.store.delete(item.seq!);
      } else if (r.status === 'conflict') {
        out.conflicts++;
        await tx.store.put({ ...item, state: 'conflict', conflicts: r.conflicts ?? [], choices: {} });
      } else {
        out.refused++;
        await tx.store.put({
          ...item,
          state: 'refused',
          refusal: { code: r.code ?? 'refused', message: r.message ?? '', details: r.details },
        });
      }
    }
    await tx.done;
  }
  await db.put('meta', new Date().toISOString(), 'lastSync');
  return out;
}

const choiceKey = (c: { index?: number; name?: string }) => (c.name !== undefined ? `n:${c.name}` : `i:${c.index}`);

export { choiceKey };

/**
 * The user chose for one item of a conflict: "mine" sends it again from the server's version (or answer), "server"
 * leaves the server's. Once every item is chosen the change is queued again under a new key (without the items left
 * to the server), or removed when nothing of it is left.
 */
export async function choose(db: OfflineDb, seq: number, conflict: string, choice: 'mine' | 'server'): Promise<void> {
  const item = await db.get('queue', seq);
  if (!item || item.state !== 'conflict') return;
  const choices = { ...(item.choices ?? {}), [conflict]: choice };
  const conflicts = item.conflicts ?? [];
  if (!conflicts.every((c) => choices[choiceKey(c)])) {
    await db.put('queue', { ...item, choices });
    return;
  }
  const ofIndex = new Map(conflicts.map((c) => [choiceKey(c), c]));
  let change = item.change;
  if (change.kind === 'entry') {
    const entries = change.entries.flatMap((e, index) => {
      const c = ofIndex.get(`i:${index}`);
      if (!c) return [e];
      if (choices[`i:${index}`] === 'server') return [];
      const server = c.server as { version: number } | null;
      return [{ ...e, base: server ? server.version : null }];
    });
    change = { ...change, entries };
    if (!entries.length) return db.delete('queue', seq);
  } else {
    const items = change.items.flatMap((it) => {
      const c = ofIndex.get(`n:${it.name}`);
      if (!c) return [it];
      if (choices[`n:${it.name}`] === 'server') return [];
      return [{ ...it, base: c.server ?? null }];
    });
    change = { ...change, items };
    if (!items.length) return db.delete('queue', seq);
  }
  await db.put('queue', {
    seq,
    key: newKey(),
    change,
    origin: item.origin,
    createdAt: new Date().toISOString(),
    state: 'waiting',
  });
}
