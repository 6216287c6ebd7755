import { createServer, type ServerOptions } from 'node:http';
import { constants as zlibConstants } from 'node:zlib';
import compress from '@fastify/compress';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { registerAuditRoutes } from './audit/audit-routes.ts';
import { registerAuthRoutes } from './auth/auth-routes.ts';
import type { LoginClock, LoginLimits } from './auth/login-limiter.ts';
import { registerTokenRoutes } from './auth/token-routes.ts';
import { registerCatalogueRoutes } from './catalogue/catalogue-routes.ts';
import type { AppContext } from './context.ts';
import { registerAbandonedReads } from './http/abandoned-reads.ts';
import { answerClientError, MAX_HEADER_BYTES } from './http/client-errors.ts';
import { watchDataChanges } from './http/data-generation.ts';
import { registerErrorHandler } from './http/errors.ts';
import { withLogRedaction } from './http/log-redaction.ts';
import {
  type AnswerKept,
  DEFAULT_PUBLIC_CACHE,
  type PublicCacheOptions,
  registerPublicCache,
} from './http/public-cache.ts';
import { registerRawBodies } from './http/raw-body.ts';
import { registerReplicaReads } from './http/replica-reads.ts';
import { registerSecurityHeaders } from './http/security-headers.ts';
import { registerStorableInputCheck } from './http/storable-input.ts';
import type { TrustProxy } from './http/trust-proxy.ts';
import { registerUnreadBodyGuard } from './http/unread-body.ts';
import { type UploadLimits, uploadLimits } from './http/upload-limits.ts';
import { registerImportRoutes } from './imports/import-routes.ts';
import { registerRepositoryImportRoutes } from './imports/repository-routes.ts';
import { registerIndicatorMetadataRoutes } from './indicators/indicator-metadata-routes.ts';
import { registerIndicatorRoutes } from './indicators/indicator-routes.ts';
import { registerIndicatorRulesRoutes } from './indicators/indicator-rules-routes.ts';
import { registerKnowledgeRoutes, registerKnowledgeUploadRoutes } from './knowledge/knowledge-routes.ts';
import { registerMailRoutes } from './mail/mail-routes.ts';
import { registerMappingRoutes } from './mappings/mapping-routes.ts';
import { registerApprovalRoutes } from './observations/approval-routes.ts';
import { registerEntryRoutes } from './observations/entry-routes.ts';
import { registerObservationRoutes } from './observations/observation-routes.ts';
import { registerTargetRoutes } from './observations/target-routes.ts';
import { registerSyncRoutes } from './offline/sync-routes.ts';
import { registerPlaceRoutes, registerPlaceUploadRoutes } from './places/place-routes.ts';
import { registerBoardReportRoutes } from './reports/board-report-routes.ts';
import { registerPdfReportRoutes } from './reports/pdf-report-routes.ts';
import { registerResultsRoutes } from './results/results-routes.ts';
import { registerQuestionnaireRoutes, registerQuestionnaireUploadRoutes } from './reviews/questionnaire-routes.ts';
import { registerReviewRoutes } from './reviews/review-routes.ts';
import { registerSafetyIndexRoutes } from './safety-index/safety-index-routes.ts';
import { registerSafetyMonitorRoutes } from './safety-monitor/safety-monitor-routes.ts';
import { registerSdmxRoutes, registerSdmxUploadRoutes } from './sdmx/sdmx-routes.ts';
import { registerSdmxRestRoutes } from './sdmx-rest/rest-routes.ts';
import { registerUserRoutes } from './users/user-routes.ts';
import { registerPwaRoutes } from './web/pwa-routes.ts';
import { registerWebRoutes, webBuildStamp } from './web/web-routes.ts';
import { registerWebApiRoutes } from './web-api/web-api-routes.ts';

