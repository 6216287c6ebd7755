import { testStoreKinds } from '@marsad/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, createTestApp, signedIn, type TestApp } from './helpers.ts';

/**
 * An indicator's metadata entered and edited in six languages (issue 15, item 5), through
 * `PATCH /api/v1/indicators/:code/metadata`: per source, a language given replaces its text, an empty one
 * removes it, the others stay; the pages read it in the reader's language, else the best available one,
 * which the answer names; all or nothing, a 400 naming the field; audited; administrators, and focal points
 * for the local indicators of their places only.
 */
describe.each(testStoreKinds())('indicator metadata entered in the pages on %s', (kind) => {
  let t: TestApp;
  let city: Record<string, string>;
  let validator: Record<string, string>;
  const SOURCE = 'Haut-Commissariat au Plan (entered in Marsad)';

  beforeAll(async () => {
    t = await createTestApp(kind);
    // Accounts while the first-start token still creates them (no administrator account is made).
    city = await signedIn(t, 'agadir@metadata.example', [{ role: 'city-focal-point', place: 'MAAGA' }]);
    validator = await signedIn(t, 'validator@metadata.example', [{ role: 'data-validator', place: 'MAAGA' }]);
  });
  afterAll(async () => {
    await t?.close();
  });

  const patch = (payload: unknown, headers: Record<string, string> = AUTH, code = '16.1.1') =>
    t.app.inject({
      method: 'PATCH',
      url: `/api/v1/indicators/${code}/metadata`,
      headers: { ...headers, 'content-type': 'application/json' },
      payload: JSON.stringify(payload),
    });
  const read = async (lang: string, code = '16.1.1') => {
    const r = await t.app.inject({ url: `/api/v1/indicators/${code}/metadata?lang=${lang}` });
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as {
      sources: {
        source: string;
        place: { code: string } | null;
        languages: string[];
        fields: { field: string; lang: string; text: string; html: string }[];
      }[];
    };
  };
  const texts = async (code = '16.1.1') => {
    const r = await t.app.inject({ url: `/api/v1/indicators/${code}/metadata/texts` });
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as { sources: { source: string; fields: { field: string; texts: Record<string, string> }[] }[] };
  };
  const fieldOf = async (lang: string, field: string, source = SOURCE) =>
    (await read(lang)).sources.find((s) => s.source === source)?.fields.find((f) => f.field === field);
  const rowCount = async () =>
    Number(
      (
        await t.db.store.db
          .selectFrom('indicator_metadata')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('adds a source with texts in French and English; a reader of Spanish gets the English one, named', async () => {
    const res = await patch({
      source: SOURCE,
      fields: {
        national_indicator_description: {
          fr: '  Victimes d’homicide volontaire pour 100 000 habitants.  ',
          en: 'Victims of intentional homicide per 100,000 population.',
          es: '',
        },
        data_footnote: { fr: 'Données de la **police**.' },
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ indicator: '16.1.1', source: SOURCE, added: 3, changed: 0, removed: 0 });

    const fr = await fieldOf('fr', 'national_indicator_description');
    expect(fr).toMatchObject({ lang: 'fr', text: 'Victimes d’homicide volontaire pour 100 000 habitants.' });
    const es = await fieldOf('es', 'national_indicator_description');
    expect(es).toMatchObject({ lang: 'en', text: 'Victims of intentional homicide per 100,000 population.' });
    // Only in French: the best available one for every reader, Markdown made HTML.
    expect(await fieldOf('ar', 'data_footnote')).toMatchObject({
      lang: 'fr',
      html: '<p>Données de la <strong>police</strong>.</p>',
    });
    const source = (await read('en')).sources.find((s) => s.source === SOURCE)!;
    expect(source.place).toBeNull();
    expect(source.languages).toEqual(['en', 'fr']);
    // Open SDG's order: the description before the footnote.
    expect(source.fields.map((f) => f.field)).toEqual(['national_indicator_description', 'data_footnote']);

    const audit = await t.db.store.db
      .selectFrom('audit_log')
      .select(['action', 'before', 'after'])
      .where('entity_type', '=', 'indicator')
      .where('entity_id', '=', '16.1.1')
      .where('action', '=', 'update-metadata')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.before).toEqual({
      source: SOURCE,
      fields: { national_indicator_description: {}, data_footnote: {} },
    });
    expect((audit[0]!.after as { fields: Record<string, Record<string, string>> }).fields.data_footnote).toEqual({
      fr: 'Données de la **police**.',
    });
  });

  it('replaces a language, removes one left empty, keeps the others, and gives every language for editing', async () => {
    const res = await patch({
      source: SOURCE,
      fields: {
        national_indicator_description: {
          fr: 'Victimes d’homicide volontaire pour 100 000 habitants — revu.',
          en: '',
          ar: 'ضحايا القتل العمد لكل ١٠٠٬٠٠٠ نسمة.',
        },
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ added: 1, changed: 1, removed: 1 });
    const all = await texts();
    const fields = all.sources.find((s) => s.source === SOURCE)!.fields;
    expect(fields.find((f) => f.field === 'national_indicator_description')!.texts).toEqual({
      ar: 'ضحايا القتل العمد لكل ١٠٠٬٠٠٠ نسمة.',
      fr: 'Victimes d’homicide volontaire pour 100 000 habitants — revu.',
    });
    expect(fields.find((f) => f.field === 'data_footnote')!.texts).toEqual({ fr: 'Données de la **police**.' });
    // No English left: a reader of Russian gets Arabic, the first of the UN languages in Marsad's order.
    expect(await fieldOf('ru', 'national_indicator_description')).toMatchObject({ lang: 'ar' });
    // The same texts again change nothing and write no audit entry.
    const again = await patch({ source: SOURCE, fields: { data_footnote: { fr: 'Données de la **police**.' } } });
    expect(again.json()).toMatchObject({ added: 0, changed: 0, removed: 0, unchanged: 1 });
    const entries = await t.db.store.db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'update-metadata')
      .execute();
    expect(entries).toHaveLength(2);
  });

  it("keeps an imported source's place and the field's position when a language is added", async () => {
    const ids = await t.db.store.db
      .selectFrom('indicators')
      .select('id')
      .where('code', '=', '16.1.1')
      .executeTakeFirstOrThrow();
    const place = await t.db.store.db
      .selectFrom('places')
      .select('id')
      .where('code', '=', 'MAR')
      .executeTakeFirstOrThrow();
    await t.db.store.db
      .insertInto('indicator_metadata')
      .values({
        indicator_id: ids.id,
        lang: 'en',
        field: 'computation_units',
        text: 'Rate per 100,000',
        source: 'National platform (Open SDG)',
        place_id: place.id,
        position: 6,
      })
      .execute();
    const res = await patch({
      source: 'National platform (Open SDG)',
      fields: { computation_units: { zh: '每10万人比率' } },
    });
    expect(res.statusCode, res.body).toBe(200);
    const rows = await t.db.store.db
      .selectFrom('indicator_metadata')
      .select(['lang', 'place_id', 'position', 'batch_id'])
      .where('source', '=', 'National platform (Open SDG)')
      .orderBy('lang')
      .execute();
    expect(rows).toEqual([
      { lang: 'en', place_id: place.id, position: 6, batch_id: null },
      { lang: 'zh', place_id: place.id, position: 6, batch_id: null },
    ]);
    const zh = (await read('zh')).sources.find((s) => s.source === 'National platform (Open SDG)')!;
    expect(zh.place).toMatchObject({ code: 'MAR' });
    expect(zh.fields[0]).toMatchObject({ lang: 'zh', text: '每10万人比率' });
  });

  it('refuses bad input naming the field, and writes nothing of the request', async () => {
    const before = await rowCount();
    const cases: [unknown, RegExp][] = [
      [
        { source: SOURCE, fields: { other_info: { fr: 'Ne doit pas être écrit.' }, 'Data-Footnote': { en: 'x' } } },
        /fields\.Data-Footnote: not a field name/,
      ],
      [
        { source: SOURCE, fields: { other_info: { fr: 'Ne doit pas être écrit.' }, data_footnote: { french: 'x' } } },
        /fields\.data_footnote\.french: not a language code/,
      ],
      [
        { source: SOURCE, fields: { other_info: { fr: 'Ne doit pas être écrit.', en: 'x'.repeat(100_001) } } },
        /fields\.other_info\.en: Too big/,
      ],
      [
        { source: SOURCE, fields: { other_info: { fr: 'Ne doit pas être écrit.' }, reporting_status: { en: 'done' } } },
        /fields\.reporting_status\.en: the reporting status is one of complete, inprogress, notstarted/,
      ],
      // Well formed but unknown: a field Open SDG has not, a language code nobody uses (both were stored and shown).
      [
        { source: SOURCE, fields: { other_info: { fr: 'Ne doit pas être écrit.' }, no_such_field: { fr: 'x' } } },
        /fields\.no_such_field: not a metadata field/,
      ],
      [
        { source: SOURCE, fields: { comments_limitations: { fr: 'Ne doit pas être écrit.', xx: 'x' } } },
        /fields\.comments_limitations\.xx: not a language code/,
      ],
      [{ source: '   ', fields: { other_info: { fr: 'Ne doit pas être écrit.' } } }, /source: Too small/],
      [{ source: SOURCE, fields: {} }, /fields: give at least one field/],
      [{ source: SOURCE, fields: { other_info: { fr: 'x' } }, extra: 1 }, /extra|Unrecognized key/],
    ];
    for (const [payload, message] of cases) {
      const res = await patch(payload);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().message).toMatch(message);
    }
    expect(await rowCount()).toBe(before);
    expect(await fieldOf('fr', 'other_info')).toBeUndefined();
    const unknown = await patch({ source: SOURCE, fields: { other_info: { fr: 'x' } } }, AUTH, 'NO.SUCH.1');
    expect(unknown.statusCode).toBe(404);
  });

  it('lets administrators edit the reference catalogue, focal points only the local indicators of their places', async () => {
    const body = { source: 'Agadir observatory', fields: { other_info: { fr: 'Texte de la ville.' } } };
    const anonymous = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/indicators/16.1.1/metadata',
      payload: body,
    });
    expect(anonymous.statusCode).toBe(401);
    expect((await patch(body, validator)).statusCode).toBe(403);
    const reference = await patch(body, city);
    expect(reference.statusCode).toBe(403);
    expect(reference.json().message).toMatch(/only administrators edit its metadata/);
    const own = await t.app.inject({
      method: 'POST',
      url: '/api/v1/indicators',
      headers: city,
      payload: { code: 'MAAGA-SAFE-9', names: { fr: 'Sécurité à Agadir' }, ownerPlace: 'MAAGA' },
    });
    expect(own.statusCode, own.body).toBe(201);
    const ok = await patch(body, city, 'MAAGA-SAFE-9');
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await read('fr', 'MAAGA-SAFE-9')).sources[0]!.fields[0]).toMatchObject({
      field: 'other_info',
      lang: 'fr',
      text: 'Texte de la ville.',
    });
    const audit = await t.db.store.db
      .selectFrom('audit_log')
      .select(['actor_label'])
      .where('entity_id', '=', 'MAAGA-SAFE-9')
      .where('action', '=', 'update-metadata')
      .execute();
    expect(audit).toEqual([{ actor_label: 'user:agadir@metadata.example' }]);
  });
});
