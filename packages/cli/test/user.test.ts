import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '@marsad/db';
import { createTestDataDirectory, testStoreKinds } from '@marsad/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userCreateCommand } from '../src/commands/users.ts';
import { readConfig } from '../src/config.ts';
import { marsad, marsadInProcess } from './run-marsad.ts';

describe.each(testStoreKinds())('marsad user create on %s', (kind) => {
  let dir: string;
  let db: { url?: string; drop(): Promise<void> } | undefined;
  let env: Record<string, string | undefined>;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'marsad-cli-user-'));
    // Migrated with the catalogue, as a first command leaves it.
    db = await createTestDataDirectory(kind, path.join(dir, 'data'));
    env = { MARSAD_DATA_DIR: path.join(dir, 'data'), DATABASE_URL: db.url, PORT: '3999' };
  });
  afterAll(async () => {
    await db?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  const users = async () => {
    const store = await openStore({ databaseUrl: db?.url, dataDir: path.join(dir, 'data') });
    try {
      return await store.db
        .selectFrom('users as u')
        .leftJoin('role_assignments as r', 'r.user_id', 'u.id')
        .select(['u.email', 'u.status', 'u.password_hash', 'r.role'])
        .orderBy('u.email')
        .execute();
    } finally {
      await store.close();
    }
  };

  it('invites the first administrator and prints the link', async () => {
    const r = await marsad(['user', 'create', '--admin', '--email', 'Chief@Example.org', '--name', 'Chief'], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Invited chief@example\.org \(administrator\)/);
    expect(r.stdout).toMatch(/^http:\/\/127\.0\.0\.1:3999\/accept\?token=[\w-]{40,}$/m);
    expect(r.stdout).toMatch(/^Not e-mailed\. No SMTP server is configured .*give the link to the user yourself\.$/m);
    // The same code in this process (each start of the real command costs seconds).
    const again = await marsadInProcess(() =>
      userCreateCommand(readConfig(env), { admin: true, email: 'chief@example.org' }),
    );
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/exists already/);
  });

  it('sets the password from standard input, under the rules', async () => {
    const short = await marsad(
      ['user', 'create', '--admin', '--email', 'ops@example.org', '--password-stdin'],
      env,
      'too short\n',
    );
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(/password: must be at least 12 characters/);
    const common = await marsad(
      ['user', 'create', '--admin', '--email', 'ops@example.org', '--password-stdin'],
      env,
      'qwerty123456\n',
    );
    expect(common.stderr).toMatch(/password: is one of the most common passwords/);
    const ok = await marsad(
      ['user', 'create', '--admin', '--email', 'ops@example.org', '--password-stdin'],
      env,
      'operations at night\n',
    );
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/can sign in now/);
    expect(ok.stdout).not.toMatch(/operations at night/);
    const rows = await users();
    expect(rows.map((u) => [u.email, u.status, u.role])).toEqual([
      ['chief@example.org', 'invited', 'administrator'],
      ['ops@example.org', 'active', 'administrator'],
    ]);
    expect(rows[1]!.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('with SMTP configured by environment variables but unreachable: the link on the public address, the reason, the invitation kept', async () => {
    const probe = net.createServer();
    await new Promise<void>((res) => probe.listen(0, '127.0.0.1', res));
    const closed = (probe.address() as AddressInfo).port;
    await new Promise<void>((res) => probe.close(() => res()));
    const mailEnv = {
      ...env,
      MARSAD_SMTP_HOST: '127.0.0.1',
      MARSAD_SMTP_PORT: String(closed),
      MARSAD_SMTP_SECURITY: 'none',
      MARSAD_MAIL_FROM: 'Marsad <noreply@marsad.test>',
      MARSAD_PUBLIC_URL: 'https://marsad.example.org',
    };
    const bad = await marsad(
      ['user', 'create', '--role', 'city-focal-point:MAAGA', '--email', 'fp@example.org', '--language', 'xx'],
      mailEnv,
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--language "xx": must be one of ar, en, fr, es, ru, zh/);
    const r = await marsad(
      ['user', 'create', '--role', 'city-focal-point:MAAGA', '--email', 'fp@example.org', '--language', 'fr'],
      mailEnv,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^https:\/\/marsad\.example\.org\/accept\?token=[\w-]{40,}$/m);
    expect(r.stdout).toMatch(
      new RegExp(`^Not e-mailed\\. The mail server 127\\.0\\.0\\.1:${closed} refused the connection`, 'm'),
    );
    expect((await users()).find((u) => u.email === 'fp@example.org')).toMatchObject({
      status: 'invited',
      role: 'city-focal-point',
    });
    const store = await openStore({ databaseUrl: db?.url, dataDir: path.join(dir, 'data') });
    try {
      const audit = await store.db
        .selectFrom('audit_log')
        .select(['action', 'actor_label', 'after'])
        .where('entity_type', '=', 'user')
        .orderBy('id')
        .execute();
      expect(audit.filter((a) => a.actor_label.startsWith('cli:')).map((a) => a.action)).toEqual([
        'create',
        'create',
        'password-set',
        'create',
        'mail-failed',
      ]);
      expect(audit.at(-1)!.after).toMatchObject({
        kind: 'invitation',
        to: 'fp@example.org',
        language: 'fr',
        sent: false,
      });
    } finally {
      await store.close();
    }
  });

  it.runIf(kind === 'pglite')('stops with a message when a server holds the embedded database', async () => {
    await writeFile(
      path.join(dir, 'data', 'marsad.lock'),
      JSON.stringify({ pid: process.pid, port: 3999, startedAt: new Date().toISOString() }),
    );
    try {
      const r = await marsad(['user', 'create', '--admin', '--email', 'late@example.org'], env);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/a running server holds the embedded database: stop it first/);
    } finally {
      await rm(path.join(dir, 'data', 'marsad.lock'), { force: true });
    }
  });
});
