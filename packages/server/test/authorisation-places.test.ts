import { testStoreKinds } from '@marsad/db/testing';
import type { RouteOptions } from 'fastify';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_QUESTIONNAIRE } from '../src/demo/demo-questionnaire.ts';
import { createTestApp, importText, signedIn, TEST_PASSWORD, type TestApp } from './helpers.ts';

/**
 * The authorisation matrix by role and place (issue 4's security bar): every API route that a
 * signed-in user may call, collected from the route table as it is registered, × every role ×
 * own place / another country's place (and, for reads, unpublished data). A route that is not
 * listed here fails the first test, so a new route cannot be left out. Each request is a valid
 * one, so that what is measured is the permission: allowed = 2xx, refused = 403; any other
 * answer is a fault of the request and fails the test.
 */

type Role =
  | 'administrator'
  | 'national-focal-point'
  | 'city-focal-point'
  | 'data-validator'
  | 'reviewer'
  | 'editor'
  | 'no-role';
const ROLES: Role[] = [
  'administrator',
  'national-focal-point',
  'city-focal-point',
  'data-validator',
  'reviewer',
  'editor',
  'no-role',
];

/** Own place: Agadir (the city roles' place, under Morocco, the national focal point's). Other place: Amman, Jordan. */
const OWN = 'MAAGA';
const OTHER = 'JOAMM';

interface Request {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  payload?: string | object | Buffer;
  contentType?: string;
}

let counter = 0;
/** The administrator's session (the first-start token is retired once the administrator account exists). */
let admin: Record<string, string> = {};
const next = () => ++counter;

interface PlaceRoute {
  /** A valid request about the place (prepared with the administrator token where it needs data). */
  request(t: TestApp, place: string): Promise<Request>;
  /** Roles allowed on their own place; on another country's place only administrators are. */
  allowed: Role[];
  /**
   * Whether an answer refuses the request. Default: 403. Imports check row by row and refuse a
   * file with rows of places the importer may not write as invalid rows (422) naming them;
   * lists of values leave out the unpublished values the reader may not see.
   */
  refused?(status: number, body: string, place: string): boolean;
}

const REFUSED_ROWS = (status: number, body: string) =>
  status === 403 ||
  (status === 422 && /you may not|may not (add|write|import)|roles cover other places|not allowed/i.test(body));
/** No value of the place that is not approved in the answer (the values are listed or in a CSV). */
const NO_UNPUBLISHED_OF = (status: number, body: string, place: string) =>
  status === 403 ||
  (status === 200 && !new RegExp(`${place}[^\\n]*(provisional)`).test(body) && !body.includes(`"place":"${place}"`));

/** Routes only administrators may call (users, rules, settings, audit): checked in authorisation-matrix.test.ts. */
const ADMIN_ONLY =
  /^(POST|DELETE|PUT|PATCH) \/api\/v1\/(users|settings|indicators\/:code\/rules|questionnaires|programmes|review-cycles|review-submissions\/:id\/assignments|network\/partners|network\/centres)\b/;

const WRITERS: Role[] = ['national-focal-point', 'city-focal-point'];
const EDITORS: Role[] = ['national-focal-point', 'city-focal-point', 'editor'];
const READERS_OF_UNPUBLISHED: Role[] = ['national-focal-point', 'city-focal-point', 'data-validator'];

/** A provisional value of the place, made by the administrator, for the status route. */
async function provisionalValue(t: TestApp, place: string): Promise<{ period: string }> {
  const period = String(1900 + next());
  const r = await importText(
    t.app,
    `indicator,place,period,value\n11.1.1,${place},${period},5\n`,
    { format: 'csv', status: 'provisional' },
    admin,
  );
  expect(r.statusCode, r.body).toBe(201);
  return { period };
}

/** A small data structure for the export for the UN (the SDG one takes seconds to load), loaded once per database. */
const unStructures = new WeakMap<TestApp, Promise<string>>();
function unStructure(t: TestApp): Promise<string> {
  const loading =
    unStructures.get(t) ??
    (async () => {
      const c = (id: string, tag = 'Dimension', position = '') =>
        `<str:${tag} id="${id}"${position}><str:ConceptIdentity><Ref id="${id}"/></str:ConceptIdentity></str:${tag}>`;
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/v1/sdmx/structures',
        headers: { ...admin, 'content-type': 'application/xml' },
        payload: `<mes:Structure xmlns:mes="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" xmlns:str="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure" xmlns:com="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common"><mes:Header><mes:ID>M</mes:ID><mes:Test>true</mes:Test><mes:Prepared>2026-01-01T00:00:00</mes:Prepared><mes:Sender id="M"/></mes:Header><mes:Structures><str:DataStructures><str:DataStructure agencyID="MATRIX" id="SDG" version="1.0"><com:Name xml:lang="en">Matrix</com:Name><str:DataStructureComponents><str:DimensionList id="D">${c('REF_AREA', 'Dimension', ' position="1"')}${c('TIME_PERIOD', 'TimeDimension', ' position="2"')}</str:DimensionList><str:MeasureList id="M">${c('OBS_VALUE', 'PrimaryMeasure')}</str:MeasureList></str:DataStructureComponents></str:DataStructure></str:DataStructures></mes:Structures></mes:Structure>`,
      });
      expect(r.statusCode, r.body).toBe(200);
      return encodeURIComponent('MATRIX:SDG(1.0)');
    })();
  unStructures.set(t, loading);
  return loading;
}

