import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { invalid, notFound } from '@puolesta/domain';
import type { Context } from '../../services/context.js';
import type { Config } from '../../config.js';
import { createSession, endSession } from '../auth.js';
import { problems } from '../schemas.js';


export const publicRoutes = (ctx: Context, config: Config): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/auth/config', { schema: { hide: true } }, async () => ({ mode: config.mode, demoLogin: config.mode === 'demo' }));

  if (config.mode === 'demo') {
    app.get('/auth/demo-personas', { schema: { tags: ['auth'], summary: 'Demo personas to log in as (demo mode only)' } }, async () => {
      const persons = await ctx.db.selectFrom('persons').select(['id', 'key', 'first_name', 'last_name', 'birth_date', 'municipality']).where('key', 'is not', null).orderBy('last_name').orderBy('first_name').execute();
      const staff = await ctx.db.selectFrom('staff').selectAll().orderBy('key').execute();
      return {
        persons: persons.map((p) => ({ key: p.key, id: p.id, name: `${p.first_name} ${p.last_name}`, birthDate: p.birth_date, municipality: p.municipality })),
        staff: staff.map((s) => ({ key: s.key, name: s.name, municipality: s.municipality, roles: s.roles })),
      };
    });

    app.post('/auth/demo-login', {
      schema: {
        tags: ['auth'], summary: 'Log in as a fixture persona (demo mode only; absent in production)',
        body: Type.Union([
          Type.Object({ person: Type.String({ minLength: 1, maxLength: 32 }) }, { additionalProperties: false }),
          Type.Object({ staff: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false }),
        ]),
        response: { 200: Type.Object({ kind: Type.String(), name: Type.String(), roles: Type.Optional(Type.Array(Type.String())) }), ...problems(400, 404) },
      },
    }, async (req, reply) => {
      const body = req.body as { person?: string; staff?: string };
      if (body.person !== undefined) {
        const p = await ctx.db.selectFrom('persons').select(['id', 'first_name', 'last_name']).where('id', '=', body.person).executeTakeFirst();
        if (!p) throw notFound('No person with that identity code.', 'person');
        await createSession(ctx, reply, { kind: 'person', id: p.id }, config.secureCookies);
        return { kind: 'person', name: `${p.first_name} ${p.last_name}` };
      }
      if (body.staff !== undefined) {
        const s = await ctx.db.selectFrom('staff').selectAll().where('key', '=', body.staff).executeTakeFirst();
        if (!s) throw notFound('No such staff member.', 'staff');
        await createSession(ctx, reply, { kind: 'staff', key: s.key }, config.secureCookies);
        return { kind: 'staff', name: s.name, roles: s.roles };
      }
      throw invalid('person', 'Give person or staff.');
    });
  }

  app.post('/auth/logout', { schema: { tags: ['auth'], summary: 'End the session' } }, async (req, reply) => {
    await endSession(ctx, req, reply);
    return reply.code(204).send();
  });

  app.get('/health', { schema: { hide: true } }, async () => ({ ok: true }));
};
