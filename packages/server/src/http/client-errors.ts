import http from 'node:http';
import type { Socket } from 'node:net';

/** Bytes of a request's address and headers (the `map` and `dhis2Mapping` query parameters travel there). */
export const MAX_HEADER_BYTES = 1024 * 1024;

/**
 * Answers a request that Node's HTTP parser refused before Fastify saw it (headers over
 * MAX_HEADER_BYTES, a malformed request line, a timeout) in Marsad's error format, with
 * `Connection: close`: without it a client on a keep-alive connection sends its next request
 * into the closed socket and gets "socket hang up" (Fastify's own handler omits the header).
 */
export function answerClientError(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, body] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [
          431,
          {
            error: 'too_large',
            message: `The address and headers of the request are larger than ${MAX_HEADER_BYTES / 1024 / 1024} MB; send a large mapping in a smaller form or split the file.`,
          },
        ]
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, { error: 'timeout', message: 'The request took too long to arrive.' }]
        : [400, { error: 'bad_request', message: `The request is not valid HTTP (${err.code ?? 'unreadable'}).` }];
  const text = JSON.stringify(body);
  if (socket.writable) {
    socket.end(
      `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
    );
  }
  // The client may still be sending: give the answer a moment to leave, then let the socket go.
  setTimeout(() => socket.destroy(), 2_000).unref();
}