/** A district under the place, made by the administrator, for the PATCH route. */
async function district(t: TestApp, place: string): Promise<string> {
  const code = `D${next()}`;
  const r = await t.app.inject({
    method: 'POST',
    url: '/api/v1/places',
    headers: admin,
    payload: { places: [{ code, parent: place, level: 'district', names: { en: 'District' } }] },
  });
  expect(r.statusCode, r.body).toBe(201);
  return code;
}

/** A saved column mapping of the place, made by the administrator. */
async function mapping(t: TestApp, place: string): Promise<number> {
  const r = await t.app.inject({
    method: 'POST',
    url: '/api/v1/mappings',
    headers: admin,
    payload: { name: `Mapping ${next()}`, kind: 'columns', place, body: MAPPING_BODY },
  });
  expect(r.statusCode, r.body).toBe(201);
  return (r.json() as { id: number }).id;
}
const MAPPING_BODY = { columns: { 'Victim Gender': { dimension: 'SEX', values: { Female: 'F', Male: 'M' } } } };
/** A mapping the caller may not see is not found for them (its existence is not told); one they see but may not change, 403. */
const HIDDEN_OR_FORBIDDEN = (status: number, body: string) =>
  status === 403 || (status === 404 && body.includes('No saved mapping'));

/** A draft self-assessment of the place (the Urban Safety Monitor), made by the administrator when there is none. */
async function safetyDraft(t: TestApp, place: string): Promise<number> {
  const list = await t.app.inject({ url: `/api/v1/safety-assessments?place=${place}`, headers: admin });
  expect(list.statusCode, list.body).toBe(200);
  const draft = (list.json().items as { id: number; state: string }[]).find((a) => a.state === 'draft');
  if (draft) return draft.id;
  const r = await t.app.inject({
    method: 'POST',
    url: '/api/v1/safety-assessments',
    headers: admin,
    payload: { place },
  });
  expect(r.statusCode, r.body).toBe(201);
  return r.json().id;
}
/** The place with no draft self-assessment (the administrator submits it), so that a new one may start. */
async function noSafetyDraft(t: TestApp, place: string): Promise<void> {
  const id = await safetyDraft(t, place);
  const r = await t.app.inject({ method: 'POST', url: `/api/v1/safety-assessments/${id}/submit`, headers: admin });
  expect(r.statusCode, r.body).toBe(200);
}
/** A self-assessment the reader may not read is not found (its existence is not told), or refused. */
const HIDDEN_ASSESSMENT = (status: number, body: string) =>
  status === 403 || (status === 404 && body.includes('No self-assessment'));

/** A knowledge item owned by the place, made by the administrator. */
async function item(t: TestApp, place: string, type: 'practice' | 'tool' = 'practice'): Promise<number> {
  const r = await t.app.inject({
    method: 'POST',
    url: '/api/v1/knowledge/items',
    headers: admin,
    payload: { type, originalLanguage: 'en', texts: { en: { title: `Item ${next()}` } }, ownerPlace: place },
  });
  expect(r.statusCode, r.body).toBe(201);
  return r.json().id as number;
}

/** A file of an item owned by the place, added by the administrator. */
async function attachment(t: TestApp, place: string): Promise<number> {
  const id = await item(t, place);
  const r = await t.app.inject({
    method: 'POST',
    url: `/api/v1/knowledge/items/${id}/attachments?fileName=notes.txt`,
    headers: { ...admin, 'content-type': 'text/plain' },
    payload: 'Notes of a safety walk.',
  });
  expect(r.statusCode, r.body).toBe(201);
  return r.json().id as number;
}

/** A pilot of a tool at the place, recorded by the administrator. */
async function pilot(t: TestApp, place: string): Promise<number> {
  const tool = await item(t, place, 'tool');
  const r = await t.app.inject({
    method: 'POST',
    url: `/api/v1/knowledge/tools/${tool}/pilots`,
    headers: admin,
    payload: { place, startedOn: '2024-01-01', stage: 'under-way' },
  });
  expect(r.statusCode, r.body).toBe(201);
  return r.json().id as number;
}

/** A workshop at the place, made by the administrator. */
async function workshop(t: TestApp, place: string): Promise<number> {
  const r = await t.app.inject({
    method: 'POST',
    url: '/api/v1/workshops',
    headers: admin,
    payload: {
      kind: 'workshop',
      status: 'published',
      titles: { en: `Workshop ${next()}` },
      place,
      startsOn: '2024-05-01',
    },
  });
  expect(r.statusCode, r.body).toBe(201);
  return r.json().id as number;
}

/** A local indicator owned by the place, made by the administrator, for the PATCH route. */
async function localIndicator(t: TestApp, place: string): Promise<string> {
  const code = `LOC-${next()}`;
  const r = await t.app.inject({
    method: 'POST',
    url: '/api/v1/indicators',
    headers: admin,
    payload: { code, names: { en: 'Local indicator' }, ownerPlace: place },
  });
  expect(r.statusCode, r.body).toBe(201);
  return code;
}

