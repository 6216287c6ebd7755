import type { SqlConn } from '@marsad/db';
import type { FastifyRequest } from 'fastify';

/** Who made a change: an account, a token, the administrator token, the CLI or Marsad itself. */
export interface AuditActor {
  label: string;
  userId: number | null;
  ip: string | null;
}

export interface AuditEntry {
  action: 'create' | 'update' | 'delete' | 'import' | 'restore' | 'load' | string;
  entityType: string;
  entityId?: string | number | null;
  batchId?: number | null;
  summary?: string;
  before?: unknown;
  after?: unknown;
}

export const SYSTEM_ACTOR: AuditActor = { label: 'system', userId: null, ip: null };
export const CLI_ACTOR: AuditActor = { label: `cli:${process.env.USER ?? 'operator'}`, userId: null, ip: null };

/**
 * The actor of an HTTP request. The authentication layer decorates the request with
 * `marsadActor`; until it has, writes are made with the administrator token.
 */
export function actorOf(req: FastifyRequest): AuditActor {
  const a = (req as FastifyRequest & { marsadActor?: { label: string; userId: number | null } }).marsadActor;
  return { label: a?.label ?? 'api:admin-token', userId: a?.userId ?? null, ip: req.ip ?? null };
}

const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));

/** Appends one entry, in the caller's transaction, so the change and its record commit together. */
export async function appendAudit(conn: SqlConn, actor: AuditActor, e: AuditEntry): Promise<void> {
  await conn.query(
    `INSERT INTO audit_log (actor_user_id, actor_label, ip, action, entity_type, entity_id, batch_id, summary, before, after)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      actor.userId,
      actor.label,
      actor.ip,
      e.action,
      e.entityType,
      e.entityId === undefined || e.entityId === null ? null : String(e.entityId),
      e.batchId ?? null,
      e.summary ?? null,
      json(e.before),
      json(e.after),
    ],
  );
}

/** Appends one entry in its own transaction, for writes made by functions that commit by themselves. */
export async function recordAudit(
  store: { exclusive<T>(fn: (conn: SqlConn) => Promise<T>): Promise<T> },
  actor: AuditActor,
  e: AuditEntry,
): Promise<void> {
  await store.exclusive((conn) => appendAudit(conn, actor, e));
}