export interface BuildOptions {
  /** pino logger options, or false for none (tests). */
  logger?: boolean | object;
  /** The sign-in limits, where they differ from DEFAULT_LOGIN_LIMITS (auth/login-limiter.ts). */
  loginLimits?: Partial<LoginLimits>;
  /** The clock of the sign-in limits and their waits (tests give one they move by hand). */
  loginClock?: LoginClock;
  /** Reverse proxies trusted for X-Forwarded-For (MARSAD_TRUST_PROXY; http/trust-proxy.ts); default none. */
  trustProxy?: TrustProxy;
  /** Limits on what uploads unpack to, where they differ from DEFAULT_UPLOAD_LIMITS (MARSAD_UPLOAD_*; http/upload-limits.ts). */
  uploadLimits?: Partial<UploadLimits>;
  /** The cache of public reads (MARSAD_CACHE_MB; http/public-cache.ts): its size, or false for none. */
  publicCache?: Partial<PublicCacheOptions> | false;
  /** Called for every route as it is registered (the authorisation matrix test reads the route table so). */
  onRoute?: (route: RouteOptions) => void;
}

/** The HTTP application: API under /api/v1, OpenAPI 3.1 at /api/openapi.json, docs at /api/docs. */
export async function buildApp(ctx: AppContext, options: BuildOptions = {}): Promise<FastifyInstance> {
  // Public answers kept in memory are sent before Fastify sees the request (http/public-cache.ts, answerKept): a
  // kept answer is bytes and headers, and the framework's request, reply, routing and hooks cost more than it does.
  let answerKept: AnswerKept = () => false;
  const app = Fastify({
    serverFactory: (handler, opts) => {
      // As Fastify makes its HTTP server (lib/server.js), with the cache's listener in front of its own.
      const server = createServer((opts.http ?? {}) as ServerOptions, (req, res) => {
        if (!answerKept(req, res)) handler(req, res);
      });
      server.keepAliveTimeout = Number(opts.keepAliveTimeout ?? 72_000);
      server.requestTimeout = Number(opts.requestTimeout ?? 0);
      server.setTimeout(Number(opts.connectionTimeout ?? 0));
      return server;
    },
    logger: withLogRedaction(options.logger),
    bodyLimit: 20 * 1024 * 1024,
    http: { maxHeaderSize: MAX_HEADER_BYTES },
    clientErrorHandler: answerClientError,
    trustProxy: options.trustProxy ?? false,
    routerOptions: { maxParamLength: 300, ignoreTrailingSlash: true },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  if (options.onRoute) app.addHook('onRoute', options.onRoute);
  registerErrorHandler(app);
  registerSecurityHeaders(app);
  registerUnreadBodyGuard(app);
  registerStorableInputCheck(app);
  // Public reads answered from memory while the data has not changed (first: a hit needs none of the hooks after);
  // then compression of the rest (its hook after the cache's, which keeps answers as they are).
  const generation = await watchDataChanges(ctx.store);
  app.addHook('onClose', () => generation.close());
  answerKept = registerPublicCache(
    app,
    generation,
    options.publicCache === false
      ? { maxBytes: 0, settleMs: 0 }
      : { ...DEFAULT_PUBLIC_CACHE, pageStamp: webBuildStamp, ...options.publicCache },
  );
  // A computed public read goes to a replica that holds the current generation's data (DATABASE_READ_URL).
  registerReplicaReads(app, ctx.store, generation);
  registerAbandonedReads(app);
  await app.register(compress, {
    global: true,
    threshold: 1024,
    encodings: ['br', 'gzip'],
    brotliOptions: { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 4 } },
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Marsad API',
        version: ctx.version,
        description:
          'Marsad, an open urban observatory: indicators, places and observations (SDG 11 and 16.1, the New Urban Agenda, urban safety, adequate housing). Reading approved data is open to all; writing needs an account with a role on the place (a session cookie with X-CSRF-Token, or an API token), or, until the first administrator account exists, the administrator token.',
        license: { name: 'MIT', identifier: 'MIT' },
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'An API token (msd_…)' },
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: 'marsad_session',
            description: 'The session cookie of POST /api/v1/auth/login; writes also need the X-CSRF-Token header',
          },
        },
      },
      tags: [
        { name: 'catalogue', description: 'Indicators, frameworks, SDG goals and targets, dimensions, sources' },
        { name: 'places', description: 'Countries, regions, cities, districts' },
        { name: 'observations', description: 'Values, targets, downloads' },
        { name: 'imports', description: 'Imports of files, all or nothing' },
        {
          name: 'offline',
          description:
            'Work without a connection: the changes a device queued offline, sent in order when back online, each once, never overwriting a value or answer changed meanwhile',
        },
        { name: 'audit', description: 'The append-only audit log' },
        { name: 'accounts', description: 'Sign-in, users, roles on places, grants on records, API tokens' },
        { name: 'settings', description: 'Settings for administrators: the SMTP server for invitation and reset mail' },
        { name: 'reports', description: 'Report pages printed to PDF by Chromium on the server' },
        {
          name: 'reviews',
          description:
            'Review cycles: questionnaires (built in the app or imported from XLSForm), with versions; cycles and participants, submissions, peer review (assignments, conflict declarations, comments, recommendations, transitions, timeline), published reviews, the report to the Executive Board',
        },
        {
          name: 'results',
          description:
            'Programmes and their results frameworks toward 2030: results, measures, baselines, targets, actual values, progress, the 2030 targets of seed 000, budgets, CSV and IATI exports',
        },
        {
          name: 'safety',
          description:
            'Urban safety: the composite safety profile of one place (scores, uncertainty, trajectory, the group as a median and range, never a rank) and its choices',
        },
        {
          name: 'web',
          description: 'Views for the web application: search, latest values, place pages, reporting status, home page',
        },
        {
          name: 'safety-monitor',
          description:
            'The Urban Safety Monitor (UN-Habitat) as a versioned framework, and cities’ private self-assessments against it with their one-page profile',
        },
        {
          name: 'knowledge',
          description:
            'The knowledge repository: practices, tools and documents, their search, versions and files; pilots of tools',
        },
        {
          name: 'network',
          description:
            'The Global Network on Safer Cities: partner organisations, coordination centres, pilot countries and cities; workshops and trainings',
        },
      ],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.get(
    '/api/v1/health',
    { schema: { tags: ['catalogue'], summary: 'Whether the server and its database answer' } },
    async () => {
      await ctx.store.db.selectFrom('settings').select('key').limit(1).execute();
      return { status: 'ok', database: ctx.store.kind, version: ctx.version };
    },
  );

  // The web app (packages/web/dist) when it has been built; else the address leads to the API docs.
  if (!(await registerWebRoutes(app, ctx))) {
    app.get('/', { schema: { hide: true } }, async (_req, reply) => reply.redirect('/api/docs'));
  }
  registerPwaRoutes(app);

  registerAuthRoutes(app, ctx, { loginLimits: options.loginLimits, loginClock: options.loginClock });
  registerUserRoutes(app, ctx);
  registerMailRoutes(app, ctx);
  registerTokenRoutes(app, ctx);
  registerIndicatorRoutes(app, ctx);
  registerIndicatorRulesRoutes(app, ctx);
  registerIndicatorMetadataRoutes(app, ctx);
  registerCatalogueRoutes(app, ctx);
  registerPlaceRoutes(app, ctx);
  registerObservationRoutes(app, ctx);
  registerTargetRoutes(app, ctx);
  registerApprovalRoutes(app, ctx);
  registerEntryRoutes(app, ctx);
  registerSyncRoutes(app, ctx);
  registerMappingRoutes(app, ctx);
  registerAuditRoutes(app, ctx);
  registerWebApiRoutes(app, ctx);
  registerKnowledgeRoutes(app, ctx);
  registerResultsRoutes(app, ctx);
  registerQuestionnaireRoutes(app, ctx);
  registerReviewRoutes(app, ctx);
  registerBoardReportRoutes(app, ctx);
  registerPdfReportRoutes(app, ctx);
  registerSafetyIndexRoutes(app, ctx);
  registerSafetyMonitorRoutes(app, ctx);
  registerSdmxRoutes(app, ctx);
  await registerSdmxRestRoutes(app, ctx);
  const limits = uploadLimits(options.uploadLimits);
  // biome-ignore lint/nursery/noMisusedPromises: Fastify awaits an async plugin (FastifyPluginAsync)
  await app.register(async (raw) => {
    registerRawBodies(raw);
    registerImportRoutes(raw, ctx);
    registerRepositoryImportRoutes(raw, ctx, limits);
    registerPlaceUploadRoutes(raw, ctx, limits);
    registerKnowledgeUploadRoutes(raw, ctx, limits);
    registerQuestionnaireUploadRoutes(raw, ctx, limits);
    registerSdmxUploadRoutes(raw, ctx);
  });
  return app;
}
