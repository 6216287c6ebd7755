/**
 * The SDMX web service under /sdmx/ (docs/sdmx-rest.md): data, structure and availability queries in the syntax of
 * SDMX REST 1.5 (what SDMX 2.1 clients such as rsdmx and sdmx1 send) and of SDMX REST 2 (under /sdmx/v2/), answered
 * in SDMX-ML 2.1 (generic or structure-specific data, structure messages), SDMX-JSON 2.0 and SDMX-CSV 2.0 as the
 * Accept header or the `format` parameter asks. Every error is an SDMX-ML 2.1 error message with the status the
 * standard gives (404 no results, 400 a bad query, 406 a format Marsad does not write, 413 too large, 501 not
 * served); never a 500 for a bad request.
 *
 * One route takes every path under /sdmx/ (request-path.ts reads it; SDMX paths have optional segments Fastify's
 * router cannot express), and the query string is read as written (a `+` stays a `+`: SDMX uses it as AND). The
 * reader's access is that of the JSON API (unpublishedAccess, toFilter). Data is streamed from the database through
 * the writer with back-pressure; an answer that depends on the Accept header is never kept by the cache of public
 * reads (which keys answers by address), unless the `format` parameter fixes it.
 */
import { Readable } from 'node:stream';
import { QueryAbandonedError } from '@marsad/db';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import { unpublishedAccess } from '../observations/observation-filter.ts';
import { availabilityConstraint, partialCodelists } from './availability.ts';
import {
  DATA_CONTENT_TYPES,
  DATA_MEDIA_TYPES,
  negotiateData,
  negotiateStructure,
  STRUCTURE_CONTENT_TYPES,
  STRUCTURE_MEDIA_TYPES,
} from './content-negotiation.ts';
import {
  type DataflowSession,
  type DataLayout,
  type DataQuery,
  dataflowProviders,
  registerDataflowProvider,
} from './dataflows.ts';
import {
  codeOfStatus,
  ERROR_CONTENT_TYPE,
  errorMessageXml,
  noResults,
  notAcceptable,
  notImplemented,
  SdmxError,
  syntaxError,
  tooLarge,
} from './error-message.ts';
import {
  type ArtefactQuery,
  type ComponentFilter,
  dateTimeParameter,
  parseComponentFilter,
  parseKey15,
  parseKeyV2,
  positiveInteger,
  QuerySyntaxError,
} from './key-syntax.ts';
import { marsadDataflowProvider } from './marsad-dataflow.ts';
import { type ApiVersion, parseSdmxPath } from './request-path.ts';
import { sdgDataflowProvider } from './sdg-dataflow.ts';
import type { Artefact, Codelist, Dataflow, DataStructure } from './structure-model.ts';
import { sameRef } from './structure-model.ts';
import { agencyScheme, detailOf, matchArtefacts, referencedArtefacts, withItems } from './structure-query.ts';
import { writeStructureMessage } from './structure-write.ts';

/** The most observations one data answer holds (MARSAD_SDMX_MAX_OBSERVATIONS); more is a 413 before anything is sent. */
export const DEFAULT_MAX_OBSERVATIONS = 5_000_000;

