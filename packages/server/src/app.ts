import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions, type RouteOptions } from 'fastify';
import swagger from '@fastify/swagger';
import fastifyStatic from '@fastify/static';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { portalUrlOf, type Config } from './config.js';
import { openDatabase, type DatabaseHandle } from './db/database.js';
import { createLogger, type Logger } from './logger.js';
import { AuthorizationIndex, type IndexOptions } from './services/authorization-index.js';
import { loadCatalogue, type Context } from './services/context.js';
import { nameCache } from './services/parties.js';
import { outboundClient } from './adapters/guarded-fetch.js';
import { catalogueVersion, reloadCatalogue } from './services/catalogue.service.js';
import { demoFixture, type Fixture } from './registers/fixture.js';
import { hashSecret, isCatalogueSeeded, isSeeded, seedCatalogue, seedFixture } from './registers/seed.js';
import { ApiClients } from './http/auth.js';
import { accessStep } from './http/access-hook.js';
import { readCookies } from './http/cookies.js';
import { registerRequestGate } from './http/request-gate.js';
import { upsertApiClient } from './repositories/sessions.repository.js';
import { clientErrorHandler, errorHandler, frameworkErrors, sendProblem } from './http/problem.js';
import { assertStorable, assertStorableJson, assertStorableRequest } from './http/text-input.js';
import { localDateFormat } from './http/formats.js';
import { csrfProtection } from './http/csrf.js';
import { runFirstOnSend, securityHeaders } from './http/security-headers.js';
import { clientRateLimit } from './http/rate-limit.js';
import { otelEnabled } from './telemetry/enabled.js';
import { traceRequests } from './telemetry/tracing.js';
import { lazyChildLogger, REQUEST_ID_HEADER, RequestTelemetry, requestIdOf } from './http/telemetry.js';
import { PUBLIC, sharedSchemas } from './http/schemas.js';
import { openApi30Examples } from './http/openapi.js';
import { vendorRoutes } from './http/routes/vendor.js';
import { citizenRoutes } from './http/routes/citizen.js';
import { usageLogRoutes } from './http/routes/usage-log.js';
import { dataExportRoutes } from './http/routes/data-export.js';
import { peopleRoutes } from './http/routes/people.js';
import { errandRoutes } from './http/routes/errands.js';
import { react } from './services/reactions.js';
import { partyRequestRoutes } from './http/routes/party-requests.js';
import { staffRoutes } from './http/routes/staff.js';
import { publicRoutes } from './http/routes/public.js';
import { authOidcRoutes } from './http/routes/auth-oidc.js';
import { catalogueRoutes } from './http/routes/catalogue.js';
import { ptvRoutes } from './http/routes/ptv.js';
import { assertMetricsToken, messageRoutes } from './http/routes/messages.js';
import { demoRoutes, type DemoOutboxSource } from './http/routes/demo.js';
import { DeliveryWorker } from './notifications/worker.js';
import { createMetrics } from './notifications/metrics.js';
import { scheduleDailyJobs } from './notifications/scheduler.js';
import { channelsFromConfig, startDemoChannels } from './notifications/wiring.js';
import type { Simulators } from './simulators/index.js';
import type { ChannelAdapter, ChannelName } from './notifications/types.js';

/**
 * Runs `work` while holding a PostgreSQL advisory lock (session level, on a connection of its own,
 * taken with short tries so that no statement waits past the statement time limit). On the
 * embedded database there is one process and one connection: it just runs.
 */
async function oneAtATime(h: DatabaseHandle, name: string, work: () => Promise<void>): Promise<void> {
  if (h.kind !== 'postgres') return work();
  await h.db.connection().execute(async (conn) => {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const r = await sql<{ ok: boolean }>`select pg_try_advisory_lock(hashtext(${name})) as ok`.execute(conn);
      if (r.rows[0]?.ok) break;
      if (Date.now() > deadline) throw new Error(`waited 120 s for another process to finish: ${name}`);
      await new Promise((res) => setTimeout(res, 200));
    }
    try {
      await work();
    } finally {
      await sql`select pg_advisory_unlock(hashtext(${name}))`.execute(conn);
    }
  });
}

