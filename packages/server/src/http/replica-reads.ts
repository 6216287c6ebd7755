import { type Store, withReplicaReads } from '@marsad/db';
import type { FastifyInstance } from 'fastify';
import type { WatchedGeneration } from './data-generation.ts';
import { isAnonymous, isPublicRead } from './public-cache.ts';

/**
 * Public reads from the streaming replicas of DATABASE_READ_URL (issue 17; docs/decisions/0008-read-replicas.md). A
 * public read without credentials that is computed (not answered from the cache) reads a replica that has replayed the
 * primary's WAL up to the position of the current data generation, so its answer, kept under a generation no newer
 * than that, holds that generation's data; when no replica has (it lags, the position is still being read, or the
 * replicas fail), it reads the primary. Requests with credentials (they may write, and must see their own writes),
 * writes and `exclusive` transactions always use the primary. Registered after the cache's hook: a kept answer costs
 * no replica a query.
 */
export function registerReplicaReads(app: FastifyInstance, store: Store, generation: WatchedGeneration): void {
  const replicas = store.replicas;
  if (!replicas) return;
  const stop = replicas.onEvent((e) => {
    if (e.kind === 'down')
      app.log.warn(
        { replica: e.replica, reason: e.reason },
        'read replica failed: left aside for a while, its reads go to the primary',
      );
    else app.log.info({ replica: e.replica }, 'read replica answers again');
  });
  app.addHook('onClose', async () => {
    stop();
  });
  app.addHook('onRequest', (req, _reply, done) => {
    if (!isPublicRead(req) || !isAnonymous(req)) return done();
    const needed = generation.position();
    if (needed === null) return done();
    // The hooks after this one and the handler run in its context (withReplicaReads is an AsyncLocalStorage).
    replicas.pick(needed).then(
      (replica) => (replica ? withReplicaReads(replica, done) : done()),
      () => done(),
    );
  });
}
