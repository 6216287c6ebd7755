import { useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useRef, useState } from 'react';
import { useSession } from '../app/session.tsx';
import { clearOffline, type OfflineDb, offlineDb, type QueueItem } from './offline-db.ts';
import { enqueue, type SyncOutcome, sendQueue } from './sync-queue.ts';

/** The device's offline work of the signed-in user: its queue, the last sync, sending. */
export interface Offline {
  /** Null while no user is signed in (or the browser keeps no IndexedDB). */
  db: OfflineDb | null;
  /** The database is open, or there is none to open (no user, no IndexedDB): pages may read. */
  ready: boolean;
  online: boolean;
  items: QueueItem[];
  lastSync: string | null;
  syncing: boolean;
  last: SyncOutcome | null;
  syncNow(): Promise<SyncOutcome | null>;
  enqueue(origin: string, change: QueueItem['change']): Promise<void>;
  /** Reads the queue again (after a choice on the offline page). */
  reload(): Promise<void>;
  /** Deletes the user's offline data from this device. */
  clear(): Promise<void>;
}

const OfflineContext = createContext<Offline | null>(null);

export function OfflineProvider({ children }: { children: ReactNode }) {
  const { me, refresh } = useSession();
  const client = useQueryClient();
  const userId = me?.user.id ?? null;
  const [db, setDb] = useState<OfflineDb | null>(null);
  const [failed, setFailed] = useState(false);
  const [items, setItems] = useState<QueueItem[]>([]);
  const [lastSync, setLastSync] = useState<string | null>(null);
  const [online, setOnline] = useState(() => typeof navigator === 'undefined' || navigator.onLine);
  const [syncing, setSyncing] = useState(false);
  const [last, setLast] = useState<SyncOutcome | null>(null);
  const busy = useRef(false);

  useEffect(() => {
    setDb(null);
    setItems([]);
    setLastSync(null);
    if (userId === null || typeof indexedDB === 'undefined') return;
    let gone = false;
    offlineDb(userId)
      .then(async (d) => {
        // The queue read before the database is handed over: the first sync (below) sees both at once.
        const queue = await d.getAll('queue');
        const last = ((await d.get('meta', 'lastSync')) as string | undefined) ?? null;
        if (gone) return;
        setItems(queue);
        setLastSync(last);
        setDb(d);
      })
      // A browser that keeps no IndexedDB (a private window may refuse it): the app works online only.
      .catch(() => setFailed(true));
    return () => {
      gone = true;
    };
  }, [userId]);

  const reload = useCallback(async () => {
    if (!db) return;
    setItems(await db.getAll('queue'));
    setLastSync(((await db.get('meta', 'lastSync')) as string | undefined) ?? null);
  }, [db]);

  /**
   * A write with the session's CSRF token; opened offline, the app has none yet (the session was read from this
   * device), so it reads it first — a session that ended meanwhile stops the sync (the user signs in again).
   */
  const csrf = me?.csrfToken ?? '';
  const send = useCallback(
    async (path: string, method: 'POST', body: unknown) => {
      let token = csrf;
      if (!token) {
        const r = await fetch('/api/v1/auth/me', { headers: { Accept: 'application/json' } });
        if (!r.ok) return r;
        token = ((await r.json()) as { csrfToken: string }).csrfToken;
        void refresh();
      }
      return fetch(`/api/v1${path}`, {
        method,
        headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRF-Token': token },
        body: JSON.stringify(body),
      });
    },
    [csrf, refresh],
  );

  const syncNow = useCallback(async () => {
    if (!db || busy.current) return null;
    busy.current = true;
    setSyncing(true);
    try {
      const out = await sendQueue(db, send);
      setLast(out);
      if (out.accepted) {
        // What the server now holds: the forms and submissions read again (and their saved copies with them).
        await client.invalidateQueries({ queryKey: ['entry-form'] });
        await client.invalidateQueries({ queryKey: ['review-submission'] });
        await client.invalidateQueries({ queryKey: ['inbox'] });
      }
      return out;
    } finally {
      busy.current = false;
      setSyncing(false);
      await reload();
    }
  }, [db, send, client, reload]);

  // Back online: send what waits. Also once the queue is read, when the browser is online.
  useEffect(() => {
    const on = () => {
      setOnline(true);
      void syncNow();
    };
    const off = () => setOnline(false);
    window.addEventListener('online', on);
    window.addEventListener('offline', off);
    return () => {
      window.removeEventListener('online', on);
      window.removeEventListener('offline', off);
    };
  }, [syncNow]);
  const started = useRef<OfflineDb | null>(null);
  useEffect(() => {
    if (!db || started.current === db) return;
    started.current = db;
    if (navigator.onLine && items.some((i) => i.state === 'waiting')) void syncNow();
  }, [db, items, syncNow]);

  const value: Offline = {
    db,
    ready: db !== null || failed || userId === null || typeof indexedDB === 'undefined',
    online,
    items,
    lastSync,
    syncing,
    last,
    syncNow,
    enqueue: async (origin, change) => {
      if (!db) throw new Error('no offline storage');
      await enqueue(db, origin, change);
      await reload();
    },
    reload,
    clear: async () => {
      if (userId === null) return;
      setDb(null);
      setItems([]);
      await clearOffline(userId);
    },
  };
  return <OfflineContext.Provider value={value}>{children}</OfflineContext.Provider>;
}

export function useOffline(): Offline {
  const o = useContext(OfflineContext);
  if (!o) throw new Error('useOffline outside OfflineProvider');
  return o;
}
