import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { StoreKind } from '@marsad/db';
import { createTestDatabase, type TestDatabase } from '@marsad/db/testing';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { type BuildOptions, buildApp } from '../src/index.ts';

export const SHARED = path.resolve(import.meta.dirname, '../../../../shared');
export const LA_DIR = path.resolve(import.meta.dirname, '../src/demo/data/open-sdg/los-angeles');
export const TOKEN = 'test-admin-token';
export const AUTH = { authorization: `Bearer ${TOKEN}` };

export interface TestApp {
  app: FastifyInstance;
  db: TestDatabase;
  dataDir: string;
  close(): Promise<void>;
}

/** An application on a fresh database of the given kind, with the reference catalogue loaded. */
export async function createTestApp(
  kind: StoreKind,
  options: { catalogue?: boolean; build?: BuildOptions } = {},
): Promise<TestApp> {
  // The catalogue comes with the database (a snapshot of it loaded once: packages/db/src/testing/test-stores.ts).
  const db = await createTestDatabase(kind, { catalogue: options.catalogue !== false });
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'marsad-test-'));
  const app = await buildApp({ store: db.store, dataDir, adminToken: TOKEN, version: 'test' }, options.build);
  return {
    app,
    db,
    dataDir,
    async close() {
      await app.close();
      await db.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** POSTs a file to the import API. */
export async function importText(
  app: FastifyInstance,
  body: string | Buffer,
  query: Record<string, string | boolean>,
  headers: Record<string, string> = AUTH,
) {
  const q = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
  return app.inject({
    method: 'POST',
    url: `/api/v1/imports?${q}`,
    payload: body,
    headers: { 'content-type': 'text/csv', ...headers },
  });
}

export async function observationCount(t: TestApp): Promise<number> {
  const r = await t.db.store.db
    .selectFrom('observations')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export const TEST_PASSWORD = 'a long enough passphrase 42';

/** Invites a user with roles (with the first-start token), sets the password, signs in: cookie + CSRF headers. */
export async function signedIn(
  t: TestApp,
  email: string,
  roles: { role: string; place?: string }[],
  displayName?: string,
): Promise<Record<string, string>> {
  const inv = await t.app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: AUTH,
    payload: { email, roles, ...(displayName ? { displayName } : {}) },
  });
  expect(inv.statusCode, inv.body).toBe(201);
  const token = new URL(inv.json().invitationUrl, 'http://x').searchParams.get('token');
  const acc = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/accept',
    payload: { token, password: TEST_PASSWORD },
  });
  expect(acc.statusCode, acc.body).toBe(200);
  const login = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email, password: TEST_PASSWORD },
  });
  expect(login.statusCode, login.body).toBe(200);
  const cookie = String(login.headers['set-cookie']).split(';')[0]!;
  return { cookie, 'x-csrf-token': login.json().csrfToken };
}

/** An observation as GET /api/v1/observations lists it (what the round-trip tests compare). */
export type Obs = {
  indicator: string;
  series: string;
  place: string;
  period: string;
  value: number;
  status: string;
  source: { name: string } | null;
  note: string | null;
  dims: Record<string, string>;
};

/** Observations in a comparable order and shape; Open SDG files carry no status and no source: leave them out. */
export function normalise(items: Obs[], withStatusAndSource = true) {
  return items
    .map((o) => ({
      indicator: o.indicator,
      series: o.series,
      place: o.place,
      period: o.period,
      value: o.value,
      note: o.note,
      dims: o.dims,
      ...(withStatusAndSource ? { status: o.status, source: o.source?.name ?? null } : {}),
    }))
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}
