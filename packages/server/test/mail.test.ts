import net, { type AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { testStoreKinds } from '@marsad/db/testing';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signedIn, type TestApp } from './helpers.ts';

/**
 * Invitation and reset mail through a real SMTP server (smtp-server on 127.0.0.1, a free
 * port), and the mail settings API: the password is write-only, never in an answer, the
 * audit log or the server's log.
 */
const SMTP_USER = 'marsad-mailer';
const SMTP_PASSWORD = 'smtp-secret-Zq81-never-shown';

interface Received {
  from: string;
  to: string[];
  raw: string;
}

/** The plain text of a received single-part message (quoted-printable, base64 or 7bit). */
function textOf(raw: string): string {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split);
  const body = raw.slice(split + 4);
  const encoding = /^Content-Transfer-Encoding:\s*(\S+)/im.exec(head)?.[1]?.toLowerCase() ?? '7bit';
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') {
    const joined = body.replace(/=\r?\n/g, '');
    const bytes: number[] = [];
    for (let i = 0; i < joined.length; i++) {
      const m = joined[i] === '=' ? /^[0-9A-F]{2}$/i.exec(joined.slice(i + 1, i + 3)) : null;
      if (m) {
        bytes.push(parseInt(m[0], 16));
        i += 2;
      } else bytes.push(...Buffer.from(joined[i]!, 'utf8'));
    }
    return Buffer.from(bytes).toString('utf8');
  }
  return body;
}

/** The decoded Subject header. */
function subjectOf(raw: string): string {
  const head = raw.slice(0, raw.indexOf('\r\n\r\n')).replace(/\r\n[ \t]+/g, ' ');
  const value = /^Subject:\s*(.*)$/im.exec(head)?.[1] ?? '';
  return value.replace(/=\?UTF-8\?([BQ])\?([^?]*)\?=\s*/gi, (_m, enc: string, text: string) =>
    enc.toUpperCase() === 'B'
      ? Buffer.from(text, 'base64').toString('utf8')
      : Buffer.from(
          text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))),
          'latin1',
        ).toString('utf8'),
  );
}

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((res) => s.listen(0, '127.0.0.1', res));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((res) => s.close(() => res()));
  return port;
}