function limitOf(name: string, fallback: number): number {
  const raw = process.env[name]?.trim();
  const n = raw ? Number(raw) : Number.NaN;
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

/** The query string as written: names and values percent-decoded, a `+` kept (SDMX's AND), `c[ID]` gathered. */
export function readQuery(url: string): { params: Record<string, string>; filters: Map<string, ComponentFilter> } {
  const at = url.indexOf('?');
  const params: Record<string, string> = {};
  const filters = new Map<string, ComponentFilter>();
  if (at < 0) return { params, filters };
  for (const part of url.slice(at + 1).split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    let name: string;
    let value: string;
    try {
      name = decodeURIComponent(eq < 0 ? part : part.slice(0, eq));
      value = decodeURIComponent(eq < 0 ? '' : part.slice(eq + 1));
    } catch {
      throw syntaxError(`the query string holds a broken percent-encoding: ${part.slice(0, 100)}`);
    }
    const c = /^c\[(.+)\]$/.exec(name);
    if (c) {
      const id = c[1]!;
      if (filters.has(id)) throw syntaxError(`c[${id}] is given twice: give each component once (c[${id}]=A,B)`);
      filters.set(id, parseComponentFilter(id, value));
    } else params[name] = value;
  }
  return { params, filters };
}

const text = (max: number) => z.string().max(max).optional();
const Params = z.object({
  format: text(60),
  startPeriod: text(60),
  endPeriod: text(60),
  updatedAfter: text(60),
  firstNObservations: text(20),
  lastNObservations: text(20),
  dimensionAtObservation: text(200),
  detail: text(60),
  attributes: text(2000),
  measures: text(2000),
  references: text(200),
  mode: text(40),
  includeHistory: text(10),
  asOf: text(60),
  offset: text(20),
  limit: text(20),
  sort: text(200),
});
type Params = z.infer<typeof Params>;

function paramsOf(raw: Record<string, string>): Params {
  const p = Params.safeParse(raw);
  if (!p.success) {
    const issue = p.error.issues[0];
    throw syntaxError(`${issue?.path.join('.') ?? 'query'}: ${issue?.message ?? 'not valid'}`);
  }
  for (const name of ['asOf', 'offset', 'limit', 'sort'] as const)
    if (p.data[name] !== undefined) throw notImplemented(`the parameter ${name} is not served`);
  if (p.data.includeHistory !== undefined && p.data.includeHistory !== 'false')
    throw notImplemented(
      'includeHistory: the history of values is not served (Marsad keeps it, this service does not give it)',
    );
  return p.data;
}

/** The sessions of the providers whose dataflows a query may name (by agency; null: every provider). */
async function sessionsFor(ctx: AppContext, flows: ArtefactQuery | null): Promise<DataflowSession[]> {
  const providers = dataflowProviders().filter((p) => flows?.agencies == null || flows.agencies.includes(p.agency));
  return Promise.all(providers.map((p) => p.open(ctx)));
}

interface ResolvedFlow {
  session: DataflowSession;
  flow: Dataflow;
  structure: DataStructure;
  artefacts: readonly Artefact[];
}

/** The one dataflow (version) a data or availability query names. */
async function resolveFlow(
  ctx: AppContext,
  context: 'dataflow' | 'datastructure',
  flows: ArtefactQuery,
): Promise<ResolvedFlow> {
  // A data structure's agency is not its dataflows' (IAEG-SDGs:SDG is served by MARSAD:DF_SDG): every provider.
  const sessions = await sessionsFor(ctx, context === 'dataflow' ? flows : null);
  const found: ResolvedFlow[] = [];
  for (const session of sessions) {
    const all = session.artefacts;
    let matched: Artefact[];
    try {
      matched = matchArtefacts(all, [context], flows);
    } catch (err) {
      if (err instanceof SdmxError && err.status === 404) continue;
      throw err;
    }
    for (const m of matched) {
      const flowsOf =
        m.type === 'dataflow'
          ? [m]
          : all.filter((a): a is Dataflow => a.type === 'dataflow' && sameRef(a.structure, m));
      for (const flow of flowsOf) {
        const structure = all.find((a): a is DataStructure => a.type === 'datastructure' && sameRef(a, flow.structure));
        if (structure) found.push({ session, flow, structure, artefacts: all });
      }
    }
  }
  if (!found.length) throw noResults(`No ${context} matches the query`);
  // Several versions of one dataflow (version * or all): the latest.
  const last = found[found.length - 1]!;
  if (found.some((f) => f.flow.agency !== last.flow.agency || f.flow.id !== last.flow.id))
    throw notImplemented(
      `the query names ${new Set(found.map((f) => `${f.flow.agency}:${f.flow.id}`)).size} dataflows: ask for one at a time`,
    );
  return last;
}

function dataQueryOf(
  api: ApiVersion,
  key: string,
  structure: DataStructure,
  p: Params,
  filters: Map<string, ComponentFilter>,
): DataQuery {
  const dims = structure.dimensions.map((d) => d.id);
  return {
    keys: api === '2' ? parseKeyV2(key, dims) : parseKey15(key, dims),
    filters,
    startPeriod: p.startPeriod,
    endPeriod: p.endPeriod,
    updatedAfter: dateTimeParameter('updatedAfter', p.updatedAfter),
    firstNObservations: positiveInteger('firstNObservations', p.firstNObservations),
    lastNObservations: positiveInteger('lastNObservations', p.lastNObservations),
  };
}

/** What the data message holds and how it is laid out: dimensionAtObservation, detail, attributes, measures. */
export function layoutOf(p: Params, structure: DataStructure): DataLayout {
  const at = (p.dimensionAtObservation ?? 'TIME_PERIOD').trim();
  let dimensionAtObservation: DataLayout['dimensionAtObservation'];
  if (at === 'TIME_PERIOD' || at === structure.time.id) dimensionAtObservation = 'TIME_PERIOD';
  else if (at === 'AllDimensions') dimensionAtObservation = 'AllDimensions';
  else if (structure.dimensions.some((d) => d.id === at))
    throw notImplemented(
      `dimensionAtObservation=${at}: cross-sections are not served; use TIME_PERIOD or AllDimensions`,
    );
  else
    throw syntaxError(
      `dimensionAtObservation: "${at}" is not TIME_PERIOD, AllDimensions or a dimension of the structure`,
    );
  // The structure's attributes: those of the series (attached to dimensions, a group or the data set) and of the
  // observation (attached to the primary measure), in its order.
  const all = structure.attributes.map((a) => a.id);
  const ofSeries = structure.attributes.filter((a) => a.attachment !== 'observation').map((a) => a.id);
  const ofObservation = structure.attributes.filter((a) => a.attachment === 'observation').map((a) => a.id);
  let attributes = new Set<string>(all);
  let measures = true;
  let observations = true;
  switch ((p.detail ?? 'full').trim().toLowerCase()) {
    case 'full':
      break;
    case 'dataonly':
      attributes = new Set();
      break;
    case 'serieskeysonly':
      attributes = new Set();
      measures = false;
      observations = false;
      break;
    case 'nodata':
      attributes = new Set(ofSeries);
      observations = false;
      break;
    default:
      throw syntaxError(`detail: "${p.detail}" is not full, dataonly, serieskeysonly or nodata`);
  }
  if (p.attributes !== undefined) {
    const chosen = new Set<string>();
    for (const a of p.attributes.split(',').map((x) => x.trim())) {
      if (a === 'dsd' || a === 'all') for (const x of all) chosen.add(x);
      else if (a === 'obs') for (const x of ofObservation) chosen.add(x);
      else if (a === 'series') for (const x of ofSeries) chosen.add(x);
      else if (a === 'none' || a === 'dataset' || a === 'msd') continue;
      else if (structure.attributes.some((x) => x.id === a)) chosen.add(a);
      else
        throw syntaxError(
          `attributes: "${a}" is not dsd, msd, dataset, series, obs, all, none or an attribute of the structure`,
        );
    }
    attributes = chosen;
  }
  if (p.measures !== undefined) {
    const m = p.measures.split(',').map((x) => x.trim());
    if (m.every((x) => x === 'none')) measures = false;
    else if (m.every((x) => x === 'all' || x === structure.measure.id)) measures = true;
    else throw syntaxError(`measures: "${p.measures}" is not all, none or ${structure.measure.id}`);
  }
  return { dimensionAtObservation, attributes, measures, observations };
}

/** Sends a text answer: kept by the public cache only when the `format` parameter (not Accept) chose it. */
function sendText(reply: FastifyReply, contentType: string, body: string, byParameter: boolean): FastifyReply {
  reply.header('Content-Type', contentType);
  if (byParameter) return reply.send(body);
  reply.header('Vary', 'Accept');
  return reply.send(Readable.from([body]));
}

async function answerData(
  ctx: AppContext,
  req: FastifyRequest,
  reply: FastifyReply,
  r: { api: ApiVersion; context: 'dataflow' | 'datastructure'; flows: ArtefactQuery; key: string },
  p: Params,
  filters: Map<string, ComponentFilter>,
) {
  const format = negotiateData(req.headers.accept, p.format);
  if (format === null)
    throw notAcceptable(
      p.format !== undefined
        ? `format=${p.format}: Marsad writes genericdata, structurespecificdata, jsondata and csvfile`
        : `Not acceptable: ${req.headers.accept}. Marsad writes ${DATA_MEDIA_TYPES.join(', ')}`,
    );
  const { session, flow, structure } = await resolveFlow(ctx, r.context, r.flows);
  const query = dataQueryOf(r.api, r.key, structure, p, filters);
  const layout = layoutOf(p, structure);
  const selection = await session.select(flow, query, await unpublishedAccess(req, ctx));
  const limit = limits();
  const count = await selection.countUpTo(limit);
  if (count > limit)
    throw tooLarge(
      `The query selects more than ${limit.toLocaleString('en')} observations, more than one answer holds: narrow it (a key, startPeriod/endPeriod, c[TIME_PERIOD]=ge:…).`,
    );
  const body = count === 0 ? null : await selection.write(format, layout);
  if (body === null) throw noResults();
  reply.header('Content-Type', DATA_CONTENT_TYPES[format]);
  if (p.format === undefined) reply.header('Vary', 'Accept');
  return reply.send(Readable.from(body));
}

function limits(): number {
  return limitOf('MARSAD_SDMX_MAX_OBSERVATIONS', DEFAULT_MAX_OBSERVATIONS);
}

function structureFormat(req: FastifyRequest, p: Params) {
  const format = negotiateStructure(req.headers.accept, p.format);
  if (format === null)
    throw notAcceptable(
      p.format !== undefined
        ? `format=${p.format}: structures are written as SDMX-ML 2.1 (format=xml)`
        : `Not acceptable: ${req.headers.accept}. Marsad writes structures as ${STRUCTURE_MEDIA_TYPES.join(', ')}`,
    );
  if (format === 'json')
    throw notAcceptable(
      `Structures are written as SDMX-ML 2.1 only (${STRUCTURE_MEDIA_TYPES[0]}, application/xml); SDMX-JSON structure messages are not served yet`,
    );
  return format;
}

async function answerStructure(
  ctx: AppContext,
  req: FastifyRequest,
  reply: FastifyReply,
  r: Extract<ReturnType<typeof parseSdmxPath>, { kind: 'structure' }>,
  p: Params,
) {
  const format = structureFormat(req, p);
  const sessions = await sessionsFor(ctx, null);
  const all: Artefact[] = [agencyScheme(sessions.flatMap((s) => s.agencies)), ...sessions.flatMap((s) => s.artefacts)];
  const detail = detailOf(p.detail);
  const queried = withItems(matchArtefacts(all, r.types, r.artefacts), r.items);
  const related = referencedArtefacts(queried, all, p.references);
  const body = writeStructureMessage({
    artefacts: [
      ...queried.map((artefact) => ({ artefact, stub: detail.queriedStub })),
      ...related.map((artefact) => ({ artefact, stub: detail.referencedStub })),
    ],
  });
  return sendText(reply, STRUCTURE_CONTENT_TYPES[format], body, p.format !== undefined);
}

async function answerAvailability(
  ctx: AppContext,
  req: FastifyRequest,
  reply: FastifyReply,
  r: Extract<ReturnType<typeof parseSdmxPath>, { kind: 'availability' }>,
  p: Params,
  filters: Map<string, ComponentFilter>,
) {
  const format = structureFormat(req, p);
  const mode = (p.mode ?? 'exact').trim();
  if (mode === 'available') throw notImplemented('mode=available is not served; mode=exact is');
  if (mode !== 'exact') throw syntaxError(`mode: "${mode}" is not exact or available`);
  const { session, flow, structure, artefacts } = await resolveFlow(ctx, r.context, r.flows);
  for (const id of filters.keys())
    if (structure.attributes.some((a) => a.id === id) || id === structure.measure.id)
      throw notImplemented(`c[${id}]: availability is given for filters on dimensions and TIME_PERIOD only`);
  const query = dataQueryOf(r.api, r.key, structure, p, filters);
  const selection = await session.select(flow, query, await unpublishedAccess(req, ctx));
  const series = await selection.availability();
  if (!series.length) throw noResults();
  const codelists = artefacts.filter((a): a is Codelist => a.type === 'codelist');
  const constraint = availabilityConstraint(flow, structure, series, r.component, codelists);
  const refs = (p.references ?? 'none').trim().toLowerCase();
  const wanted = new Set(
    refs === 'all'
      ? ['dataflow', 'datastructure', 'conceptscheme', 'codelist']
      : refs === 'none'
        ? []
        : refs.split(','),
  );
  for (const w of wanted)
    if (!['dataflow', 'datastructure', 'conceptscheme', 'codelist', 'dataproviderscheme', 'valuelist'].includes(w))
      throw syntaxError(
        `references: "${w}" is not none, all, dataflow, datastructure, conceptscheme, codelist, dataproviderscheme or valuelist`,
      );
  const included: Artefact[] = [];
  if (wanted.has('dataflow')) included.push(flow);
  if (wanted.has('datastructure')) included.push(structure);
  if (wanted.has('conceptscheme'))
    included.push(
      ...artefacts.filter(
        (a) =>
          a.type === 'conceptscheme' &&
          [...structure.dimensions, structure.time].some((d) => sameRef(d.concept.scheme, a)),
      ),
    );
  if (wanted.has('codelist')) included.push(...partialCodelists(constraint, structure, codelists));
  const body = writeStructureMessage({
    artefacts: included.map((artefact) => ({ artefact, stub: false })),
    constraints: [constraint],
  });
  return sendText(reply, STRUCTURE_CONTENT_TYPES[format], body, p.format !== undefined);
}

/** The segments of the path after /sdmx/, decoded (a trailing slash adds none). */
function segmentsOf(url: string): string[] {
  const path = url
    .split('?')[0]!
    .replace(/^\/sdmx\/*/, '')
    .replace(/\/+$/, '');
  if (path === '') return [];
  return path.split('/').map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      throw syntaxError(`the path holds a broken percent-encoding: ${s.slice(0, 100)}`);
    }
  });
}

async function handle(ctx: AppContext, req: FastifyRequest, reply: FastifyReply) {
  const r = parseSdmxPath(segmentsOf(req.url));
  const { params, filters } = readQuery(req.url);
  const p = paramsOf(params);
  switch (r.kind) {
    case 'not-implemented':
      throw notImplemented(r.what);
    case 'data':
      return answerData(ctx, req, reply, r, p, filters);
    case 'structure':
      return answerStructure(ctx, req, reply, r, p);
    case 'availability':
      return answerAvailability(ctx, req, reply, r, p, filters);
  }
}

/** PostgreSQL's data exceptions (class 22) and program limits: the request's fault (as http/errors.ts). */
function isDataException(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return err instanceof Error && typeof code === 'string' && /^(22[0-9A-Z]{3}|54000)$/.test(code);
}

/** Any error of a request under /sdmx/ as an SDMX error message; only a real fault is a 500 (and logged). */
function sendError(err: unknown, req: FastifyRequest, reply: FastifyReply) {
  let status: number;
  let code: number;
  let message: string;
  if (err instanceof SdmxError) [status, code, message] = [err.status, err.code, err.message];
  else if (err instanceof QuerySyntaxError) [status, code, message] = [400, 140, err.message];
  else if (err instanceof HttpError)
    [status, code, message] = [err.statusCode, codeOfStatus(err.statusCode), err.message];
  else if (err instanceof z.ZodError) [status, code, message] = [400, 140, err.issues[0]?.message ?? 'not valid'];
  else if (
    (err as FastifyError).statusCode &&
    (err as FastifyError).statusCode! >= 400 &&
    (err as FastifyError).statusCode! < 500
  )
    [status, code, message] = [
      (err as FastifyError).statusCode!,
      codeOfStatus((err as FastifyError).statusCode!),
      (err as Error).message,
    ];
  else if (isDataException(err)) {
    req.log.warn({ err }, 'the database refused a value of the request');
    [status, code, message] = [
      400,
      140,
      `The request holds a value the database cannot take: ${(err as Error).message.slice(0, 300)}`,
    ];
  } else if (
    err instanceof QueryAbandonedError ||
    ((err as { code?: unknown }).code === '57014' && reply.raw.destroyed)
  ) {
    req.log.info('a read was stopped: its client has gone');
    [status, code, message] = [499, 500, 'The request was abandoned by its client.'];
  } else if ((err as { code?: unknown }).code === '57014') {
    req.log.warn({ err }, 'a statement of the request ran past the statement timeout');
    reply.header('Retry-After', '10');
    [status, code, message] = [
      503,
      503,
      'The database took too long to answer this query: narrow it, or try again in a moment.',
    ];
  } else {
    req.log.error({ err }, 'request failed');
    [status, code, message] = [500, 500, `Something went wrong on the server; it has been logged (request ${req.id}).`];
  }
  return reply
    .code(status)
    .header('Content-Type', ERROR_CONTENT_TYPE)
    .removeHeader('Vary')
    .send(errorMessageXml(code, message));
}

/**
 * Registers the SDMX web service under /sdmx/, with Marsad's dataflow as its first provider and the SDG dataflow
 * (MARSAD:DF_SDG under IAEG-SDGs:SDG, when that structure is loaded) as its second.
 */
export async function registerSdmxRestRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  registerDataflowProvider(marsadDataflowProvider);
  registerDataflowProvider(sdgDataflowProvider);
  await app.register(
    // biome-ignore lint/nursery/noMisusedPromises: Fastify awaits an async plugin (FastifyPluginAsync)
    async (scope) => {
      scope.setErrorHandler((err, req, reply) => sendError(err, req, reply));
      scope.setNotFoundHandler((req, reply) =>
        sendError(noResults(`No such address: ${req.method} ${req.url.split('?')[0]}`), req, reply),
      );
      const handler = (req: FastifyRequest, reply: FastifyReply) => handle(ctx, req, reply);
      scope.get('/', { schema: { hide: true } }, handler);
      scope.get('/*', { schema: { hide: true } }, handler);
    },
    { prefix: '/sdmx' },
  );
}
