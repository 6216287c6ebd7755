import { QueryAbandonedError } from '@marsad/db';
import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ZodError } from 'zod';
import { webNotFound } from '../web/web-routes.ts';

/** An error that answers with its status and a clear message; never logged as a failure. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

interface Issue {
  instancePath?: string;
  message?: string;
  params?: { issue?: { path?: (string | number)[]; message?: string } };
}

function describeIssues(context: string | undefined, issues: Issue[]): string {
  return issues
    .slice(0, 10)
    .map((i) => {
      const p = i.params?.issue?.path?.join('.') || i.instancePath?.replace(/^\//, '').replace(/\//g, '.') || '';
      const where = [context, p].filter(Boolean).join('.');
      return `${where ? `${where}: ` : ''}${i.params?.issue?.message ?? i.message ?? 'invalid'}`;
    })
    .join('; ');
}

/**
 * PostgreSQL's data exceptions (SQLSTATE class 22: a value out of range, a bad encoding) and
 * program limits (54000: an index row too large), raised by node-postgres and PGlite alike.
 */
export function isDataException(err: unknown): err is Error & { code: string } {
  const code = (err as { code?: unknown }).code;
  return err instanceof Error && typeof code === 'string' && /^(22[0-9A-Z]{3}|54000)$/.test(code);
}

/** Bad requests get a 4xx with a message that names the field; only real faults are 500. */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | HttpError | Error, req, reply) => {
    if (err instanceof HttpError) {
      return reply
        .code(err.statusCode)
        .send({ error: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const fe = err as FastifyError & { validationContext?: string };
      return reply
        .code(400)
        .send({ error: 'bad_request', message: describeIssues(fe.validationContext, fe.validation as Issue[]) });
    }
    const fe = err as FastifyError;
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      return reply.code(fe.statusCode).send({ error: fe.code ?? 'bad_request', message: fe.message });
    }
    if (err instanceof ZodError) {
      // A value checked again deeper down (a questionnaire read from a workbook, a record built from a file) that
      // its route's own schema could not see: the request's fault.
      return reply.code(400).send({
        error: 'bad_request',
        message: err.issues
          .slice(0, 10)
          .map((i) => `${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`)
          .join('; '),
      });
    }
    if (isDataException(err)) {
      // A value the checks at the edge let through but the database refuses (a number out of
      // range, text too long for an index): the request's fault, not the server's.
      req.log.warn({ err }, 'the database refused a value of the request');
      return reply.code(400).send({
        error: 'bad_request',
        message: `The request holds a value the database cannot take: ${err.message.slice(0, 300)}`,
      });
    }
    // A statement stopped because its request's client had gone: refused before it ran, or cancelled while it ran.
    if (err instanceof QueryAbandonedError || ((err as { code?: unknown }).code === '57014' && reply.raw.destroyed)) {
      // The client has gone (http/abandoned-reads.ts): nobody reads this answer.
      req.log.info('a read was stopped: its client has gone');
      return reply.code(499).send({ error: 'client_gone', message: 'The request was abandoned by its client.' });
    }
    if ((err as { code?: unknown }).code === '57014') {
      // The statement ran past the server's statement timeout (postgres-store.ts): not a fault, a request too heavy
      // for now.
      req.log.warn({ err }, 'a statement of the request ran past the statement timeout');
      return reply.code(503).header('Retry-After', '10').send({
        error: 'timeout',
        message:
          'The database took too long to answer this request and stopped it. Try again in a moment, or ask for less (a narrower filter, a smaller limit).',
      });
    }
    req.log.error({ err }, 'request failed');
    return reply.code(500).send({
      error: 'internal',
      message: `Something went wrong on the server; it has been logged (request ${req.id}).`,
      requestId: req.id,
    });
  });
  app.setNotFoundHandler(async (req, reply) => {
    if (await webNotFound(req, reply)) return;
    return reply
      .code(404)
      .send({ error: 'not_found', message: `No such address: ${req.method} ${req.url.split('?')[0]}` });
  });
}