export const WEB_DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));

/**
 * The built UI's caching: the files under /assets/ carry a hash of their content in their names (Vite), so a
 * browser keeps them a year without asking again; everything else (index.html, the icon) it asks about each
 * time, so that a new release is seen at once. Before, every file was `max-age=0`: each navigation revalidated
 * each script, a round trip apiece on a phone's connection.
 */
function uiCacheControl(req: FastifyRequest, reply: FastifyReply, payload: unknown, done: (e: null, p: unknown) => void): void {
  if (reply.statusCode === 200 || reply.statusCode === 304) {
    reply.header('cache-control', req.url.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
  }
  done(null, payload);
}

export interface AppOptions {
  config: Config;
  /** Called for every route the app registers (the contract test walks them). */
  onRoute?: (route: RouteOptions) => void;
  /** An open database (tests pass their own); otherwise opened from the config. */
  handle?: DatabaseHandle;
  /** Seed this instead of the demo fixture when the database is empty (demo mode). */
  fixture?: Fixture;
  now?: () => Date;
  /** Real time for rate limits' windows (default `Date.now`; tests move it): traffic, not validity dates. */
  trafficClock?: () => number;
  logger?: Logger | false;
  index?: IndexOptions;
  /** Serve the built UI (default: when it has been built). */
  serveWeb?: boolean;
  /** Deliver the outbox in this process (default: `config.notify.worker`). */
  worker?: boolean;
  /** The channels to deliver through (default: from the configuration). */
  channels?: Map<ChannelName, ChannelAdapter>;
  /** Run the daily jobs in this process (default: when the worker runs). */
  schedule?: boolean;
  /** Demo mode: where `GET /api/v1/demo/outbox` reads what the channels received. */
  demoOutbox?: DemoOutboxSource;
  /** Demo mode: start the channels' local simulators (default: `config.notify.simulators`). */
  simulators?: boolean;
}

export interface Puolesta {
  app: FastifyInstance;
  /** Every route registered, with the access module's action it declares (a test checks each has one). */
  routes: { method: string; url: string; access: string | undefined }[];
  ctx: Context;
  /** This process's outbox worker (started or not). */
  worker: DeliveryWorker;
  /** Demo mode: the channels' simulators this process started. */
  simulators: Simulators | null;
  /** Settles when the authorization index has loaded (rejects if it could not); the app answers before. */
  indexReady: Promise<void>;
  close(): Promise<void>;
}

export async function createPuolesta(opts: AppOptions): Promise<Puolesta> {
  const { config } = opts;
  const log = opts.logger === false ? createLogger('silent') : (opts.logger ?? createLogger());
  const h = opts.handle ?? (await openDatabase({
    url: config.databaseUrl, dataDir: config.dataDir, schema: config.dbSchema, ...config.dbTimeouts,
    onConnectionError: (e) => log.warn({ err: { message: e.message } }, 'database connection lost'),
  }));
  if (config.mode === 'demo') {
    // Several processes may start at once on an empty database: one seeds, the others wait and see it done.
    await oneAtATime(h, `puolesta-seed:${h.schema}`, async () => {
      if (!(await isSeeded(h.db))) {
        log.info('empty database: seeding the demo data');
        await seedFixture(h.db, opts.fixture ?? demoFixture());
      } else if (!(await isCatalogueSeeded(h.db))) {
        log.info('no service catalogue yet: seeding the demo catalogue');
        await seedCatalogue(h.db, opts.fixture ?? demoFixture());
      }
    });
  }
  for (const c of config.apiClients) {
    const secret_hash = c.secretSha256 ?? (c.secret ? hashSecret(c.secret) : undefined);
    if (!secret_hash) throw new Error(`API client ${c.id} has no secret`);
    // A rotation: the previous secret stays valid until `previousValidUntil` (an ISO instant).
    const until = c.previousValidUntil ? new Date(c.previousValidUntil) : null;
    if (c.previousSecretSha256 && (!until || Number.isNaN(until.getTime()))) throw new Error(`API client ${c.id}: previousSecretSha256 needs previousValidUntil, an ISO instant (e.g. 2027-01-31T00:00:00Z)`);
    await upsertApiClient(h.db, { id: c.id, secret_hash, municipality: c.municipality, previous_secret_hash: c.previousSecretSha256 ?? null, previous_valid_until: c.previousSecretSha256 ? until : null });
  }
  const index = new AuthorizationIndex(h, log, opts.index);
  const now = opts.now ?? (() => new Date());
  const ctx: Context = {
    h, db: h.db, index, log, now, catalogue: await loadCatalogue(h.db),
    outbound: outboundClient(config, log),
    notify: { portalUrl: portalUrlOf(config), maxAttempts: config.notify.maxAttempts },
    react,
    names: nameCache(now),
  };
  // Ready at once: the index loads in the background; until it holds a lease every check reads the
  // database (the fallback of a process without a lease), so answers are the same, only slower. A
  // failed start (e.g. the listener's connection timed out while this process was busy setting up)
  // is tried again with a new index, a few times, before `indexReady` rejects (main.ts then exits).
  let closing = false;
  const loadStarted = Date.now();
  const indexReady = (async () => {
    for (let attempt = 1; ; attempt++) {
      try {
        await ctx.index.start();
        log.info({ ms: Date.now() - loadStarted, version: ctx.index.appliedVersion }, 'authz: index loaded');
        return;
      } catch (e) {
        await ctx.index.stop();
        if (closing || attempt >= 5) {
          if (!closing) log.error({ err: e }, 'authz: the index could not be loaded');
          throw e;
        }
        log.warn({ err: e, attempt }, 'authz: loading the index failed; trying again (checks read the database meanwhile)');
        await new Promise((res) => setTimeout(res, 1000 * attempt));
        if (closing) throw e;
        ctx.index = new AuthorizationIndex(h, log, opts.index);
      }
    }
  })();
  indexReady.catch(() => {}); // the caller decides (main.ts exits); never an unhandled rejection
  // The index may be replaced by a retried start: the lag is read from whichever index the context holds.
  const metrics = createMetrics(() => ctx.db, ctx.now, { index: { get appliedVersion() { return ctx.index.appliedVersion; } } });
  ctx.checks = metrics.checks;
  let notifyConfig = config.notify;
  let simulators: Simulators | null = null;
  let demoOutbox = opts.demoOutbox;
  if (config.mode === 'demo' && !opts.channels && (opts.simulators ?? config.notify.simulators)) {
    const demo = await startDemoChannels(h.db, config.notify, ctx.now());
    ({ notify: notifyConfig, simulators } = demo);
    demoOutbox ??= demo.outbox;
  }
  const channels = opts.channels ?? channelsFromConfig(notifyConfig);
  const worker = new DeliveryWorker(h, channels, {
    log, now: ctx.now, metrics: metrics.delivery,
    municipalityName: (code, lang) => ctx.catalogue.municipalities.get(code)?.name[lang] ?? null,
  }, config.notify);
  ctx.notify.written = () => worker.nudge();
  const runWorker = opts.worker ?? config.notify.worker === 'in-process';
  if (runWorker) await worker.start();
  const daily = (opts.schedule ?? runWorker) ? scheduleDailyJobs(ctx, worker.node, log, undefined, config.retention) : null;
  // Other processes may change the common catalogue: pick up a new version within a few seconds.
  const catalogueTimer = setInterval(() => {
    void catalogueVersion(ctx).then(async (v) => { if (v !== ctx.catalogue.version) await reloadCatalogue(ctx); })
      .catch((e) => log.warn({ err: e }, 'catalogue refresh failed'));
  }, 5000);
  catalogueTimer.unref();
  const clients = new ApiClients();
  await clients.load(ctx);

  const app = Fastify({
    loggerInstance: log as unknown as FastifyBaseLogger,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: true }, onCreate: localDateFormat },
    bodyLimit: 256 * 1024,
    // Request ids, request log lines and request metrics (http/telemetry.ts, decision 0018).
    genReqId: requestIdOf,
    logController: new RequestTelemetry({ metrics: metrics.http, sampleRate: config.logSampleRate }),
    childLoggerFactory: lazyChildLogger,
    // Router and HTTP-parser errors answer problem+json too (issue 11).
    frameworkErrors: frameworkErrors as FastifyServerOptions['frameworkErrors'], clientErrorHandler,
  }).withTypeProvider<TypeBoxTypeProvider>();
  // OpenTelemetry request spans, first of the hooks, when traces are on (telemetry/tracing.ts, decision 0018).
  if (otelEnabled()) traceRequests(app);

  // An empty JSON body (e.g. a bare POST …/revoke) reads as {}, not as an error. Text that cannot be
  // stored is a 400 as the body is parsed: before the schema and long before the database (in the
  // parsers, not in a hook every route would run; the request gate sees to the rest of the request).
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = (body as string).trim();
    if (text === '') return done(null, {});
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return done(Object.assign(new Error('The body is not valid JSON.'), { statusCode: 400, code: 'FST_ERR_CTP_INVALID_JSON_BODY' }), undefined);
    }
    try { assertStorableJson(text, parsed); } catch (e) { return done(e as Error, undefined); }
    done(null, parsed);
  });
  app.addContentTypeParser('text/plain', { parseAs: 'string' }, (_req, body, done) => {
    try { assertStorable(body, ''); } catch (e) { return done(e as Error, undefined); }
    done(null, body);
  });
  if (opts.onRoute) app.addHook('onRoute', opts.onRoute);
  // Cookies are read by a step of the request gate and written by the routes that set them (http/cookies.ts).
  app.decorateRequest('cookies', null as unknown as Readonly<Record<string, string | undefined>>);
  // Everything before the route, in one hook (http/request-gate.ts, decision 0018): security headers
  // and no-store on personal answers (decision 0014) first, so that every answer carries them; the
  // request id and storable text before anything reads the request; cookies; CSRF; access (every
  // route answers to the access module; the built UI's files are public); the API client's rate limit.
  registerRequestGate(app, [
    securityHeaders(app, config),
    (req, reply) => {
      // Echoed on every answer, so a caller can name the request whose log lines they ask about.
      reply.header(REQUEST_ID_HEADER, req.id);
      // Before the session, CSRF and access steps read anything: text that cannot be stored is a 400.
      assertStorableRequest(req);
      // A POST without a body (e.g. a bare POST …/revoke) reads as {}: Fastify parses nothing then.
      if (req.method === 'POST' && req.headers['content-type'] === undefined) req.body = {};
    },
    (req) => { req.cookies = readCookies(req.headers.cookie); },
    await csrfProtection(ctx, config),
    accessStep(app, ctx, clients),
    // Each API client its own budget; its calls' log lines name it (decision 0014).
    await clientRateLimit(app, ctx.db, config.apiClientRateLimit, { ...(opts.trafficClock ? { clock: opts.trafficClock } : {}) }),
  ]);
  // Shared shapes, by reference: the document lists them under components.schemas by their $id.
  for (const s of sharedSchemas()) app.addSchema(s);
  await app.register(swagger, {
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
    transformObject: (d) => openApi30Examples('openapiObject' in d ? d.openapiObject : d.swaggerObject),
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Puolesta API',
        version: '1.0.0',
        description: 'Acting on behalf of another in municipal e-services: mandate checks for e-services (HTTP Basic with an API client), and the citizen portal\'s API (session cookie). Identity codes travel only in request bodies. Errors are application/problem+json naming the field at fault.',
      },
      servers: [{ url: '/' }],
      components: {
        securitySchemes: {
          apiClient: { type: 'http', scheme: 'basic', description: 'API client id and secret' },
          session: { type: 'apiKey', in: 'cookie', name: 'puolesta_session' },
        },
      },
      tags: [
        { name: 'vendor', description: 'For e-services: checks and uses' },
        { name: 'citizen', description: 'Citizen portal' },
        { name: 'staff', description: 'Caseworkers' },
        { name: 'catalogue', description: 'Public service catalogue: what acting on behalf requires in each service' },
        { name: 'admin', description: 'Catalogue administration' },
        { name: 'auth', description: 'Login' },
        { name: 'system', description: 'Health and the API description' },
      ],
    },
  });
  const routes: Puolesta['routes'] = [];
  app.addHook('onRoute', (r) => {
    // Read when asked: a later onRoute hook (the UI's files) may still set the action.
    for (const method of [r.method].flat()) routes.push({ method, url: r.url, get access() { return (r.config as { access?: string } | undefined)?.access; } });
  });
  app.setErrorHandler(errorHandler);

  await app.register(publicRoutes(ctx, config));
  await app.register(authOidcRoutes(ctx, config));
  await app.register(vendorRoutes(ctx));
  await app.register(citizenRoutes(ctx));
  await app.register(usageLogRoutes(ctx));
  await app.register(dataExportRoutes(ctx));
  await app.register(peopleRoutes(ctx));
  await app.register(staffRoutes(ctx));
  await app.register(catalogueRoutes(ctx));
  await app.register(ptvRoutes(ctx));
  await app.register(messageRoutes(ctx));
  await app.register(errandRoutes(ctx, { maxBytes: config.attachmentMaxBytes }));
  await app.register(partyRequestRoutes(ctx));
  if (config.mode === 'demo') {
    const EMPTY: DemoOutboxSource = { received: async () => [], content: async () => null };
    await app.register(demoRoutes(demoOutbox ?? EMPTY));
  }
  app.get('/metrics', {
    config: { access: 'service.read-metrics' },
    schema: {
      operationId: 'getMetrics', tags: ['system'], summary: 'Prometheus metrics: deliveries by channel, what waits, the oldest undelivered message\'s age', security: PUBLIC,
      response: { 200: { type: 'string', description: 'Prometheus text format', examples: ['puolesta_notifications_queued{channel="email"} 0'] } },
    },
  }, async (req, reply) => {
    assertMetricsToken(config.notify.metricsToken, req.headers.authorization);
    reply.header('content-type', metrics.registry.contentType).header('cache-control', 'no-store');
    return metrics.registry.metrics();
  });
  app.get('/api/v1/openapi.json', {
    config: { access: 'service.read-health' },
    schema: {
      hide: true, operationId: 'getOpenApiDocument', tags: ['system'], summary: 'This API, described in OpenAPI 3.0', security: PUBLIC,
      response: { 200: { type: 'object', additionalProperties: true, description: 'OpenAPI 3.0 document' } },
    },
  }, async () => app.swagger());

  const serveWeb = opts.serveWeb ?? existsSync(WEB_DIST);
  if (serveWeb) {
    // The built UI's files are public: the routes the static plugin adds declare `ui.read`. (Registered
    // on the root, so that the not-found handler below can send index.html.)
    let uiRoutes = true;
    app.addHook('onRoute', (route) => {
      if (!uiRoutes) return;
      route.config = { ...(route.config ?? {}), access: 'ui.read' };
      // First of the route's onSend hooks, before the no-store rule's (security-headers.ts).
      runFirstOnSend(route, uiCacheControl);
    });
    await app.register(fastifyStatic, { root: WEB_DIST, wildcard: false, cacheControl: false });
    uiRoutes = false;
  }
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0]!;
    // An address of the UI's own is the page; a missing built file (/assets/…, e.g. an old release's page script
    // a long-open tab asks for) is a 404, not the page sent as a script.
    if (serveWeb && req.method === 'GET' && !/^\/(api|auth|assets)\//.test(path)) return reply.sendFile('index.html');
    // The path is not echoed: a careless client may have put an identity code in it.
    return sendProblem(reply, 404, 'route.not-found', {}, { detail: `No such address (${req.method}).` });
  });

  return {
    app,
    routes,
    ctx,
    worker,
    simulators,
    indexReady,
    async close() {
      clearInterval(catalogueTimer);
      daily?.stop();
      await app.close();
      await worker.stop();
      await Promise.all([...channels.values()].map((c) => c.close?.()));
      await simulators?.close();
      closing = true;
      await ctx.index.stop();
      // A load still running reads the database: let it end before the database closes, and close
      // what it opened after the first stop (its change listener).
      await indexReady.catch(() => {});
      await ctx.index.stop();
      if (!opts.handle) await h.close();
    },
  };
}
