import { type AssessmentAnswers, SafetyFrameworkStructure } from '@marsad/core';
import { testStoreKinds } from '@marsad/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_QUESTIONNAIRE } from '../src/demo/demo-questionnaire.ts';
import { usmSeedStructure } from '../src/safety-monitor/seed-structure.ts';
import { createTestApp, importText, signedIn, type TestApp } from './helpers.ts';

/**
 * The Urban Safety Monitor (issue 20, items 1 and 2) through the API: the framework seeded as UN-Habitat's confirmed
 * structure, edited by administrators only into new versions checked against the catalogue; a city's
 * self-assessment prefilled from approved observations (imported here first), written by the place's focal points,
 * refused to another city's, read by a reviewer of a review cycle of the place, refused to the public; submitted
 * read-only; the next one starting from it with the change shown; the one-page profile.
 */
type H = Record<string, string>;
const json = (h: H) => ({ ...h, 'content-type': 'application/json' });
const YEAR = new Date().getUTCFullYear();

describe.each(testStoreKinds())('the safety monitor on %s', (kind) => {
  let t: TestApp;
  const h: Record<string, H> = {};
  const ids: Record<string, number> = {};
  const call = (method: string, url: string, who: string | null, payload?: unknown) =>
    t.app.inject({
      method: method as 'GET',
      url,
      headers: who ? (payload !== undefined ? json(h[who]!) : h[who]!) : {},
      ...(payload !== undefined ? { payload: JSON.stringify(payload) } : {}),
    });
  // biome-ignore lint/suspicious/noExplicitAny: the answers of many routes, read by each test
  const ok = async (p: Promise<{ statusCode: number; body: string; json(): any }>, status = 200) => {
    const r = await p;
    expect(r.statusCode, r.body).toBe(status);
    return r.json();
  };

  beforeAll(async () => {
    t = await createTestApp(kind);
    // Approved values of 16.1.1 at Agadir for three recent years, with a breakdown by sex; 16.1.4 only provisional.
    const rows = ['indicator,series,place,period,value,SEX'];
    for (const y of [YEAR - 2, YEAR - 1, YEAR]) {
      rows.push(`16.1.1,VC_IHR_PSRC,MAAGA,${y},${3 + y - YEAR}.5,`, `16.1.1,VC_IHR_PSRC,MAAGA,${y},2.1,F`);
    }
    const imp = await importText(t.app, `${rows.join('\n')}\n`, { format: 'csv', status: 'approved' });
    expect(imp.statusCode, imp.body).toBe(201);
    const prov = await importText(t.app, `indicator,place,period,value\n16.1.4,MAAGA,${YEAR - 1},55\n`, {
      format: 'csv',
    });
    expect(prov.statusCode, prov.body).toBe(201);
    const people: [string, { role: string; place?: string }[]][] = [
      ['cityAgadir', [{ role: 'city-focal-point', place: 'MAAGA' }]],
      ['nationalMorocco', [{ role: 'national-focal-point', place: 'MAR' }]],
      ['cityAmman', [{ role: 'city-focal-point', place: 'JOAMM' }]],
      ['validatorAgadir', [{ role: 'data-validator', place: 'MAAGA' }]],
      ['reviewerKZ', [{ role: 'reviewer', place: 'KZALA' }]],
      ['reviewerEC', [{ role: 'reviewer', place: 'ECUIO' }]],
      ['admin', [{ role: 'administrator' }]],
    ];
    for (const [name, roles] of people) {
      h[name] = await signedIn(t, `${name.toLowerCase()}@safety.example`, roles);
      ids[name] = (await ok(call('GET', '/api/v1/auth/me', name))).user.id;
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('the framework', () => {
    it('is seeded as UN-Habitat’s confirmed structure: three themes, four indicators under Crime, 11 empty slots', async () => {
      const f = await ok(call('GET', '/api/v1/safety-monitor/framework', null));
      expect(f.version).toBe(1);
      expect(SafetyFrameworkStructure.safeParse(f.structure).success).toBe(true);
      expect(f.structure).toEqual(usmSeedStructure());
      const s = f.structure;
      expect(s.themes.map((x: { names: { en: string } }) => x.names.en)).toEqual([
        'Crime',
        'Community',
        'Local Governance',
      ]);
      expect(s.themes[0].indicators.map((i: { names: { en: string } }) => i.names.en)).toEqual([
        'Crime statistics',
        'Integrated security responses',
        'Perceptions of justice and safety',
        'Justice',
      ]);
      expect(s.themes[1].indicators).toEqual([]);
      expect(s.unplaced).toHaveLength(11);
      expect(
        s.unplaced.every((i: { status: string; names: object }) => i.status === 'slot' && !Object.keys(i.names).length),
      ).toBe(true);
      expect(s.indicatorCount).toBe(15);
      expect(s.themeSplitConfirmed).toBe(false);
      // Every named measure and source is placed by Marsad, to be confirmed.
      for (const ind of s.themes[0].indicators)
        for (const m of ind.measures) {
          expect(m.placement).toBe('marsad');
          for (const d of m.sources) expect(d.placement).toBe('marsad');
        }
      expect(s.source.citation).toMatch(/UN-Habitat, Urban Safety Monitor/);
      expect(JSON.stringify(f)).not.toMatch(/@/); // nobody named
      const v = await ok(call('GET', '/api/v1/safety-monitor/framework/versions', null));
      expect(v.items.map((x: { version: number }) => x.version)).toEqual([1]);
    });

    it('is edited by administrators only, into a new version checked against the catalogue', async () => {
      const current = await ok(call('GET', '/api/v1/safety-monitor/framework', null));
      const edited = structuredClone(current.structure);
      const slot = edited.unplaced.shift();
      edited.themes[1].indicators.push({
        ...slot,
        status: 'added',
        placement: 'administrator',
        names: { en: 'Feeling of safety (test)', ar: 'الشعور بالأمان (اختبار)' },
        measures: [
          {
            code: 'walking-after-dark',
            placement: 'administrator',
            names: { en: 'Walking alone after dark' },
            indicators: ['16.1.4'],
            sources: [],
          },
        ],
      });
      const body = { basedOn: 1, note: 'fill a slot', structure: edited };
      expect((await call('PUT', '/api/v1/safety-monitor/framework', null, body)).statusCode).toBe(401);
      for (const who of ['cityAgadir', 'nationalMorocco', 'reviewerKZ'])
        expect((await call('PUT', '/api/v1/safety-monitor/framework', who, body)).statusCode, who).toBe(403);

      // Problems are named by where they are: an unknown catalogue code, a slot with a name, a count that is off.
      const bad = structuredClone(edited);
      bad.themes[1].indicators[0].measures[0].indicators = ['16.1.4', 'NOPE-9'];
      bad.unplaced[0].names = { en: 'half-filled' };
      const r1 = await call('PUT', '/api/v1/safety-monitor/framework', 'admin', { ...body, structure: bad });
      expect(r1.statusCode, r1.body).toBe(400);
      expect(r1.json().error).toBe('safety_framework_invalid');
      expect(r1.json().details.problems.map((p: { path: string }) => p.path)).toContain('unplaced.0.names');
      const unknownCode = structuredClone(edited);
      unknownCode.themes[1].indicators[0].measures[0].indicators = ['16.1.4', 'NOPE-9'];
      const r2 = await call('PUT', '/api/v1/safety-monitor/framework', 'admin', { ...body, structure: unknownCode });
      expect(r2.statusCode, r2.body).toBe(400);
      expect(r2.json().details.problems).toEqual([
        {
          path: 'themes.1.indicators.0.measures.0.indicators.1',
          message: 'no catalogue indicator "NOPE-9"',
          code: 'NOPE-9',
        },
      ]);
      const short = structuredClone(edited);
      short.unplaced.pop();
      const r3 = await call('PUT', '/api/v1/safety-monitor/framework', 'admin', { ...body, structure: short });
      expect(r3.statusCode).toBe(400);
      expect(r3.json().message).toMatch(/indicatorCount: the framework says 15 indicators; the structure holds 14/);
      expect(
        (await call('PUT', '/api/v1/safety-monitor/framework', 'admin', { ...body, structure: 'x' })).statusCode,
      ).toBe(400);

      const saved = await ok(call('PUT', '/api/v1/safety-monitor/framework', 'admin', body));
      expect(saved.version).toBe(2);
      expect(saved.structure.themes[1].indicators[0].names.en).toBe('Feeling of safety (test)');
      // An edit based on an old version is refused: someone saved meanwhile.
      const stale = await call('PUT', '/api/v1/safety-monitor/framework', 'admin', body);
      expect(stale.statusCode).toBe(409);
      expect(stale.json().error).toBe('safety_version_conflict');
      // Version 1 is kept as it was.
      const v1 = await ok(call('GET', '/api/v1/safety-monitor/framework/versions/1', null));
      expect(v1.structure).toEqual(usmSeedStructure());
      expect((await call('GET', '/api/v1/safety-monitor/framework/versions/9', null)).statusCode).toBe(404);
      const audit = await ok(call('GET', '/api/v1/audit?entityType=safety-framework-version&limit=10', 'admin'));
      expect(audit.items).toHaveLength(1);
    });
  });

  it('documents every route in the OpenAPI document, with its schemas; none lists places', async () => {
    const doc = await ok(call('GET', '/api/openapi.json', null));
    const paths = Object.keys(doc.paths).filter(
      (p) => p.includes('/safety-monitor') || p.includes('/safety-assessments'),
    );
    expect(paths.sort()).toEqual(
      [
        '/api/v1/safety-assessments',
        '/api/v1/safety-assessments/access',
        '/api/v1/safety-assessments/{id}',
        '/api/v1/safety-assessments/{id}/profile',
        '/api/v1/safety-assessments/{id}/submit',
        '/api/v1/safety-monitor/framework',
        '/api/v1/safety-monitor/framework/versions',
        '/api/v1/safety-monitor/framework/versions/{version}',
      ].sort(),
    );
    expect(doc.paths['/api/v1/safety-assessments/{id}'].put.requestBody).toBeTruthy();
    expect(doc.paths['/api/v1/safety-monitor/framework'].put.requestBody).toBeTruthy();
    // The list answers for one place, named by the reader: no parameter sorts or spans places.
    const params = doc.paths['/api/v1/safety-assessments'].get.parameters.map((p: { name: string }) => p.name);
    expect(params).toEqual(['place']);
  });

  describe('self-assessments', () => {
    let first = 0;
    let second = 0;

    it('is refused to the public and to those without a role on the place', async () => {
      expect((await call('GET', '/api/v1/safety-assessments?place=MAAGA', null)).statusCode).toBe(401);
      expect((await call('POST', '/api/v1/safety-assessments', null, { place: 'MAAGA' })).statusCode).toBe(401);
      for (const who of ['cityAmman', 'validatorAgadir', 'reviewerKZ']) {
        expect((await call('POST', '/api/v1/safety-assessments', who, { place: 'MAAGA' })).statusCode, who).toBe(403);
        expect((await call('GET', '/api/v1/safety-assessments?place=MAAGA', who)).statusCode, who).toBe(403);
      }
      expect((await call('POST', '/api/v1/safety-assessments', 'cityAgadir', { place: 'NOPE' })).statusCode).toBe(400);
    });

    it('starts prefilled from the approved observations of the measures’ catalogue indicators', async () => {
      const a = await ok(call('POST', '/api/v1/safety-assessments', 'cityAgadir', { place: 'MAAGA' }), 201);
      first = a.id;
      expect(a).toMatchObject({ state: 'draft', demo: false, frameworkVersion: 2, canWrite: true, previous: null });
      // Crime statistics: 16.1.1 has approved values for 3 periods up to this year, broken down by sex.
      expect(a.prefill['crime-statistics'].checks).toEqual({ exists: true, regular: true, disaggregated: true });
      expect(a.prefill['crime-statistics'].from).toEqual([
        {
          indicator: '16.1.1',
          series: 'VC_IHR_PSRC',
          periods: 3,
          latestPeriod: String(YEAR),
          latestEnd: `${YEAR}-12-31`,
          brokenDown: true,
        },
      ]);
      expect(a.answers['crime-statistics'].checks).toEqual({
        exists: true,
        regular: true,
        disaggregated: true,
        used: null,
      });
      expect(a.answers['crime-statistics'].evidence.observations).toEqual([
        { indicator: '16.1.1', series: 'VC_IHR_PSRC' },
      ]);
      // The filled slot's 16.1.4 has only a provisional value: no approved data, so "no".
      expect(a.prefill['slot-01'].checks).toEqual({ exists: false, regular: false, disaggregated: false });
      // Justice's measure (recidivism) names no catalogue indicator: nothing prefilled.
      expect(a.prefill.justice.checks).toEqual({ exists: null, regular: null, disaggregated: null });
      expect(a.answers.justice.checks).toEqual({ exists: null, regular: null, disaggregated: null, used: null });
      // Empty slots are not assessed.
      expect(Object.keys(a.answers)).not.toContain('slot-02');
      // One draft at a time.
      const again = await call('POST', '/api/v1/safety-assessments', 'nationalMorocco', { place: 'MAAGA' });
      expect(again.statusCode).toBe(409);
      expect(again.json()).toMatchObject({ error: 'safety_assessment_draft_exists', details: { id: first } });
    });

    it('is written by the place’s focal points, read by a reviewer of a cycle of the place, nobody else', async () => {
      const answers: AssessmentAnswers = {
        'crime-statistics': {
          checks: { exists: true, regular: true, disaggregated: true, used: false },
          evidence: { knowledge: [], observations: [{ indicator: '16.1.1', series: 'VC_IHR_PSRC' }] },
          note: 'Police data reach the council yearly',
        },
        justice: {
          checks: { exists: true, regular: false, disaggregated: false, used: false },
          evidence: { knowledge: [], observations: [] },
          note: '',
        },
      };
      const saved = await ok(call('PUT', `/api/v1/safety-assessments/${first}`, 'cityAgadir', { answers }));
      expect(saved.answers['crime-statistics'].note).toBe('Police data reach the council yearly');
      expect(saved.answers['slot-01'].checks.exists).toBe(false); // untouched indicators kept
      await ok(
        call('PUT', `/api/v1/safety-assessments/${first}`, 'nationalMorocco', {
          answers: {
            'integrated-security-responses': {
              checks: { exists: false, regular: false, disaggregated: false, used: false },
              evidence: { knowledge: [], observations: [] },
              note: '',
            },
          },
        }),
      );
      for (const who of ['cityAmman', 'validatorAgadir', 'reviewerKZ']) {
        // A record they may not read is not found (its existence is not told).
        expect((await call('PUT', `/api/v1/safety-assessments/${first}`, who, { answers })).statusCode, who).toBe(404);
        expect((await call('GET', `/api/v1/safety-assessments/${first}`, who)).statusCode, who).toBe(404);
      }
      expect((await call('GET', `/api/v1/safety-assessments/${first}`, null)).statusCode).toBe(401);
      const unknown = await call('PUT', `/api/v1/safety-assessments/${first}`, 'cityAgadir', {
        answers: { 'slot-05': answers.justice },
      });
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json().error).toBe('safety_assessment_unknown_indicator');
      const badEvidence = await call('PUT', `/api/v1/safety-assessments/${first}`, 'cityAgadir', {
        answers: {
          justice: { ...answers.justice, evidence: { knowledge: [99999], observations: [{ indicator: 'NOPE-1' }] } },
        },
      });
      expect(badEvidence.statusCode).toBe(400);
      expect(badEvidence.json()).toMatchObject({
        error: 'safety_assessment_unknown_evidence',
        details: { missing: ['knowledge item 99999', 'indicator "NOPE-1"'] },
      });
      const badCheck = await call('PUT', `/api/v1/safety-assessments/${first}`, 'cityAgadir', {
        answers: { justice: { ...answers.justice, checks: { exists: 'maybe' } } },
      });
      expect(badCheck.statusCode).toBe(400);

      // A reviewer assigned in a review cycle of Agadir, who declared no conflict, reads it (and may not write).
      const versionId = (
        await ok(call('POST', '/api/v1/questionnaires', 'admin', { definition: DEMO_QUESTIONNAIRE }), 201)
      ).version.id;
      const cycle = await ok(
        call('POST', '/api/v1/review-cycles', 'admin', {
          kind: 'safer-cities-peer-review',
          titles: { en: 'Review cycle' },
          startsOn: '2024-01-01',
          questionnaireVersionId: versionId,
          participants: ['MAAGA'],
        }),
        201,
      );
      const submission = cycle.participants[0].submission.id;
      // Reviewers are assigned once the city has submitted its review.
      await ok(
        call('PUT', `/api/v1/review-submissions/${submission}/answers`, 'cityAgadir', {
          answers: {
            institution: 'Test office',
            has_strategy: 'yes',
            strategy_date: '2020-05-01',
            measures_institutions: [{ measure_institutions: 'measure A', measure_indicator: '16.1.1' }],
            measures_coproduction: [{ measure_coproduction: 'co-production measure' }],
            difficulty_evidence: 'difficulty with data',
            need_capacity: 'needs training',
          },
          languages: ['en'],
        }),
      );
      await ok(
        call('POST', `/api/v1/review-submissions/${submission}/transitions`, 'cityAgadir', { action: 'submit' }),
      );
      const assigned = await call('POST', `/api/v1/review-submissions/${submission}/assignments`, 'admin', {
        reviewers: [ids.reviewerKZ],
      });
      expect(assigned.statusCode, assigned.body).toBe(201);
      // Before declaring conflicts: still not a reader.
      expect((await call('GET', `/api/v1/safety-assessments/${first}`, 'reviewerKZ')).statusCode).toBe(404);
      const assignment = (await ok(call('GET', '/api/v1/review-assignments', 'reviewerKZ'))).items[0].id;
      await ok(call('POST', `/api/v1/review-assignments/${assignment}/declaration`, 'reviewerKZ', { conflict: false }));
      const read = await ok(call('GET', `/api/v1/safety-assessments/${first}`, 'reviewerKZ'));
      expect(read.canWrite).toBe(false);
      expect((await ok(call('GET', '/api/v1/safety-assessments?place=MAAGA', 'reviewerKZ'))).items).toHaveLength(1);
      expect(await ok(call('GET', '/api/v1/safety-assessments/access?place=MAAGA', 'reviewerKZ'))).toEqual({
        place: 'MAAGA',
        reads: true,
        writes: false,
      });
      expect((await call('PUT', `/api/v1/safety-assessments/${first}`, 'reviewerKZ', { answers })).statusCode).toBe(
        403,
      );
      expect((await call('POST', `/api/v1/safety-assessments/${first}/submit`, 'reviewerKZ')).statusCode).toBe(403);
      // Another reviewer, not assigned: nothing.
      expect((await call('GET', `/api/v1/safety-assessments/${first}`, 'reviewerEC')).statusCode).toBe(404);
    });

    it('is read-only once submitted; the next one starts from it and shows the change', async () => {
      const s = await ok(call('POST', `/api/v1/safety-assessments/${first}/submit`, 'cityAgadir'));
      expect(s).toMatchObject({ state: 'submitted', canWrite: false });
      expect(s.submittedAt).toBeTruthy();
      const put = await call('PUT', `/api/v1/safety-assessments/${first}`, 'cityAgadir', { answers: {} });
      expect(put.statusCode).toBe(409);
      expect(put.json().error).toBe('safety_assessment_submitted');
      expect((await call('POST', `/api/v1/safety-assessments/${first}/submit`, 'cityAgadir')).statusCode).toBe(409);

      const b = await ok(call('POST', '/api/v1/safety-assessments', 'cityAgadir', { place: 'MAAGA' }), 201);
      second = b.id;
      expect(b.previous).toMatchObject({ id: first });
      // Copied from the last submitted one, prefilled checks put over it.
      expect(b.answers['crime-statistics'].note).toBe('Police data reach the council yearly');
      expect(b.answers['crime-statistics'].checks.used).toBe(false);
      expect(b.answers.justice.checks).toEqual({ exists: true, regular: false, disaggregated: false, used: false });
      expect(b.changes).toEqual([]);
      const changed = await ok(
        call('PUT', `/api/v1/safety-assessments/${second}`, 'cityAgadir', {
          answers: {
            'crime-statistics': {
              ...b.answers['crime-statistics'],
              checks: { ...b.answers['crime-statistics'].checks, used: true },
            },
          },
        }),
      );
      expect(changed.changes).toEqual([
        {
          indicator: 'crime-statistics',
          checks: [{ check: 'used', before: false, after: true }],
          categoryBefore: 'strength',
          categoryAfter: 'strength',
        },
      ]);
      const list = await ok(call('GET', '/api/v1/safety-assessments?place=MAAGA', 'cityAgadir'));
      expect(list.items.map((x: { id: number; state: string }) => [x.id, x.state])).toEqual([
        [first, 'submitted'],
        [second, 'draft'],
      ]);
      const audit = await ok(call('GET', '/api/v1/audit?entityType=safety-assessment&limit=50', 'admin'));
      expect(audit.items.map((x: { action: string }) => x.action).sort()).toEqual(
        ['create', 'create', 'update', 'update', 'update', 'update'].sort(),
      );
    });

    it('gives the one-page profile by the rule of the four checks', async () => {
      const p = await ok(call('GET', `/api/v1/safety-assessments/${first}/profile?lang=en`, 'cityAgadir'));
      const codes = (k: string) => p.profile[k].map((e: { indicator: string }) => e.indicator);
      // crime statistics: exists, regular, disaggregated → strength.
      expect(codes('strengths')).toEqual(['crime-statistics']);
      // justice: exists only (1 yes) → weakest; integrated security responses: none → weakest;
      // the filled slot: prefilled "no data", "used" unanswered → unassessed; perceptions: unanswered.
      expect(codes('weakest')).toEqual(['integrated-security-responses', 'justice']);
      expect(codes('connect')).toEqual([]);
      expect(codes('unassessed')).toEqual(['perceptions-of-justice-and-safety', 'slot-01']);
      expect(p.profile.weakest[1]).toMatchObject({ yes: 1, missing: ['regular', 'disaggregated', 'used'] });
      expect(Object.keys(p.tools).sort()).toEqual(['integrated-security-responses', 'justice']);
      expect((await call('GET', `/api/v1/safety-assessments/${first}/profile`, 'cityAmman')).statusCode).toBe(404);
    });
  });
});
