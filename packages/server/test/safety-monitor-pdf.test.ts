// The city profile's PDF holds the city's self-assessment against the Urban Safety Monitor only for a reader who may
// read it (issue 20, item 2): printed by Chromium as that reader (reports/pdf-safety-assessment.ts). On PGlite with
// the demonstration data (Agadir's synthetic assessments) and the built web app; the text read back with pdftotext.
// Skipped with a message without Chromium or pdftotext, unless MARSAD_REQUIRE_BROWSER=1.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '@marsad/db/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoAccount } from '../src/demo/load-demo-accounts.ts';
import { buildApp, prepareDatabase } from '../src/index.ts';
import { pdfReaderFor } from '../src/reports/pdf-safety-assessment.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const CHROMIUM = process.env.MARSAD_CHROMIUM || '/usr/bin/chromium';
const hasPdftotext = spawnSync('pdftotext', ['-v']).error === undefined;
const skipReason =
  process.env.MARSAD_SKIP_BROWSER === '1'
    ? 'skipped: MARSAD_SKIP_BROWSER=1'
    : !existsSync(CHROMIUM)
      ? `no Chromium at ${CHROMIUM}`
      : !hasPdftotext
        ? 'no pdftotext (apt-get install poppler-utils)'
        : null;
const run = skipReason === null || process.env.MARSAD_REQUIRE_BROWSER === '1';
if (skipReason && !run) console.warn(`Safety assessment PDF tests: ${skipReason}`);

describe('the reader of a city profile PDF', () => {
  it('is the signed-in reader of a city profile only, with their session or token', () => {
    const cookie = 'marsad_session=abc; other=1; marsad_signed_in=1';
    expect(pdfReaderFor('/places/MAAGA', { cookie })).toEqual({
      cookies: [
        { name: 'marsad_session', value: 'abc' },
        { name: 'marsad_signed_in', value: '1' },
      ],
      authorization: null,
    });
    expect(pdfReaderFor('/places/MAAGA', { authorization: 'Bearer msd_x' })).toEqual({
      cookies: [],
      authorization: 'Bearer msd_x',
    });
    // Other pages are printed as the public sees them; so is a request without a session.
    expect(pdfReaderFor('/programmes/SAFER-CITIES', { cookie })).toBeNull();
    expect(pdfReaderFor('/places/MAR/report', { cookie })).toBeNull();
    expect(pdfReaderFor('/places/MAAGA', { cookie: 'marsad_signed_in=1' })).toBeNull();
    expect(pdfReaderFor('/places/MAAGA', {})).toBeNull();
  });
});

describe.skipIf(!run)('the city profile PDF and the self-assessment', { timeout: 300_000 }, () => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let dir: string;
  let base: string;
  let accounts: DemoAccount[] = [];
  beforeAll(async () => {
    if (skipReason) throw new Error(`MARSAD_REQUIRE_BROWSER=1: ${skipReason}`);
    execFileSync(process.execPath, [path.join(ROOT, 'scripts/build-web.mjs')], { stdio: 'inherit' });
    db = await createTestDatabase('pglite');
    accounts = (await prepareDatabase(db.store, { demo: 'yes' })).demoAccounts;
    dir = await mkdtemp(path.join(os.tmpdir(), 'marsad-pdf-'));
    app = await buildApp({ store: db.store, dataDir: dir, adminToken: 'x', version: 'test' });
    base = await app.listen({ port: 0, host: '127.0.0.1' });
  }, 600_000);
  afterAll(async () => {
    await app?.close();
    await db?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function cookieOf(role: string): Promise<string> {
    const a = accounts.find((x) => x.roles.some((r) => r.role === role));
    if (!a) throw new Error(`no demonstration account with the role ${role}`);
    const r = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: a.email, password: a.password }),
    });
    expect(r.status).toBe(200);
    return r.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
  }

  async function pdfText(cookie: string | null, name: string): Promise<string> {
    const r = await fetch(`${base}/api/v1/reports/pdf?page=${encodeURIComponent('/places/MAAGA')}&lang=en`, {
      headers: cookie ? { cookie } : {},
    });
    expect(
      r.status,
      await r
        .clone()
        .text()
        .catch(() => ''),
    ).toBe(200);
    const file = path.join(dir, `${name}.pdf`);
    await writeFile(file, Buffer.from(await r.arrayBuffer()));
    return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  }

  it("holds Agadir's latest self-assessment for its focal point, labelled synthetic; not for the public or a validator", async () => {
    const focal = await pdfText(await cookieOf('city-focal-point'), 'focal');
    expect(focal).toContain('Self-assessment against the Urban Safety Monitor');
    expect(focal).toContain('Synthetic demonstration data: not a statement of the municipality.');
    expect(focal).toContain('Strengths to use now:');
    expect(focal).toContain('Crime statistics');
    const pub = await pdfText(null, 'public');
    expect(pub).toContain('Agadir');
    expect(pub).not.toContain('Self-assessment against the Urban Safety Monitor');
    const validator = await pdfText(await cookieOf('data-validator'), 'validator');
    expect(validator).toContain('Agadir');
    expect(validator).not.toContain('Self-assessment against the Urban Safety Monitor');
  });
});
