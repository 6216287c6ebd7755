import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';

/**
 * An answer sent before its request body was read to the end (an upload refused on its first
 * rows, a 401 to a file sent without an account, a 413) must not leave the connection waiting:
 * browsers and `fetch` send the next request on the same keep-alive connection, and the server
 * cannot read it while the rest of the refused body sits unread in front of it.
 *
 * So, for every such answer: a small remainder (at most DRAIN_LIMIT bytes announced) is read and
 * dropped, and the connection stays open; anything larger, or a body of unknown length, gets
 * `Connection: close` and is read only until the answer has gone out (so that a client still
 * sending sees the answer rather than a reset), and at most DRAIN_LIMIT more bytes.
 */
export const DRAIN_LIMIT = 8 * 1024 * 1024;

function drain(raw: IncomingMessage, limit: number, onOverflow: () => void): void {
  let seen = 0;
  // 'readable' rather than 'data': a handler that stopped iterating the body still has its own
  // 'readable' listener, which would keep a 'data' listener from ever flowing.
  raw.on('readable', () => {
    for (let chunk: Buffer | null = raw.read(); chunk !== null; chunk = raw.read()) {
      seen += chunk.length;
      if (seen > limit) {
        onOverflow();
        return;
      }
    }
  });
  raw.on('error', () => undefined);
  raw.read(0);
}

export function registerUnreadBodyGuard(app: FastifyInstance): void {
  app.addHook('onSend', async (req, reply, payload) => {
    const raw = req.raw;
    if (raw.complete || raw.readableEnded) return payload;
    const announced = Number(raw.headers['content-length']);
    // A body whose stream the handler destroyed cannot be read any more: only closing helps.
    const drainable = !raw.destroyed && Number.isFinite(announced) && announced <= DRAIN_LIMIT;
    if (!drainable) reply.header('connection', 'close');
    if (raw.destroyed) return payload;
    // Read after the answer is on its way: the handler may still hold the stream until then.
    setImmediate(() => {
      if (raw.complete || raw.destroyed) return;
      drain(raw, DRAIN_LIMIT, () => raw.socket?.destroy());
    });
    return payload;
  });
}