/**
 * A result of a test programme whose responsible place is the place, made by the administrator, for the results routes.
 */
async function result(t: TestApp, place: string): Promise<number> {
  if (!(await t.db.store.db.selectFrom('programmes').select('id').where('code', '=', 'MATRIX').executeTakeFirst())) {
    const p = await t.app.inject({
      method: 'POST',
      url: '/api/v1/programmes',
      headers: admin,
      payload: { code: 'MATRIX', names: { en: 'Matrix' }, startYear: 2020, endYear: 2030 },
    });
    expect(p.statusCode, p.body).toBe(201);
  }
  const r = await t.app.inject({
    method: 'POST',
    url: '/api/v1/results',
    headers: admin,
    payload: { programme: 'MATRIX', level: 'output', titles: { en: 'Output' }, places: [place] },
  });
  expect(r.statusCode, r.body).toBe(201);
  return r.json().id;
}

let reviewVersion = 0;
/**
 * A review submission of the place, in draft, in a cycle of its own (made by the administrator);
 * `complete`: with every required answer given, ready to be submitted.
 */
async function reviewSubmission(t: TestApp, place: string, complete = false): Promise<number> {
  if (!reviewVersion) {
    const q = await t.app.inject({
      method: 'POST',
      url: '/api/v1/questionnaires',
      headers: admin,
      payload: { definition: DEMO_QUESTIONNAIRE },
    });
    expect(q.statusCode, q.body).toBe(201);
    reviewVersion = q.json().version.id;
  }
  const c = await t.app.inject({
    method: 'POST',
    url: '/api/v1/review-cycles',
    headers: admin,
    payload: {
      kind: 'safer-cities-peer-review',
      titles: { en: `Cycle ${next()}` },
      startsOn: '2024-01-01',
      questionnaireVersionId: reviewVersion,
      participants: [place],
    },
  });
  expect(c.statusCode, c.body).toBe(201);
  const id: number = c.json().participants[0].submission.id;
  if (complete) {
    const a = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/review-submissions/${id}/answers`,
      headers: admin,
      payload: { answers: { institution: 'Office', has_strategy: 'no' } },
    });
    expect(a.statusCode, a.body).toBe(200);
  }
  return id;
}

/** A programme-specific measure of such a result, with a target and an actual value for 2030. */
async function measure(t: TestApp, place: string): Promise<number> {
  const r = await t.app.inject({
    method: 'POST',
    url: `/api/v1/results/${await result(t, place)}/measures`,
    headers: admin,
    payload: {
      kind: 'specific',
      names: { en: 'Measure' },
      ascending: true,
      targets: [{ year: 2030, value: 1 }],
      actuals: [{ year: 2030, value: 1 }],
    },
  });
  expect(r.statusCode, r.body).toBe(201);
  return r.json().id;
}

const PLACE_ROUTES: Record<string, PlaceRoute> = {
  'POST /api/v1/imports': {
    allowed: WRITERS,
    refused: REFUSED_ROWS,
    request: async (_t, place) => ({
      method: 'POST',
      url: '/api/v1/imports?format=csv',
      contentType: 'text/csv',
      payload: `indicator,place,period,value\n11.1.1,${place},${1900 + next()},7\n`,
    }),
  },
  'POST /api/v1/entry': {
    allowed: WRITERS,
    request: async (_t, place) => ({
      method: 'POST',
      url: '/api/v1/entry',
      payload: { place, period: String(1900 + next()), entries: [{ indicator: '11.1.1', value: 7 }] },
    }),
  },
  // The changes made offline: each checked as its online route (POST /api/v1/entry, PUT …/answers) checks it, and a
  // refusal answered per change; refused here means every change refused as forbidden (a mix fails the test).
  'POST /api/v1/offline/sync': {
    allowed: WRITERS,
    refused: (status, body) => {
      if (status === 403) return true;
      if (status !== 200) return false;
      const codes = (JSON.parse(body).results as { status: string; code?: string }[]).map((r) => r.code ?? r.status);
      if (new Set(codes).size !== 1) throw new Error(`offline sync: some changes refused, some not: ${body}`);
      return codes[0] === 'forbidden';
    },
    request: async (t, place) => ({
      method: 'POST',
      url: '/api/v1/offline/sync',
      payload: {
        changes: [
          {
            key: `matrix-entry-${next()}`,
            kind: 'entry',
            place,
            period: String(1900 + next()),
            entries: [{ indicator: '11.1.1', value: 7, base: null }],
          },
          {
            key: `matrix-answer-${next()}`,
            kind: 'answer',
            submission: await reviewSubmission(t, place),
            items: [{ name: 'institution', value: 'Office', base: null }],
          },
        ],
      },
    }),
  },
  'PUT /api/v1/entry/draft': {
    allowed: WRITERS,
    request: async (_t, place) => ({
      method: 'PUT',
      url: '/api/v1/entry/draft',
      payload: { place, period: '2024', framework: 'sdg', entries: [{ indicator: '11.1.1', value: '7' }] },
    }),
  },
  'POST /api/v1/places': {
    allowed: WRITERS,
    refused: REFUSED_ROWS,
    request: async (_t, place) => ({
      method: 'POST',
      url: '/api/v1/places',
      payload: { places: [{ code: `D${next()}`, parent: place, level: 'district', names: { en: 'District' } }] },
    }),
  },
  'POST /api/v1/places/import': {
    allowed: WRITERS,
    refused: REFUSED_ROWS,
    request: async (_t, place) => ({
      method: 'POST',
      url: '/api/v1/places/import',
      contentType: 'text/csv',
      payload: `code,parent,level,name_ar,name_en,lat,lon,external_code\nD${next()},${place},district,حي,District,,,\n`,
    }),
  },
  'POST /api/v1/places/boundaries': {
    allowed: WRITERS,
    refused: REFUSED_ROWS,
    request: async (t, place) => {
      const code = await district(t, place);
      const area = {
        type: 'Feature',
        properties: { code },
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [-9.6, 30.4],
              [-9.5, 30.4],
              [-9.5, 30.5],
              [-9.6, 30.4],
            ],
          ],
        },
      };
      return {
        method: 'POST',
        url: '/api/v1/places/boundaries?matchProperty=code',
        contentType: 'application/geo+json',
        payload: JSON.stringify({ type: 'FeatureCollection', features: [area] }),
      };
    },
  },
  'POST /api/v1/imports/repository': {
    allowed: WRITERS,
    refused: REFUSED_ROWS,
    request: async (_t, place) => {
      const zip = new JSZip();
      zip.file('data/indicator_11-1-1.csv', `Year,Value\n${2000 + (next() % 500)},${next() % 90}\n`);
      return {
        method: 'POST',
        url: `/api/v1/imports/repository?place=${place}`,
        contentType: 'application/zip',
        payload: await zip.generateAsync({ type: 'nodebuffer' }),
      };
    },
  },
  // Self-assessments against the Urban Safety Monitor (migration 032): the place's focal points write them.
  'POST /api/v1/safety-assessments': {
    allowed: WRITERS,
    request: async (t, place) => {
      await noSafetyDraft(t, place);
      return { method: 'POST', url: '/api/v1/safety-assessments', payload: { place } };
    },
  },
  'PUT /api/v1/safety-assessments/:id': {
    allowed: WRITERS,
    refused: HIDDEN_ASSESSMENT,
    request: async (t, place) => ({
      method: 'PUT',
      url: `/api/v1/safety-assessments/${await safetyDraft(t, place)}`,
      payload: { answers: {} },
    }),
  },
  'POST /api/v1/safety-assessments/:id/submit': {
    allowed: WRITERS,
    refused: HIDDEN_ASSESSMENT,
    request: async (t, place) => ({
      method: 'POST',
      url: `/api/v1/safety-assessments/${await safetyDraft(t, place)}/submit`,
    }),
  },
  'GET /api/v1/safety-assessments': {
    allowed: WRITERS,
    request: async (_t, place) => ({ method: 'GET', url: `/api/v1/safety-assessments?place=${place}` }),
  },
  'GET /api/v1/safety-assessments/:id': {
    allowed: WRITERS,
    refused: HIDDEN_ASSESSMENT,
    request: async (t, place) => ({ method: 'GET', url: `/api/v1/safety-assessments/${await safetyDraft(t, place)}` }),
  },
  // Saved mappings (migration 019): changed by those who may import for the place.
  'POST /api/v1/mappings': {
    allowed: WRITERS,
    request: async (_t, place) => ({
      method: 'POST',
      url: '/api/v1/mappings',
      payload: { name: `Mapping ${next()}`, kind: 'columns', place, body: MAPPING_BODY },
    }),
  },
  'PUT /api/v1/mappings/:id': {
    allowed: WRITERS,
    refused: HIDDEN_OR_FORBIDDEN,
    request: async (t, place) => ({
      method: 'PUT',
      url: `/api/v1/mappings/${await mapping(t, place)}`,
      payload: { name: `Mapping ${next()}`, kind: 'columns', place, body: MAPPING_BODY },
    }),
  },
  'DELETE /api/v1/mappings/:id': {
    allowed: WRITERS,
    refused: HIDDEN_OR_FORBIDDEN,
    request: async (t, place) => ({ method: 'DELETE', url: `/api/v1/mappings/${await mapping(t, place)}` }),
  },
  'PATCH /api/v1/places/:code': {
    allowed: WRITERS,
    request: async (t, place) => ({
      method: 'PATCH',
      url: `/api/v1/places/${await district(t, place)}`,
      payload: { lat: 30 + (next() % 10) / 100 },
    }),
  },
  'POST /api/v1/targets': {
    allowed: WRITERS,
    request: async (_t, place) => ({
      method: 'POST',
      url: '/api/v1/targets',
      payload: { indicator: '11.1.1', place, year: 2030, value: next() },
    }),
  },
  'POST /api/v1/indicators': {
    allowed: WRITERS,
    request: async (_t, place) => ({
      method: 'POST',
      url: '/api/v1/indicators',
      payload: { code: `LOC-${next()}`, names: { en: 'Local indicator' }, ownerPlace: place },
    }),
  },
  'PATCH /api/v1/indicators/:code': {
    allowed: WRITERS,
    request: async (t, place) => ({
      method: 'PATCH',
      url: `/api/v1/indicators/${await localIndicator(t, place)}`,
      payload: { names: { fr: 'Indicateur local' } },
    }),
  },
  'PATCH /api/v1/indicators/:code/metadata': {
    allowed: WRITERS,
    request: async (t, place) => ({
      method: 'PATCH',
      url: `/api/v1/indicators/${await localIndicator(t, place)}/metadata`,
      payload: { source: 'City statistics office', fields: { comments_limitations: { fr: `Note ${next()}` } } },
    }),
  },
  'POST /api/v1/observations/status': {
    allowed: ['data-validator'],
    request: async (t, place) => ({
      method: 'POST',
      url: '/api/v1/observations/status',
      payload: {
        observations: [{ indicator: '11.1.1', place, period: (await provisionalValue(t, place)).period }],
        to: 'validated',
      },
    }),
  },
  // Results frameworks: national focal points for the results of their places.
  'POST /api/v1/results': {
    allowed: ['national-focal-point'],
    request: async (t, place) => {
      await result(t, place);
      return {
        method: 'POST',
        url: '/api/v1/results',
        payload: { programme: 'MATRIX', level: 'output', titles: { en: 'Output' }, places: [place] },
      };
    },
  },
  'PATCH /api/v1/results/:id': {
    allowed: ['national-focal-point'],
    request: async (t, place) => ({
      method: 'PATCH',
      url: `/api/v1/results/${await result(t, place)}`,
      payload: { status: 'under-way' },
    }),
  },
  'DELETE /api/v1/results/:id': {
    allowed: ['national-focal-point'],
    request: async (t, place) => ({ method: 'DELETE', url: `/api/v1/results/${await result(t, place)}` }),
  },
  'POST /api/v1/results/:id/measures': {
    allowed: ['national-focal-point'],
    request: async (t, place) => ({
      method: 'POST',
      url: `/api/v1/results/${await result(t, place)}/measures`,
      payload: { kind: 'indicator', indicator: '16.1.1', places: [place] },
    }),
  },
  'PATCH /api/v1/result-measures/:id': {
    allowed: ['national-focal-point'],
    request: async (t, place) => ({
      method: 'PATCH',
      url: `/api/v1/result-measures/${await measure(t, place)}`,
      payload: { weight: 2 },
    }),
  },
  'DELETE /api/v1/result-measures/:id': {
    allowed: ['national-focal-point'],
    request: async (t, place) => ({ method: 'DELETE', url: `/api/v1/result-measures/${await measure(t, place)}` }),
  },
  'PUT /api/v1/result-measures/:id/targets': {
    allowed: ['national-focal-point'],
    request: async (t, place) => ({
      method: 'PUT',
      url: `/api/v1/result-measures/${await measure(t, place)}/targets`,
      payload: { year: 2029, value: 2 },
    }),
  },
  'DELETE /api/v1/result-measures/:id/targets/:year': {
    allowed: ['national-focal-point'],
    request: async (t, place) => ({
      method: 'DELETE',
      url: `/api/v1/result-measures/${await measure(t, place)}/targets/2030`,
    }),
  },
  'PUT /api/v1/result-measures/:id/actuals': {
    allowed: ['national-focal-point'],
    request: async (t, place) => ({
      method: 'PUT',
      url: `/api/v1/result-measures/${await measure(t, place)}/actuals`,
      payload: { year: 2029, value: 2 },
    }),
  },
  'DELETE /api/v1/result-measures/:id/actuals/:year': {
    allowed: ['national-focal-point'],
    request: async (t, place) => ({
      method: 'DELETE',
      url: `/api/v1/result-measures/${await measure(t, place)}/actuals/2030`,
    }),
  },
  // Review submissions: the focal points of the place write and submit the answers (administrators too).
  'PUT /api/v1/review-submissions/:id/answers': {
    allowed: WRITERS,
    request: async (t, place) => ({
      method: 'PUT',
      url: `/api/v1/review-submissions/${await reviewSubmission(t, place)}/answers`,
      payload: { answers: { institution: 'Office' } },
    }),
  },
  'POST /api/v1/review-submissions/:id/transitions': {
    allowed: WRITERS,
    request: async (t, place) => ({
      method: 'POST',
      url: `/api/v1/review-submissions/${await reviewSubmission(t, place, true)}/transitions`,
      payload: { action: 'submit' },
    }),
  },
  // The knowledge repository: editors and focal points for what their places own; pilots by focal points.
  'POST /api/v1/knowledge/items': {
    allowed: EDITORS,
    request: async (_t, place) => ({
      method: 'POST',
      url: '/api/v1/knowledge/items',
      payload: {
        type: 'practice',
        originalLanguage: 'en',
        texts: { en: { title: `Practice ${next()}` } },
        ownerPlace: place,
      },
    }),
  },
  'PATCH /api/v1/knowledge/items/:id': {
    allowed: EDITORS,
    request: async (t, place) => ({
      method: 'PATCH',
      url: `/api/v1/knowledge/items/${await item(t, place)}`,
      payload: { keywords: ['safety walk'] },
    }),
  },
  'DELETE /api/v1/knowledge/items/:id': {
    allowed: EDITORS,
    request: async (t, place) => ({ method: 'DELETE', url: `/api/v1/knowledge/items/${await item(t, place)}` }),
  },
  'POST /api/v1/knowledge/items/:id/attachments': {
    allowed: EDITORS,
    request: async (t, place) => ({
      method: 'POST',
      url: `/api/v1/knowledge/items/${await item(t, place)}/attachments?fileName=notes.txt`,
      contentType: 'text/plain',
      payload: 'Notes of a safety walk.',
    }),
  },
  'DELETE /api/v1/knowledge/attachments/:id': {
    allowed: EDITORS,
    request: async (t, place) => ({
      method: 'DELETE',
      url: `/api/v1/knowledge/attachments/${await attachment(t, place)}`,
    }),
  },
  'POST /api/v1/knowledge/tools/:id/pilots': {
    allowed: WRITERS,
    request: async (t, place) => ({
      method: 'POST',
      url: `/api/v1/knowledge/tools/${await item(t, OWN, 'tool')}/pilots`,
      payload: { place, startedOn: '2024-01-01', stage: 'planned' },
    }),
  },
  'PATCH /api/v1/knowledge/pilots/:id': {
    allowed: WRITERS,
    request: async (t, place) => ({
      method: 'PATCH',
      url: `/api/v1/knowledge/pilots/${await pilot(t, place)}`,
      payload: { stage: 'completed' },
    }),
  },
  'DELETE /api/v1/knowledge/pilots/:id': {
    allowed: WRITERS,
    request: async (t, place) => ({ method: 'DELETE', url: `/api/v1/knowledge/pilots/${await pilot(t, place)}` }),
  },
  'POST /api/v1/workshops': {
    allowed: EDITORS,
    request: async (_t, place) => ({
      method: 'POST',
      url: '/api/v1/workshops',
      payload: { kind: 'training', titles: { en: `Training ${next()}` }, place, startsOn: '2024-06-01' },
    }),
  },
  'PATCH /api/v1/workshops/:id': {
    allowed: EDITORS,
    request: async (t, place) => ({
      method: 'PATCH',
      url: `/api/v1/workshops/${await workshop(t, place)}`,
      payload: { online: true },
    }),
  },
  'DELETE /api/v1/workshops/:id': {
    allowed: EDITORS,
    request: async (t, place) => ({ method: 'DELETE', url: `/api/v1/workshops/${await workshop(t, place)}` }),
  },
  // Reads of unpublished data.
  'GET /api/v1/review-submissions/:id': {
    allowed: WRITERS,
    request: async (t, place) => ({
      method: 'GET',
      url: `/api/v1/review-submissions/${await reviewSubmission(t, place)}`,
    }),
  },
  'GET /api/v1/review-submissions/:id/timeline': {
    allowed: WRITERS,
    request: async (t, place) => ({
      method: 'GET',
      url: `/api/v1/review-submissions/${await reviewSubmission(t, place)}/timeline`,
    }),
  },
  'GET /api/v1/review-submissions/:id/comments': {
    allowed: WRITERS,
    request: async (t, place) => ({
      method: 'GET',
      url: `/api/v1/review-submissions/${await reviewSubmission(t, place)}/comments`,
    }),
  },
  // The export for the UN of the place's country with every status: national readers of its unpublished values.
  'GET /api/v1/sdmx/export': {
    allowed: ['national-focal-point'],
    request: async (t, place) => ({
      method: 'GET',
      url: `/api/v1/sdmx/export?place=${place === OWN ? 'MAR' : 'JOR'}&status=all&structure=${await unStructure(t)}`,
    }),
  },
  'GET /api/v1/observations': {
    allowed: READERS_OF_UNPUBLISHED,
    refused: NO_UNPUBLISHED_OF,
    request: async (_t, place) => ({ method: 'GET', url: `/api/v1/observations?place=${place}&status=provisional` }),
  },
  // A value's history (approval steps with who and why): those who may see the place's unpublished values.
  'GET /api/v1/observations/history': {
    allowed: READERS_OF_UNPUBLISHED,
    request: async (t, place) => ({
      method: 'GET',
      url: `/api/v1/observations/history?indicator=11.1.1&place=${place}&period=${(await provisionalValue(t, place)).period}`,
    }),
  },
  'GET /api/v1/observations/export': {
    allowed: READERS_OF_UNPUBLISHED,
    refused: NO_UNPUBLISHED_OF,
    request: async (_t, place) => ({
      method: 'GET',
      url: `/api/v1/observations/export?place=${place}&status=provisional&format=csv`,
    }),
  },
  // The SDMX web service shows each reader what /api/v1/observations shows them (sdmx-rest/data-query.ts); a place with
  // no value the reader may see has no results (404).
  'GET /sdmx/*': {
    allowed: READERS_OF_UNPUBLISHED,
    refused: (status, body, place) => status === 404 || NO_UNPUBLISHED_OF(status, body, place),
    request: async (_t, place) => ({ method: 'GET', url: `/sdmx/data/DF_MARSAD/..${place}?format=csv` }),
  },
  'GET /api/v1/entry/form': {
    allowed: WRITERS,
    request: async (_t, place) => ({ method: 'GET', url: `/api/v1/entry/form?place=${place}&period=2024` }),
  },
};

/**
 * Routes that act on the caller's own account, or on nothing of a place, or are open to the
 * public or to administrators only (those are checked by authorisation-matrix.test.ts).
 */
const NOT_PLACE_SCOPED = new Set([
  'POST /api/v1/auth/login',
  'POST /api/v1/auth/accept',
  'POST /api/v1/auth/logout',
  'POST /api/v1/auth/password',
  'POST /api/v1/tokens',
  'DELETE /api/v1/tokens/:id',
  'DELETE /api/v1/entry/draft',
  // SDMX structures and constraints: administrators only (the other matrix).
  'POST /api/v1/sdmx/structures',
  'POST /api/v1/sdmx/constraints',
  // The Urban Safety Monitor's framework: administrators only, for every place alike (the other matrix).
  'PUT /api/v1/safety-monitor/framework',
  // The composite safety index's choices: administrators only, for every place alike (the other matrix).
  'PUT /api/v1/safety/choices',
  // Reviews: administrators only (the other matrix); reached through a grant on one submission (the test below,
  // reviews.test.ts).
  'DELETE /api/v1/review-assignments/:id',
  'POST /api/v1/review-assignments/:id/declaration',
  'POST /api/v1/review-submissions/:id/comments',
  'POST /api/v1/review-submissions/:id/recommendations',
]);

describe.each(testStoreKinds())('authorisation by role and place on %s', (kind) => {
  let t: TestApp;
  const routes: { method: string; url: string }[] = [];
  const headers = new Map<Role, Record<string, string>>();

  beforeAll(async () => {
    t = await createTestApp(kind, {
      build: {
        onRoute: (r: RouteOptions) => {
          for (const method of [r.method].flat()) routes.push({ method, url: r.url });
        },
      },
    });
    // The administrator last: its account retires the first-start token that signedIn uses.
    for (const role of [...ROLES.filter((r) => r !== 'administrator'), 'administrator' as const]) {
      const roles =
        role === 'no-role'
          ? []
          : role === 'administrator'
            ? [{ role }]
            : [{ role, place: role === 'national-focal-point' ? 'MAR' : OWN }];
      headers.set(role, await signedIn(t, `${role}@matrix.example`, roles));
    }
    admin = headers.get('administrator')!;
    reviewVersion = 0; // the questionnaire of the review routes is made again in this database
    // Unpublished values in both places, for the reads.
    for (const place of [OWN, OTHER]) await provisionalValue(t, place);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('knows every write route a signed-in user may call, and every route here exists', () => {
    const key = (r: { method: string; url: string }) => `${r.method} ${r.url}`;
    const api = routes.filter((r) => /^\/(api|sdmx)\//.test(r.url) && r.method !== 'HEAD');
    const writes = api.filter((r) => r.method !== 'GET').map(key);
    // Administrator-only routes answer a signed-in user without the role with 403 whatever the place; they are in the
    // other matrix.
    const unknown = writes.filter((k) => !(k in PLACE_ROUTES) && !NOT_PLACE_SCOPED.has(k) && !ADMIN_ONLY.test(k));
    expect(unknown, 'write routes missing from the role × place matrix').toEqual([]);
    const registered = new Set(api.map(key));
    expect(Object.keys(PLACE_ROUTES).filter((k) => !registered.has(k))).toEqual([]);
  });

  it('review routes reached through a grant: the assigned reviewer passes, a reviewer without the grant gets 403', async () => {
    /** A reviewer account made with the administrator's session (the first-start token is retired by now). */
    const reviewer = async (email: string, place: string) => {
      const inv = await t.app.inject({
        method: 'POST',
        url: '/api/v1/users',
        headers: admin,
        payload: { email, roles: [{ role: 'reviewer', place }] },
      });
      expect(inv.statusCode, inv.body).toBe(201);
      const token = new URL(inv.json().invitationUrl, 'http://x').searchParams.get('token');
      expect(
        (
          await t.app.inject({
            method: 'POST',
            url: '/api/v1/auth/accept',
            payload: { token, password: TEST_PASSWORD },
          })
        ).statusCode,
      ).toBe(200);
      const login = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email, password: TEST_PASSWORD },
      });
      return {
        id: inv.json().user.id as number,
        headers: {
          cookie: String(login.headers['set-cookie']).split(';')[0]!,
          'x-csrf-token': login.json().csrfToken as string,
        },
      };
    };
    const send = (headers: Record<string, string>, method: 'GET' | 'POST', url: string, payload?: object) =>
      t.app.inject({
        method,
        url,
        headers: { ...headers, ...(payload ? { 'content-type': 'application/json' } : {}) },
        ...(payload ? { payload: JSON.stringify(payload) } : {}),
      });
    // Amman's submission (Jordan); reviewers from Kazakhstan and Ecuador hold the grant; the matrix's reviewer (Agadir)
    // does not.
    const id = await reviewSubmission(t, OTHER, true);
    expect(
      (await send(admin, 'POST', `/api/v1/review-submissions/${id}/transitions`, { action: 'submit' })).statusCode,
    ).toBe(200);
    const kz = await reviewer(`kz-${next()}@matrix.example`, 'KZALA');
    const ec = await reviewer(`ec-${next()}@matrix.example`, 'ECUIO');
    const assigned = await send(admin, 'POST', `/api/v1/review-submissions/${id}/assignments`, {
      reviewers: [kz.id, ec.id],
    });
    expect(assigned.statusCode, assigned.body).toBe(201);
    for (const [r, a] of [
      [kz, assigned.json().items[0]],
      [ec, assigned.json().items[1]],
    ] as const) {
      expect(
        (await send(r.headers, 'POST', `/api/v1/review-assignments/${a.id}/declaration`, { conflict: false }))
          .statusCode,
      ).toBe(200);
    }
    expect(
      (await send(admin, 'POST', `/api/v1/review-submissions/${id}/transitions`, { action: 'start-review' }))
        .statusCode,
    ).toBe(200);
    const granted: [string, 'GET' | 'POST', string, object?][] = [
      ['read', 'GET', `/api/v1/review-submissions/${id}`],
      ['timeline', 'GET', `/api/v1/review-submissions/${id}/timeline`],
      ['comments', 'GET', `/api/v1/review-submissions/${id}/comments`],
      [
        'comment',
        'POST',
        `/api/v1/review-submissions/${id}/comments`,
        { body: 'A comment', questionPath: 'institution' },
      ],
      ['recommend', 'POST', `/api/v1/review-submissions/${id}/recommendations`, { recommendation: 'accept' }],
    ];
    const wrong: string[] = [];
    for (const [name, method, url, payload] of granted) {
      const withGrant = await send(kz.headers, method, url, payload);
      if (withGrant.statusCode >= 300)
        wrong.push(`${name} with the grant: ${withGrant.statusCode} ${withGrant.body.slice(0, 200)}`);
      for (const role of ['reviewer', 'city-focal-point', 'national-focal-point', 'no-role'] as const) {
        const without = await send(headers.get(role)!, method, url, payload);
        if (without.statusCode !== 403) wrong.push(`${name} as ${role} without a grant: ${without.statusCode}`);
      }
    }
    // A declaration is the assigned reviewer's own.
    const other = await send(
      headers.get('reviewer')!,
      'POST',
      `/api/v1/review-assignments/${assigned.json().items[0].id}/declaration`,
      { conflict: false },
    );
    if (other.statusCode !== 403) wrong.push(`declaration by another reviewer: ${other.statusCode}`);
    expect(wrong).toEqual([]);
  });

  it('a grant on one knowledge item lets a user without a role edit that item, and no other', async () => {
    const granted = await item(t, OTHER);
    const notGranted = await item(t, OTHER);
    const users = await t.app.inject({ url: '/api/v1/users?q=no-role%40matrix.example', headers: admin });
    const userId = (users.json().items as { id: number; email: string }[]).find(
      (u) => u.email === 'no-role@matrix.example',
    )!.id;
    const g = await t.app.inject({
      method: 'POST',
      url: `/api/v1/users/${userId}/grants`,
      headers: admin,
      payload: { recordType: 'knowledge-item', recordId: String(granted), permission: 'edit' },
    });
    expect(g.statusCode, g.body).toBeLessThan(300);
    // A new session: roles and grants are read when the actor is resolved.
    const fresh = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'no-role@matrix.example', password: TEST_PASSWORD },
    });
    const h = {
      cookie: String(fresh.headers['set-cookie']).split(';')[0]!,
      'x-csrf-token': fresh.json().csrfToken as string,
      'content-type': 'application/json',
    };
    const ok = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/knowledge/items/${granted}`,
      headers: h,
      payload: JSON.stringify({ keywords: ['granted'] }),
    });
    expect(ok.statusCode, ok.body).toBe(200);
    const no = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/knowledge/items/${notGranted}`,
      headers: h,
      payload: JSON.stringify({ keywords: ['not granted'] }),
    });
    expect([403, 404]).toContain(no.statusCode);
  });

  for (const [route, spec] of Object.entries(PLACE_ROUTES)) {
    it(`${route}: own place for ${spec.allowed.join(', ')} and administrators; another country's place for administrators only`, async () => {
      const wrong: string[] = [];
      // The administrator last: its account retires the first-start token that signedIn uses.
      for (const role of [...ROLES.filter((r) => r !== 'administrator'), 'administrator' as const]) {
        for (const [where, place] of [
          ['own', OWN],
          ['other', OTHER],
        ] as const) {
          const req = await spec.request(t, place);
          const res = await t.app.inject({
            method: req.method,
            url: req.url,
            headers: {
              ...headers.get(role)!,
              ...(req.payload !== undefined ? { 'content-type': req.contentType ?? 'application/json' } : {}),
            },
            ...(req.payload !== undefined
              ? {
                  payload:
                    typeof req.payload === 'string' || Buffer.isBuffer(req.payload)
                      ? req.payload
                      : JSON.stringify(req.payload),
                }
              : {}),
          });
          const expected =
            role === 'administrator' || (where === 'own' && spec.allowed.includes(role)) ? 'allowed' : 'refused';
          const refused = spec.refused ? spec.refused(res.statusCode, res.body, place) : res.statusCode === 403;
          const got = refused
            ? 'refused'
            : res.statusCode < 300
              ? 'allowed'
              : `answered ${res.statusCode}: ${res.body.slice(0, 200)}`;
          if (got !== expected) wrong.push(`${role} on ${where} place (${place}): ${got}, expected ${expected}`);
        }
      }
      expect(wrong).toEqual([]);
    });
  }
});
