import type { FastifyRequest } from 'fastify';

/** Hides link tokens in logged addresses (`/accept?token=…` is the address of an invitation). */
export function redactUrl(url: string): string {
  return url.replace(/([?&](?:token|access_token)=)[^&#]*/gi, '$1***');
}

/** Pino's request serializer without secrets: no headers (cookies, Authorization), addresses redacted. */
export function requestForLog(req: FastifyRequest) {
  return {
    method: req.method,
    url: redactUrl(req.url),
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  };
}

/** The logger options of buildApp with that serializer (unless the caller gave its own). */
export function withLogRedaction(logger: boolean | object | undefined): boolean | object {
  if (!logger) return false;
  const base = logger === true ? {} : (logger as { serializers?: Record<string, unknown> });
  return { ...base, serializers: { req: requestForLog, ...(base.serializers ?? {}) } };
}
