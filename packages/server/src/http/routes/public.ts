import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { refuse } from '@puolesta/domain';
import { demoPersonas, findStaff } from '../../repositories/sessions.repository.js';
import { findPerson } from '../../repositories/registers.repository.js';
import type { Context } from '../../services/context.js';
import type { Config } from '../../config.js';
import { createSession, endSession } from '../auth.js';
import { sendProblem } from '../problem.js';
import { pendingMigrations } from '../../db/migrate.js';
import { NoContent, PUBLIC, StaffMember, StringEnum, problems } from '../schemas.js';

const Persona = Type.Object({ key: Type.Unsafe<string | null>({ type: 'string' }), id: Type.String(), name: Type.String(), birthDate: Type.String(), municipality: Type.Unsafe<string | null>({ type: 'string', nullable: true }) });


export const publicRoutes = (ctx: Context, config: Config): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/auth/config', {
    config: { access: 'auth.login' },
    schema: {
      operationId: 'getAuthConfig', tags: ['auth'], summary: 'How one logs in here: the mode, whether demo login is offered, whether login with strong e-identification (OIDC, `GET /api/v1/auth/login`) is, and staff login over the organisation\'s provider (`GET /api/v1/auth/staff/login`)', security: PUBLIC,
      response: { 200: Type.Object({ mode: Type.Unsafe<'demo' | 'production'>({ type: 'string', enum: ['demo', 'production'] }), demoLogin: Type.Boolean(), oidcLogin: Type.Boolean(), staffLogin: Type.Boolean() }, { examples: [{ mode: 'demo', demoLogin: true, oidcLogin: false, staffLogin: false }] }) },
    },
  }, async () => ({ mode: config.mode, demoLogin: config.mode === 'demo', oidcLogin: config.oidc !== undefined, staffLogin: config.staffOidc !== undefined }));

  if (config.mode === 'demo') {
    app.get('/auth/demo-personas', {
      config: { access: 'auth.login' },
      schema: {
        operationId: 'listDemoPersonas', tags: ['auth'], summary: 'Demo personas to log in as (demo mode only)', security: PUBLIC,
        response: {
          200: Type.Object({ persons: Type.Array(Persona), staff: Type.Array(StaffMember) }, {
            examples: [{ persons: [{ key: 'markku', id: '210170-904K', name: 'Markku Lindholm', birthDate: '1970-01-21', municipality: '245' }], staff: [{ key: 'kerava-caseworker', name: 'Kaisa Neuvoja', municipality: '245', roles: ['caseworker'] }] }],
          }),
        },
      },
    }, async () => {
      const { persons, staff } = await demoPersonas(ctx.db);
      return {
        persons: persons.map((p) => ({ key: p.key, id: p.id, name: `${p.first_name} ${p.last_name}`, birthDate: p.birth_date, municipality: p.municipality })),
        staff: staff.map((s) => ({ key: s.key, name: s.name, municipality: s.municipality, roles: s.roles })),
      };
    });

    app.post('/auth/demo-login', {
      config: { access: 'auth.login' },
      schema: {
        operationId: 'demoLogin', tags: ['auth'], summary: 'Log in as a fixture persona (demo mode only; absent in production)', security: PUBLIC,
        body: Type.Union([
          Type.Object({ person: Type.String({ minLength: 1, maxLength: 32 }) }, { additionalProperties: false }),
          Type.Object({ staff: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false }),
        ]),
        response: {
          200: Type.Object({ kind: StringEnum(['person', 'staff']), name: Type.String(), roles: Type.Optional(Type.Array(Type.String())) }, { examples: [{ kind: 'person', name: 'Markku Lindholm' }] }),
          ...problems(400, 404),
        },
      },
    }, async (req, reply) => {
      const body = req.body as { person?: string; staff?: string };
      if (body.person !== undefined) {
        const p = await findPerson(ctx.db, body.person);
        if (!p) throw refuse('auth.unknown-persona', {}, 'person');
        await createSession(ctx, req, reply, { kind: 'person', id: p.id });
        return { kind: 'person', name: `${p.first_name} ${p.last_name}` };
      }
      if (body.staff !== undefined) {
        const s = await findStaff(ctx.db, body.staff);
        if (!s) throw refuse('auth.unknown-persona', {}, 'staff');
        await createSession(ctx, req, reply, { kind: 'staff', key: s.key });
        return { kind: 'staff', name: s.name, roles: s.roles };
      }
      throw refuse('input.required', { field: 'person' }, 'person');
    });
  }

  app.post('/auth/logout', {
    config: { access: 'auth.logout' },
    schema: {
      operationId: 'logout', tags: ['auth'], summary: 'End the session (if any)', security: [{ session: [] }, {}],
      response: { 204: NoContent('Logged out') },
    },
  }, async (req, reply) => {
    await endSession(ctx, req, reply);
    return reply.code(204).send();
  });

  app.get('/health', {
    config: { access: 'service.read-health' },
    schema: { hide: true, operationId: 'getHealth', tags: ['system'], summary: 'Liveness', security: PUBLIC, response: { 200: Type.Object({ ok: Type.Boolean() }, { examples: [{ ok: true }] }) } },
  }, async () => ({ ok: true }));

  // Probes: answered often, so never logged (logLevel silent) and cheap.
  app.get('/healthz', {
    config: { access: 'service.read-health' }, logLevel: 'silent',
    schema: { hide: true, operationId: 'getLiveness', tags: ['system'], summary: 'Liveness: the process runs (no database)', security: PUBLIC, response: { 200: Type.Object({ ok: Type.Boolean() }, { examples: [{ ok: true }] }) } },
  }, async () => ({ ok: true }));

  app.get('/readyz', {
    config: { access: 'service.read-health' }, logLevel: 'silent',
    schema: {
      hide: true, operationId: 'getReadiness', tags: ['system'], security: PUBLIC,
      summary: 'Readiness: the database answers within a short time and every migration this build knows is applied. The authorization index may still be loading (checks then read the database).',
      response: { 200: Type.Object({ ok: Type.Boolean(), index: StringEnum(['loading', 'ready']) }, { examples: [{ ok: true, index: 'ready' }] }), ...problems(503) },
    },
  }, async (_req, reply) => {
    const r = await readiness(ctx, readyTimeoutMs);
    if (!r.ok) return sendProblem(reply.header('retry-after', '5'), 503, 'service.unavailable', {}, { detail: r.detail });
    return { ok: true, index: ctx.index.isLoaded ? 'ready' as const : 'loading' as const };
  });
};

/** How long /readyz waits for the database: well under a probe's timeout (default 1 s). */
const readyTimeoutMs = 1500;

/** The database answers in time and no migration this build knows is missing. */
export async function readiness(ctx: Pick<Context, 'h'>, timeoutMs: number): Promise<{ ok: true } | { ok: false; detail: string }> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((res) => { timer = setTimeout(() => res('late'), timeoutMs); });
  try {
    const pending = await Promise.race([pendingMigrations(ctx.h.db, ctx.h.schema), late]);
    if (pending === 'late') return { ok: false, detail: `The database did not answer within ${timeoutMs} ms.` };
    if (pending.length) return { ok: false, detail: `Migrations not applied yet: ${pending.join(', ')}.` };
    return { ok: true };
  } catch {
    return { ok: false, detail: 'The database cannot be reached just now.' };
  } finally {
    clearTimeout(timer);
  }
}
