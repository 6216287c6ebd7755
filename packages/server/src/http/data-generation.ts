import type { Store } from '@marsad/db';

/** The channel every write of public data notifies (migration 023_data_changes.sql). */
export const DATA_CHANNEL = 'marsad_data';

/**
 * The generation of the public data as this process knows it: a number that moves on each committed transaction that
 * wrote public data (heard as a notification, after it committed), or null while it cannot know (the store cannot
 * listen, or the listening connection is lost): answers are then not cached. An answer computed after reading
 * generation G holds data at least as new as G (docs/decisions/0006-public-read-cache.md).
 */
export interface DataGeneration {
  current(): number | null;
  /**
   * How many changes this process has learnt of: its own writes, and other processes' notifications. Unlike the
   * generation, the notification of a write this process made and told already (its echo, a moment later on a
   * PostgreSQL server) is not counted again: the cache asks whether the data changed while it computed an answer.
   */
  changes(): number;
  /** Moves the generation on (this process wrote: its next reads need not wait for the notification). */
  bump(): void;
  close(): Promise<void>;
}

/** The generation as `watchDataChanges` keeps it: with the primary's WAL position of the current one. */
export interface WatchedGeneration extends DataGeneration {
  /**
   * With read replicas: the primary's WAL position read after this process learnt of the current generation (so at or
   * after the end of every transaction it stands for), or null while it is being read, or unknown. A replica that has
   * replayed up to it holds the current generation's data (decisions/0008-read-replicas.md).
   */
  position(): bigint | null;
}

export async function watchDataChanges(store: Store): Promise<WatchedGeneration> {
  let generation: number | null = null;
  let counter = 0;
  let changes = 0;
  if (!store.listen)
    return {
      current: () => null,
      changes: () => 0,
      position: () => null,
      bump: () => undefined,
      close: async () => undefined,
    };
  const replicas = store.replicas;
  /** The last generation whose position was read, and that position. */
  let located: { generation: number; lsn: bigint } | null = null;
  let reading = false;
  let again = false;
  /**
   * Reads the primary's position for the generation as it is now (called after it moved: the read starts after the
   * change was learnt). One read at a time; changes learnt meanwhile are covered by one more read after it, so a burst of
   * notifications costs two reads, not one each.
   */
  const locate = () => {
    if (!replicas) return;
    if (reading) {
      again = true;
      return;
    }
    reading = true;
    again = false;
    const at = counter;
    replicas
      .primaryPosition()
      .then(
        (lsn) => {
          if (!located || located.generation <= at) located = { generation: at, lsn };
        },
        // Unknown: reads go to the primary until a later change is located.
        () => undefined,
      )
      .finally(() => {
        reading = false;
        if (again) locate();
      });
  };
  /** A write this process made: the generation moves on, unless it is unknown (the listening connection lost). */
  const bump = () => {
    counter++;
    changes++;
    if (generation !== null) generation = counter;
    locate();
  };
  const stop = await store.listen(
    DATA_CHANNEL,
    // A notification: the generation moves on, and is known again after a loss. The echo of this process's own
    // write moves it too (a write the store did not tell, raw SQL, is then seen), but is no new change.
    (own) => {
      counter++;
      if (!own) changes++;
      generation = counter;
      locate();
    },
    () => {
      generation = null;
    },
  );
  generation = counter;
  locate();
  // This process's own writes move it at once (on PostgreSQL the notification comes a moment later).
  const stopLocal = store.onLocalWrite?.(bump);
  return {
    current: () => generation,
    changes: () => changes,
    position: () => (generation !== null && located?.generation === generation ? located.lsn : null),
    bump,
    close: async () => {
      stopLocal?.();
      await stop();
    },
  };
}
