import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { addYears, birthDateOf, notFound } from '@puolesta/domain';
import { today, type Context } from '../../services/context.js';
import {
  decideRequest, getMandate, grantMandate, mandateLog, myMandates, organizationMandates, renounceMandate, requestMandate, revokeMandate,
} from '../../services/mandates.service.js';
import { requireKnownParty } from '../../services/parties.js';
import { childrenOf, findPerson, propertiesOwnedBy, rolesOfPerson } from '../../repositories/registers.repository.js';
import { personOf, sessionOf } from '../auth.js';
import { RateLimiter } from '../rate-limit.js';
import { sendProblem } from '../problem.js';
import { ActingBody, Created, DecisionBody, GrantBody, IdParams, LogResponse, MandateLists, MandateView, Me, NamedParty, Party, RequestBody, SESSION, problems } from '../schemas.js';

const security = SESSION;
/** Name look-ups by identity code: 60 per session subject per 10 minutes. */
const lookups = new RateLimiter(60, 10 * 60_000);

/** The citizen portal's API (session cookie from a login). */
export const citizenRoutes = (ctx: Context): FastifyPluginAsyncTypebox => async (app) => {
  // Authenticate first, so that an anonymous caller learns nothing from validation errors.
  app.addHook('onRequest', async (req) => { await sessionOf(ctx, req); });
  app.get('/api/v1/me', {
    schema: { operationId: 'getMe', tags: ['citizen'], summary: 'Who is logged in, and for whom they can decide', security, response: { 200: Me, ...problems(401, 404) } },
  }, async (req) => {
    const s = await sessionOf(ctx, req);
    if (s.kind === 'staff') {
      const staff = await ctx.db.selectFrom('staff').selectAll().where('key', '=', s.key).executeTakeFirstOrThrow();
      return { kind: 'staff', staff: { key: staff.key, name: staff.name, municipality: staff.municipality, roles: staff.roles } };
    }
    const p = await findPerson(ctx.db, s.id);
    if (!p) throw notFound('No such person.');
    const d = today(ctx);
    const children = (await childrenOf(ctx.db, p.id)).filter((c) => d < addYears(birthDateOf(c.id), 18));
    const orgs = await rolesOfPerson(ctx.db, p.id);
    return {
      kind: 'person',
      person: { id: p.id, firstName: p.first_name, lastName: p.last_name, name: `${p.first_name} ${p.last_name}`, birthDate: p.birth_date, language: p.language, municipality: p.municipality },
      children: children.map((c) => ({ type: 'person', id: c.id, name: `${c.first_name} ${c.last_name}`, birthDate: c.birth_date })),
      organizations: orgs.map((o) => ({ type: 'organization', id: o.id, name: o.name, role: o.role, signing: o.signing })),
      properties: await propertiesOwnedBy(ctx.db, { type: 'person', id: p.id }),
    };
  });

  app.post('/api/v1/parties/lookup', {
    schema: {
      operationId: 'lookupParty', tags: ['citizen'], summary: 'Name of a person or organisation, to show before confirming a grant', security,
      body: Party, response: { 200: NamedParty, ...problems(400, 401, 404, 429) },
    },
  }, async (req, reply) => {
    const s = await sessionOf(ctx, req);
    if (!lookups.take(s.kind === 'person' ? `p:${s.id}` : `s:${s.key}`)) return sendProblem(reply, 429, 'Too many look-ups. Try again in a few minutes.');
    const p = await requireKnownParty(ctx, 'party', req.body);
    return { ...p, name: ctx.index.nameOf(p) ?? '' };
  });

  app.get('/api/v1/me/mandates', { schema: { operationId: 'listMyMandates', tags: ['citizen'], summary: 'Mandates I have given and received, and requests to and from me', security, response: { 200: MandateLists, ...problems(401, 403) } } },
    async (req) => myMandates(ctx, await personOf(ctx, req)));

  app.get('/api/v1/organizations/:id/mandates', {
    schema: { operationId: 'listOrganizationMandates', tags: ['citizen'], summary: "An organisation's mandates, for its signatories", security, params: IdParams, response: { 200: MandateLists, ...problems(401, 404) } },
  }, async (req) => organizationMandates(ctx, await personOf(ctx, req), req.params.id));

  app.post('/api/v1/mandates', {
    schema: {
      operationId: 'grantMandate', tags: ['citizen'], summary: 'Grant a mandate directly (principal)', security,
      description: 'With `onBehalfOf` a signatory grants for an organisation (joint signing waits for a second signatory) or a guardian for a minor child (takes effect when every guardian has confirmed).',
      body: GrantBody, response: { 201: Created, ...problems(400, 401, 403, 404) },
    },
  }, async (req, reply) => reply.code(201).send(await grantMandate(ctx, await personOf(ctx, req), req.body)));

  app.post('/api/v1/mandate-requests', {
    schema: { operationId: 'requestMandate', tags: ['citizen'], summary: 'Ask a principal for a mandate (agent)', security, body: RequestBody, response: { 201: Created, ...problems(400, 401, 403, 404) } },
  }, async (req, reply) => reply.code(201).send(await requestMandate(ctx, await personOf(ctx, req), req.body)));

  app.post('/api/v1/mandate-requests/:id/decision', {
    schema: {
      operationId: 'decideMandateRequest', tags: ['citizen'], summary: 'Grant (possibly narrowed) or reject a request (principal)', security,
      params: IdParams, body: DecisionBody, response: { 200: Created, ...problems(400, 401, 403, 404, 409) },
    },
  }, async (req) => decideRequest(ctx, await personOf(ctx, req), req.params.id, req.body));

  app.get('/api/v1/mandates/:id', {
    schema: { operationId: 'getMandate', tags: ['citizen'], summary: 'One mandate, with what the caller may do next', security, params: IdParams, response: { 200: MandateView, ...problems(401, 404) } },
  }, async (req) => getMandate(ctx, await personOf(ctx, req), req.params.id));

  app.post('/api/v1/mandates/:id/revoke', {
    schema: { operationId: 'revokeMandate', tags: ['citizen'], summary: 'Revoke a mandate (principal, or a guardian / signatory for it)', security, params: IdParams, body: ActingBody, response: { 200: Created, ...problems(401, 403, 404, 409) } },
  }, async (req) => revokeMandate(ctx, await personOf(ctx, req), req.params.id, req.body?.onBehalfOf));

  app.post('/api/v1/mandates/:id/renounce', {
    schema: { operationId: 'renounceMandate', tags: ['citizen'], summary: 'Renounce a mandate (agent)', security, params: IdParams, body: ActingBody, response: { 200: Created, ...problems(401, 403, 404, 409) } },
  }, async (req) => renounceMandate(ctx, await personOf(ctx, req), req.params.id, req.body?.onBehalfOf));

  app.get('/api/v1/mandates/:id/log', {
    schema: { operationId: 'getMandateLog', tags: ['citizen'], summary: 'Who used the mandate, when, for which errand and municipality; and its life cycle', security, params: IdParams, response: { 200: LogResponse, ...problems(401, 404) } },
  }, async (req) => mandateLog(ctx, await personOf(ctx, req), req.params.id));
};
