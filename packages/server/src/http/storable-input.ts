import { findUnstorableInValue, unstorableMessage } from '@marsad/core';
import type { FastifyInstance } from 'fastify';
import { HttpError } from './errors.ts';

/**
 * Every request's path parameters, query and JSON body are checked for text the database
 * cannot store (a NUL character, an unpaired surrogate: `PATCH /api/v1/places/%00`, a JSON
 * "\u0000"), before validation: a 400 that names where, instead of a database error.
 * Uploaded files are checked as they are read (formats/common/text.ts, json-walk.ts).
 */
export function registerStorableInputCheck(app: FastifyInstance): void {
  app.addHook('preValidation', async (req) => {
    const parts: [string, unknown, 'parameter' | 'value'][] = [
      ['params', req.params, 'parameter'],
      ['querystring', req.query, 'parameter'],
    ];
    const body = req.body as { pipe?: unknown } | undefined;
    if (body !== null && typeof body === 'object' && typeof body.pipe !== 'function')
      parts.push(['body', body, 'value']);
    else if (typeof body === 'string') parts.push(['body', body, 'value']);
    for (const [name, value, of] of parts) {
      const bad = findUnstorableInValue(value, name);
      if (bad) throw new HttpError(400, 'bad_request', `${bad.path}: ${unstorableMessage(bad.found, of)}`);
    }
  });
}
