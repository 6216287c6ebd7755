/**
 * Text the database cannot store in a request's path, query or JSON body (http/storable-input.ts): a 400 that names
 * the parameter or field and speaks of it as a parameter or a value, not as a file ("is the file UTF-16?" is for
 * uploads).
 */
import { testStoreKinds } from '@marsad/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, createTestApp, type TestApp } from './helpers.ts';

describe.each(testStoreKinds())('unstorable text in a request on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('names a path parameter holding a NUL as a parameter', async () => {
    const r = await t.app.inject({ method: 'PATCH', url: '/api/v1/places/%00', payload: {}, headers: AUTH });
    expect(r.statusCode).toBe(400);
    expect(r.json().message).toMatch(/^params\.code: the parameter holds a NUL character/);
    expect(r.json().message).not.toMatch(/file|UTF-16/);
  });

  it('names a query parameter and a JSON field the same way, and an unpaired surrogate in a value', async () => {
    const q = await t.app.inject({ url: '/api/v1/places?q=a%00b' });
    expect(q.statusCode).toBe(400);
    expect(q.json().message).toMatch(/^querystring\.q: the parameter holds a NUL character/);
    const b = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/places/GBR',
      payload: '{"names":{"en":"a\\u0000b"}}',
      headers: { ...AUTH, 'content-type': 'application/json' },
    });
    expect(b.statusCode).toBe(400);
    expect(b.json().message).toMatch(/^body\.names\.en: the value holds a NUL character/);
    expect(b.json().message).not.toMatch(/file/);
    const s = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/places/GBR',
      payload: '{"names":{"en":"a\\ud800b"}}',
      headers: { ...AUTH, 'content-type': 'application/json' },
    });
    expect(s.json().message).toMatch(/^body\.names\.en: the value holds an unpaired UTF-16 surrogate/);
  });
});
