import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpError } from './errors.ts';

/**
 * Upload routes read the request body as a stream (a file of any size, memory flat). The
 * parser hands the raw stream on for every content type other than JSON.
 */
export function registerRawBodies(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
}

export function requestBody(req: FastifyRequest): AsyncIterable<Uint8Array> {
  const body = req.body as Readable | undefined;
  if (!body || typeof (body as Readable)[Symbol.asyncIterator] !== 'function') {
    throw new HttpError(
      400,
      'bad_request',
      'Send the file as the request body (for example with Content-Type: text/csv).',
    );
  }
  return body;
}