describe.each(testStoreKinds())('invitation and reset mail on %s', (kind) => {
  let t: TestApp;
  let smtp: SMTPServer;
  let smtpPort: number;
  let admin: Record<string, string>;
  let reviewer: Record<string, string>;
  const inbox: Received[] = [];
  const bodies: string[] = [];
  const logLines: string[] = [];

  beforeAll(async () => {
    smtp = new SMTPServer({
      secure: false,
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      logger: false,
      onAuth(auth, _session, cb) {
        if (auth.username === SMTP_USER && auth.password === SMTP_PASSWORD) cb(null, { user: SMTP_USER });
        else cb(new Error('Invalid username or password'));
      },
      onData(stream, session, cb) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          inbox.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString('utf8'),
          });
          cb();
        });
      },
    });
    await new Promise<void>((res) => smtp.listen(0, '127.0.0.1', () => res()));
    smtpPort = (smtp.server.address() as AddressInfo).port;
    const stream = new Writable({
      write(chunk, _enc, cb) {
        logLines.push(String(chunk));
        cb();
      },
    });
    t = await createTestApp(kind, { build: { logger: { level: 'info', stream } } });
    // Before the administrator: the first-start token that signedIn invites with ends then.
    reviewer = await signedIn(t, 'reviewer@mail.example', [{ role: 'reviewer', place: 'MAAGA' }]);
    admin = await signedIn(t, 'admin@mail.example', [{ role: 'administrator' }]);
  });
  afterAll(async () => {
    await t?.close();
    await new Promise<void>((res) => (smtp ? smtp.close(() => res()) : res()));
  });

  const call = async (o: InjectOptions): Promise<LightMyRequestResponse> => {
    const r = await t.app.inject(o);
    bodies.push(r.body);
    return r;
  };
  const settings = (payload: Record<string, unknown>) =>
    call({ method: 'PUT', url: '/api/v1/settings/mail', headers: admin, payload });
  const configured = {
    host: '127.0.0.1',
    security: 'none',
    user: SMTP_USER,
    from: 'Marsad <noreply@marsad.test>',
    publicUrl: 'https://marsad.example.org/',
  };
  const invite = (email: string, extra: Record<string, unknown> = {}) =>
    call({
      method: 'POST',
      url: '/api/v1/users',
      headers: admin,
      payload: { email, roles: [{ role: 'reviewer', place: 'MAAGA' }], ...extra },
    });
  const mailTo = (address: string) => inbox.filter((m) => m.to.includes(address));
  const tokenIn = (text: string) =>
    /https:\/\/marsad\.example\.org\/(?:[a-z]{2}\/)?accept\?token=([\w%-]+)/.exec(text)?.[1];

  it('without SMTP settings: no mail, the link is shown, the answer says why', async () => {
    const get = await call({ url: '/api/v1/settings/mail', headers: admin });
    expect(get.statusCode, get.body).toBe(200);
    expect(get.json()).toMatchObject({
      host: null,
      configured: false,
      passwordSet: false,
      port: 587,
      security: 'starttls',
      fromEnvironment: [],
    });
    const r = await invite('first@mail.example');
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ emailSent: false, user: { email: 'first@mail.example', status: 'invited' } });
    expect(r.json().emailProblem).toMatch(
      /^No SMTP server is configured \(host and from not set: .*\): give the link to the user yourself\.$/,
    );
    expect(r.json().invitationUrl).toMatch(/^http:\/\/localhost(:80)?\/accept\?token=[\w-]{40,}$/);
    expect(inbox).toEqual([]);
  });

  it('validates the settings, naming the field; the password is write-only', async () => {
    expect((await settings({ ...configured, port: 70000 })).json().message).toMatch(/^body\.port:/);
    expect((await settings({ ...configured, host: 'not a host!' })).json().message).toMatch(/^body\.host:/);
    expect((await settings({ ...configured, publicUrl: 'ftp://marsad.example.org' })).json().message).toMatch(
      /^body\.publicUrl:/,
    );
    expect((await settings({ ...configured, from: 'nobody' })).json().message).toMatch(/^body\.from:/);
    const noFrom = await settings({ ...configured, from: null, password: SMTP_PASSWORD });
    expect(noFrom.statusCode).toBe(400);
    expect(noFrom.json().message).toMatch(/^from: give the sender address/);
    const noUser = await settings({ ...configured, user: null, password: SMTP_PASSWORD });
    expect(noUser.json().message).toMatch(/^user:/);
    expect((await call({ url: '/api/v1/settings/mail', headers: admin })).json().configured).toBe(false);

    const put = await settings({ ...configured, port: smtpPort, password: SMTP_PASSWORD });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toEqual({
      host: '127.0.0.1',
      port: smtpPort,
      security: 'none',
      user: SMTP_USER,
      passwordSet: true,
      from: 'Marsad <noreply@marsad.test>',
      publicUrl: 'https://marsad.example.org',
      configured: true,
      fromEnvironment: [],
      problems: [],
      updatedAt: expect.any(String),
    });
    // Left out, the password is kept while the host and the user stay the same…
    const keep = await settings({ ...configured, port: smtpPort });
    expect(keep.json()).toMatchObject({ passwordSet: true, configured: true });
    // …and refused when the host changes, so that it never goes to another server.
    const moved = await settings({ ...configured, host: 'smtp.elsewhere.example', port: smtpPort });
    expect(moved.statusCode).toBe(400);
    expect(moved.json().message).toMatch(/^password: give the password again/);
    expect((await call({ url: '/api/v1/settings/mail', headers: admin })).json()).toMatchObject({
      host: '127.0.0.1',
      passwordSet: true,
    });
  });

  it("e-mails the invitation in the invitee's language with a link that works", async () => {
    const r = await invite('amina@mail.example', { displayName: 'Amina', language: 'en' });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ emailSent: true, emailProblem: null });
    expect(r.json().invitationUrl).toMatch(/^https:\/\/marsad\.example\.org\/en\/accept\?token=[\w-]{40,}$/);
    const [mail, ...more] = mailTo('amina@mail.example');
    expect(more).toEqual([]);
    expect(mail!.from).toBe('noreply@marsad.test');
    expect(subjectOf(mail!.raw)).toBe('Your invitation to Marsad');
    const text = textOf(mail!.raw);
    expect(text).toMatch(/^Hello Amina,/);
    expect(text).toContain(r.json().invitationUrl);
    expect(text).not.toMatch(/مرحب/);
    const token = decodeURIComponent(tokenIn(text)!);
    const accepted = await call({
      method: 'POST',
      url: '/api/v1/auth/accept',
      payload: { token, password: 'amina chooses a passphrase' },
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json().user.email).toBe('amina@mail.example');
  });

  it('writes in Arabic and English when the language is not known; reset links too, in the language asked', async () => {
    const r = await invite('both@mail.example');
    expect(r.json().emailSent, r.body).toBe(true);
    const [mail] = mailTo('both@mail.example');
    const text = textOf(mail!.raw);
    expect(subjectOf(mail!.raw)).toBe('دعوتك إلى مرصد / Your invitation to Marsad');
    expect(text.indexOf('مرحبًا')).toBeGreaterThanOrEqual(0);
    expect(text.indexOf('مرحبًا')).toBeLessThan(text.indexOf('Hello'));
    expect(text.split(r.json().invitationUrl).length).toBe(3);

    const id = r.json().user.id as number;
    const reset = await call({ method: 'POST', url: `/api/v1/users/${id}/reset?language=fr`, headers: admin });
    // The link is in the language asked; the mail in Arabic and English links the address that chooses.
    expect(reset.json().resetUrl).toMatch(/^https:\/\/marsad\.example\.org\/fr\/accept\?token=/);
    expect(r.json().invitationUrl).toMatch(/^https:\/\/marsad\.example\.org\/accept\?token=/);
    expect(reset.statusCode, reset.body).toBe(200);
    expect(reset.json()).toMatchObject({ kind: 'invitation', emailSent: true, emailProblem: null });
    const again = mailTo('both@mail.example')[1]!;
    expect(subjectOf(again.raw)).toBe('Votre invitation à Marsad');
    expect(textOf(again.raw)).toContain(reset.json().resetUrl);
    // The first link ended when the new one was issued; the new one works.
    const oldToken = decodeURIComponent(tokenIn(text)!);
    expect(
      (
        await call({
          method: 'POST',
          url: '/api/v1/auth/accept',
          payload: { token: oldToken, password: 'both chooses a passphrase' },
        })
      ).statusCode,
    ).toBe(400);
    const newToken = decodeURIComponent(tokenIn(textOf(again.raw))!);
    expect(
      (
        await call({
          method: 'POST',
          url: '/api/v1/auth/accept',
          payload: { token: newToken, password: 'both chooses a passphrase' },
        })
      ).statusCode,
    ).toBe(200);

    const pw = await call({ method: 'POST', url: `/api/v1/users/${id}/reset?language=ar`, headers: admin });
    expect(pw.json()).toMatchObject({ kind: 'reset', emailSent: true });
    const third = mailTo('both@mail.example')[2]!;
    expect(subjectOf(third.raw)).toBe('اختيار كلمة مرور جديدة في مرصد');
    expect(textOf(third.raw)).toContain(pw.json().resetUrl);
    expect(
      (await call({ method: 'POST', url: `/api/v1/users/${id}/reset?language=xx`, headers: admin })).json().message,
    ).toMatch(/^querystring\.language:/);
  });

  it('sends a test message to the administrator, and says why one failed', async () => {
    const ok = await call({ method: 'POST', url: '/api/v1/settings/mail/test', headers: admin, payload: {} });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ sent: true, to: 'admin@mail.example', problem: null });
    expect(subjectOf(mailTo('admin@mail.example')[0]!.raw)).toBe('مرصد: رسالة تجريبية / Marsad: test message');

    const wrong = await settings({ ...configured, port: smtpPort, password: 'not the smtp password' });
    expect(wrong.statusCode).toBe(200);
    const refused = await call({
      method: 'POST',
      url: '/api/v1/settings/mail/test',
      headers: admin,
      payload: { to: 'ops@mail.example', language: 'en' },
    });
    expect(refused.statusCode).toBe(200);
    expect(refused.json()).toMatchObject({ sent: false, to: 'ops@mail.example' });
    expect(refused.json().problem).toMatch(
      new RegExp(
        `^The mail server 127\\.0\\.0\\.1:${smtpPort} refused the sign-in of user "${SMTP_USER}".*Check the user and the password`,
      ),
    );
    expect(refused.body).not.toContain('not the smtp password');

    const tls = await settings({ ...configured, port: smtpPort, security: 'starttls', password: SMTP_PASSWORD });
    expect(tls.statusCode).toBe(200);
    const noStarttls = await call({
      method: 'POST',
      url: '/api/v1/settings/mail/test',
      headers: admin,
      payload: { to: 'ops@mail.example' },
    });
    expect(noStarttls.json().sent).toBe(false);
    expect(noStarttls.json().problem).toMatch(/STARTTLS|secure connection/i);
    expect(mailTo('ops@mail.example')).toEqual([]);
    expect((await settings({ ...configured, port: smtpPort, password: SMTP_PASSWORD })).json().configured).toBe(true);
  });

  it('keeps the invitation when the mail server cannot be reached, with a clear message', async () => {
    const closed = await freePort();
    const moved = await settings({ ...configured, port: closed, password: SMTP_PASSWORD });
    expect(moved.statusCode, moved.body).toBe(200);
    const r = await invite('unlucky@mail.example', { language: 'en' });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().emailSent).toBe(false);
    expect(r.json().emailProblem).toMatch(
      new RegExp(`^The mail server 127\\.0\\.0\\.1:${closed} refused the connection.*Check the host and the port`),
    );
    expect(mailTo('unlucky@mail.example')).toEqual([]);
    const users = await call({ url: '/api/v1/users?q=unlucky', headers: admin });
    expect(users.json()).toMatchObject({ total: 1, items: [{ email: 'unlucky@mail.example', status: 'invited' }] });
    const token = new URL(r.json().invitationUrl).searchParams.get('token');
    expect(
      (
        await call({
          method: 'POST',
          url: '/api/v1/auth/accept',
          payload: { token, password: 'unlucky still gets in' },
        })
      ).statusCode,
    ).toBe(200);
    const failed = await t.db.store.db
      .selectFrom('audit_log')
      .select(['action', 'after'])
      .where('action', '=', 'mail-failed')
      .execute();
    expect(failed).toEqual([
      expect.objectContaining({
        after: expect.objectContaining({ kind: 'invitation', to: 'unlucky@mail.example', sent: false }),
      }),
    ]);
  });

  it('lets environment variables override stored fields; invalid ones are reported, not echoed', async () => {
    process.env.MARSAD_SMTP_PORT = String(smtpPort);
    process.env.MARSAD_SMTP_SECURITY = 'carrier-pigeon';
    try {
      const get = await call({ url: '/api/v1/settings/mail', headers: admin });
      expect(get.json()).toMatchObject({ port: smtpPort, security: 'none', fromEnvironment: ['port'] });
      expect(get.json().problems).toEqual([expect.stringMatching(/^MARSAD_SMTP_SECURITY: .*; it is ignored\.$/)]);
      expect(get.body).not.toContain('carrier-pigeon');
      const r = await invite('env@mail.example', { language: 'en' });
      expect(r.json(), r.body).toMatchObject({ emailSent: true });
      expect(mailTo('env@mail.example')).toHaveLength(1);
    } finally {
      delete process.env.MARSAD_SMTP_PORT;
      delete process.env.MARSAD_SMTP_SECURITY;
    }
  });

  it('records every change in the audit log without the password; removing the settings stops the mail', async () => {
    const del = await call({ method: 'DELETE', url: '/api/v1/settings/mail', headers: admin });
    expect(del.statusCode, del.body).toBe(200);
    expect(del.json()).toMatchObject({ host: null, configured: false, passwordSet: false });
    const r = await invite('after@mail.example');
    expect(r.json()).toMatchObject({ emailSent: false });
    expect(mailTo('after@mail.example')).toEqual([]);

    const entries = await t.db.store.db
      .selectFrom('audit_log')
      .select(['action', 'entity_type', 'entity_id', 'before', 'after', 'actor_label'])
      .where('entity_type', '=', 'setting')
      .orderBy('id')
      .execute();
    expect(entries.map((e) => e.action)).toEqual([
      'update',
      'update',
      'mail-test',
      'update',
      'mail-test',
      'update',
      'mail-test',
      'update',
      'update',
      'delete',
    ]);
    expect(entries[0]).toMatchObject({
      entity_id: 'mail',
      actor_label: 'user:admin@mail.example',
      before: null,
      after: { host: '127.0.0.1', user: SMTP_USER, passwordSet: true },
    });
    expect(entries.at(-1)).toMatchObject({ before: { passwordSet: true }, after: null });
    const sent = await t.db.store.db
      .selectFrom('audit_log')
      .select('after')
      .where('action', '=', 'mail-sent')
      .execute();
    expect(sent.length).toBe(5);
    expect(sent.map((s) => JSON.stringify(s.after)).join()).not.toMatch(/token=/);

    const exported = await call({ url: '/api/v1/audit/export', headers: admin });
    expect(exported.statusCode).toBe(200);
    const everything =
      JSON.stringify(await t.db.store.db.selectFrom('audit_log').selectAll().execute()) + exported.body;
    expect(everything).not.toContain(SMTP_PASSWORD);
    expect(everything).not.toContain('not the smtp password');
  });

  it('never shows the password in an answer or the log, and keeps the settings from everyone but administrators', async () => {
    expect(bodies.length).toBeGreaterThan(30);
    for (const b of bodies) expect(b).not.toContain(SMTP_PASSWORD);
    expect(logLines.length).toBeGreaterThan(10);
    expect(logLines.join('')).not.toContain(SMTP_PASSWORD);
    expect((await t.app.inject({ url: '/api/v1/settings/mail' })).statusCode).toBe(401);
    for (const o of [
      { method: 'GET' as const, url: '/api/v1/settings/mail' },
      { method: 'PUT' as const, url: '/api/v1/settings/mail', payload: configured },
      { method: 'POST' as const, url: '/api/v1/settings/mail/test', payload: {} },
    ]) {
      const r = await t.app.inject({ ...o, headers: reviewer });
      expect(r.statusCode, `${o.method} ${o.url}`).toBe(403);
    }
  });
});
