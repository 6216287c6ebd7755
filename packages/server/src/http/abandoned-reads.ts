import { withQuerySignal } from '@marsad/db';
import type { FastifyInstance } from 'fastify';

/**
 * A read whose client has gone (the connection closed before the answer was sent) has its statements stopped: the one
 * running on a PostgreSQL server is cancelled, those after it are not run (withQuerySignal, packages/db), so abandoned
 * requests never queue behind each other (issue 16). Only GET and HEAD: a write a client stopped waiting for still
 * completes or fails as a whole, as before.
 */
export function registerAbandonedReads(app: FastifyInstance): void {
  app.addHook('onRequest', (req, reply, done) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return done();
    const gone = new AbortController();
    reply.raw.once('close', () => {
      if (!reply.raw.writableFinished) gone.abort();
    });
    // The hooks after this one and the handler run in its context (withQuerySignal is an AsyncLocalStorage).
    withQuerySignal(gone.signal, done);
  });
}
