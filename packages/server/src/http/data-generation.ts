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
  /** Moves the generation on (this process wrote: its next reads need not wait for the notification). */
  bump(): void;
  close(): Promise<void>;
}

export async function watchDataChanges(store: Store): Promise<DataGeneration> {
  let generation: number | null = null;
  let counter = 0;
  if (!store.listen) return { current: () => null, bump: () => undefined, close: async () => undefined };
  /** A write this process made: the generation moves on, unless it is unknown (the listening connection lost). */
  const bump = () => {
    counter++;
    if (generation !== null) generation = counter;
  };
  const stop = await store.listen(
    DATA_CHANNEL,
    // A notification: the generation moves on, and is known again after a loss.
    () => {
      counter++;
      generation = counter;
    },
    () => {
      generation = null;
    },
  );
  generation = counter;
  // This process's own writes move it at once (on PostgreSQL the notification comes a moment later).
  const stopLocal = store.onLocalWrite?.(bump);
  return {
    current: () => generation,
    bump,
    close: async () => {
      stopLocal?.();
      await stop();
    },
  };
}
