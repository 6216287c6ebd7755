import { testStoreKinds } from '@marsad/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../src/demo/load-demo.ts';
import { createTestApp, type TestApp } from './helpers.ts';

/**
 * The demonstration programmes (seeds 000, 001, 003): their structure and names as the seeds
 * give them, tied to the demonstration indicators, and every invented number labelled.
 */
interface Measure {
  kind: string;
  formula: string | null;
  indicator: { code: string } | null;
  demonstration: boolean;
  targets: { year: number; value: number }[];
  actual: { value: number; sources: { synthetic: boolean }[] } | null;
  places: { place: string }[];
}
interface Result {
  code: string;
  level: string;
  pillars: string[];
  measures: Measure[];
  children: Result[];
}

const all = (rs: Result[]): Result[] => rs.flatMap((r) => [r, ...all(r.children)]);

describe.each(testStoreKinds())('demonstration programmes on %s', (kind) => {
  let t: TestApp;
  const get = async (url: string) => {
    const r = await t.app.inject({ url });
    expect(r.statusCode, `${url}: ${r.body.slice(0, 300)}`).toBe(200);
    return r.json();
  };

  beforeAll(async () => {
    t = await createTestApp(kind);
    const r = await loadDemo(t.db.store);
    expect(r.programmes).toBe(3);
    // Loading again changes nothing.
    expect((await loadDemo(t.db.store)).programmes).toBe(0);
  }, 300_000);
  afterAll(async () => {
    await t?.close();
  });

  it('lists the three programmes, labelled as demonstration data', async () => {
    const list = await get('/api/v1/programmes?lang=ar');
    expect(list.items.map((p: { code: string }) => p.code)).toEqual([
      'SAFER-CITIES',
      'ESCWA-NUA-IRP',
      'UNH-SP-2026-2029',
    ]);
    for (const p of list.items)
      expect(p).toMatchObject({ demonstration: true, demonstrationNote: expect.stringMatching(/^Demonstration data/) });
    expect(list.items[2].name).toBe('الخطة الاستراتيجية لموئل الأمم المتحدة للفترة 2026-2029');
  });

  it('the Strategic Plan: 3 impact areas, 5 means of implementation, measured with pilot-city values', async () => {
    const p = await get('/api/v1/programmes/UNH-SP-2026-2029?lang=ar');
    expect(p.pillars.map((q: { code: string; kind: string }) => `${q.code} ${q.kind}`)).toEqual(
      ['MOI-1', 'MOI-2', 'MOI-3', 'MOI-4', 'MOI-5'].map((c) => `${c} means-of-implementation`),
    );
    expect(p.results.map((r: Result) => [r.code, r.level, r.pillars.length])).toEqual([
      ['IA-1', 'impact', 5],
      ['IA-2', 'impact', 5],
      ['IA-3', 'impact', 5],
    ]);
    expect(p.results[0].title).toBe('الازدهار المنصف والشامل من أجل القضاء على الفقر');
    const slums = p.results[0].measures[0] as Measure;
    expect(slums).toMatchObject({ kind: 'indicator', indicator: { code: '11.1.1' }, demonstration: true });
    expect(slums.places).toHaveLength(8);
    expect(slums.actual!.sources.every((s) => s.synthetic)).toBe(true);
  });

  it('the ESCWA project: its 3 pillars and 9 pilot places, objectives, outputs and activities', async () => {
    const p = await get('/api/v1/programmes/ESCWA-NUA-IRP');
    expect(p.pillars.map((q: { code: string }) => q.code)).toEqual(['P1', 'P2', 'P3']);
    expect(p.places.map((x: { place: string; role: string }) => x.place).sort()).toEqual([
      'CRSJO',
      'CUHAV',
      'ECUIO',
      'JOAMM',
      'KHBBM',
      'KZALA',
      'LSMSU',
      'MAAGA',
      'PHL',
    ]);
    expect(p.places.every((x: { role: string }) => x.role === 'pilot')).toBe(true);
    const levels = all(p.results).map((r) => r.level);
    expect([
      levels.filter((l) => l === 'outcome').length,
      levels.filter((l) => l === 'output').length,
      levels.filter((l) => l === 'activity').length,
    ]).toEqual([4, 2, 7]);
    expect(p.partners.map((x: { names: { en: string } }) => x.names.en)).toContain('UN-Habitat');
    const budget = await get('/api/v1/programmes/ESCWA-NUA-IRP/budget?currency=USD');
    expect(budget).toMatchObject({ demonstration: true, conversion: { complete: false } });
    expect(budget.lines.every((l: { demonstration: boolean }) => l.demonstration)).toBe(true);
  });

  it('the Safer Cities programme: the 2030 targets of seed 000 as computed results, its supporting countries, its cost estimate', async () => {
    const p = await get('/api/v1/programmes/SAFER-CITIES');
    expect(p.places).toHaveLength(48);
    const computed = all(p.results)
      .flatMap((r) => r.measures)
      .filter((m) => m.kind === 'computed');
    expect(computed.map((m) => [m.formula, m.targets[0]!.value, m.demonstration])).toEqual([
      ['urban-violence-change', -50, false],
      ['cities-less-violence', 100, false],
      ['countries-improved', 25, false],
      ['population-concerned', 100_000_000, false],
    ]);
    expect(all(p.results).map((r) => r.code)).toEqual(
      expect.arrayContaining(['R1', 'R1-A', 'R1-E', 'R2', 'R2-B', 'R3', 'R3-C']),
    );
    expect(p.targets2030.participating.cities.map((c: { place: string }) => c.place)).toContain('MAAGA');
    const budget = await get('/api/v1/programmes/SAFER-CITIES/budget');
    expect(budget.totals).toEqual([{ currency: 'USD', amount: 50_000_000, lines: 2 }]);
    expect(budget.lines.map((l: { demonstration: boolean }) => l.demonstration)).toEqual([false, false]);
  });

  it('labels every typed number that the seeds do not give', async () => {
    for (const code of ['SAFER-CITIES', 'UNH-SP-2026-2029', 'ESCWA-NUA-IRP']) {
      const p = await get(`/api/v1/programmes/${code}`);
      for (const m of all(p.results).flatMap((r) => r.measures)) {
        if (m.kind !== 'computed') expect(m.demonstration, `${code} ${m.indicator?.code ?? m.kind}`).toBe(true);
      }
      const csv = (await t.app.inject({ url: `/api/v1/programmes/${code}/export?format=csv` })).body;
      expect(csv.split('\n')[1]).toMatch(new RegExp(`^${code},true,`));
      expect((await t.app.inject({ url: `/api/v1/programmes/${code}/export?format=iati` })).statusCode).toBe(409);
    }
  });
});
