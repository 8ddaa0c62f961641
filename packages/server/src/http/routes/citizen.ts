import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { refusalOf, refuse, sessionActions, standing, type Actor, type PartyRef } from '@puolesta/domain';
import { today, type Context } from '../../services/context.js';
import {
  decideRequest, getMandate, grantMandate, mandatesWaitingFor, myMandates, organizationMandates, renounceMandate, requestMandate, revokeMandate,
} from '../../services/mandates.service.js';
import { namesOf, requireKnownParty } from '../../services/parties.js';
import { errandsWaitingFor, queueWaiting } from '../../services/errands.service.js';
import { childrenOf, findPerson, propertiesOwnedBy, rolesOfPerson, wardsOf } from '../../repositories/registers.repository.js';
import { findStaff } from '../../repositories/sessions.repository.js';
import type { Caller } from '../../services/access.js';
import { actorOf, callerOf } from '../access-hook.js';
import { spendPartyLookups } from '../rate-limit.js';
import { csrfTokenFor } from '../csrf.js';
import { ActingBody, Created, DecisionBody, GrantBody, IdempotencyHeaders, IdParams, MandateLists, MandateView, Me, MyMandates, NamedParty, Party, RequestBody, SESSION, problems } from '../schemas.js';

const security = SESSION;

/** The citizen portal's API (session cookie from a login). */
export const citizenRoutes = (ctx: Context): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/api/v1/me', { config: { access: 'session.read' },
    schema: { operationId: 'getMe', tags: ['citizen'], summary: 'Who is logged in, for whom they can decide, and what the session may do (`permittedActions`); `csrfToken` for state-changing requests', security, response: { 200: Me, ...problems(401, 404) } },
  }, async (req) => {
    const actor = actorOf(req);
    if (actor.kind === 'staff') {
      const staff = await findStaff(ctx.db, actor.key);
      if (!staff) throw refuse('auth.session-ended');
      const permittedActions = sessionActions(actor);
      const pending = { mandates: 0, errands: permittedActions.includes('errand.queue') ? await queueWaiting(ctx, actor) : 0 };
      return { kind: 'staff' as const, staff: { key: staff.key, name: staff.name, municipality: staff.municipality, roles: staff.roles }, name: staff.name, municipality: staff.municipality, pending, permittedActions, csrfToken: csrfTokenFor(ctx, req) ?? '' };
    }
    const c = await callerOf(ctx, req);
    const p = await findPerson(ctx.db, c.actor.id);
    if (!p) throw refuse('auth.session-ended');
    const d = today(ctx);
    const on = (party: PartyRef) => partyActions(actor, c, party, d);
    const children = (await childrenOf(ctx.db, c.actor.id)).filter((ch) => standing(c.facts, { type: 'person', id: ch.id }, d).kind === 'guardian');
    // One entry per organisation, with all of the person's roles there and the strongest signing right.
    const roleRows = await rolesOfPerson(ctx.db, c.actor.id);
    const orgs = [...new Map(roleRows.map((o) => [o.id, o])).values()]
      .map((o) => ({ ...o, role: roleRows.find((r) => r.id === o.id)!.role, roles: [...new Set(roleRows.filter((r) => r.id === o.id).map((r) => r.role))], signing: c.facts.organizations.get(o.id) ?? o.signing }));
    return {
      kind: 'person' as const, name: `${p.first_name} ${p.last_name}`, municipality: p.municipality, csrfToken: csrfTokenFor(ctx, req) ?? '',
      person: { id: p.id, firstName: p.first_name, lastName: p.last_name, name: `${p.first_name} ${p.last_name}`, birthDate: p.birth_date, language: p.language, municipality: p.municipality },
      children: children.map((ch) => ({ type: 'person', id: ch.id, name: `${ch.first_name} ${ch.last_name}`, birthDate: ch.birth_date, permittedActions: on({ type: 'person', id: ch.id }) })),
      organizations: orgs.map((o) => ({ type: 'organization', id: o.id, name: o.name, role: o.role, roles: o.roles, signing: o.signing, permittedActions: on({ type: 'organization', id: o.id }) })),
      wards: (await wardsOf(ctx.db, c.actor.id)).filter((w) => standing(c.facts, { type: 'person', id: w.id }, d).kind === 'court-guardian')
        .map((w) => ({ type: 'person', id: w.id, name: `${w.first_name} ${w.last_name}`, scope: w.scope, validUntil: w.valid_until, permittedActions: on({ type: 'person', id: w.id }) })),
      properties: await propertiesOwnedBy(ctx.db, { type: 'person', id: p.id }),
      pending: { mandates: await mandatesWaitingFor(ctx, c), errands: await errandsWaitingFor(ctx, c) },
      permittedActions: sessionActions(actor, standing(c.facts, { type: 'person', id: c.actor.id }, d)),
    };
  });

  app.post('/api/v1/parties/lookup', { config: { access: 'party.lookup' },
    schema: {
      operationId: 'lookupParty', tags: ['citizen'], summary: 'Name of a person or organisation, to show before confirming a grant', security,
      body: Party, response: { 200: NamedParty, ...problems(400, 401, 404, 429) },
    },
  }, async (req) => {
    await spendPartyLookups(ctx, req, [req.body]);
    const p = await requireKnownParty(ctx, 'party', req.body);
    const [name] = await namesOf(ctx, [p]);
    return { ...p, name: name! };
  });

  app.get('/api/v1/me/mandates', { config: { access: 'mandate.list-own' }, schema: { operationId: 'listMyMandates', tags: ['citizen'], summary: 'Mandates I have given and received, requests to and from me, and per child, ward and organisation I decide for, its mandates', security, response: { 200: MyMandates, ...problems(401, 403) } } },
    async (req) => myMandates(ctx, await callerOf(ctx, req)));

  app.get('/api/v1/organizations/:id/mandates', { config: { access: 'organization.read-mandates' },
    schema: { operationId: 'listOrganizationMandates', tags: ['citizen'], summary: "An organisation's mandates, for its signatories", security, params: IdParams, response: { 200: MandateLists, ...problems(401, 404) } },
  }, async (req) => organizationMandates(ctx, await callerOf(ctx, req), req.params.id));

  app.post('/api/v1/mandates', { config: { access: 'mandate.grant' },
    schema: {
      operationId: 'grantMandate', tags: ['citizen'], summary: 'Grant a mandate directly (principal)', security,
      description: 'With `onBehalfOf` a signatory grants for an organisation (joint signing waits for a second signatory) or a guardian for a minor child (takes effect when every guardian has confirmed).',
      body: GrantBody, response: { 201: Created, ...problems(400, 401, 403, 404, 409, 429) },
      headers: IdempotencyHeaders,
    },
  }, async (req, reply) => {
    await spendPartyLookups(ctx, req, [req.body.agent, req.body.onBehalfOf]);
    return reply.code(201).send(await grantMandate(ctx, await callerOf(ctx, req), req.body, req.headers['idempotency-key']));
  });

  app.post('/api/v1/mandate-requests', { config: { access: 'mandate.request' },
    schema: {
      operationId: 'requestMandate', tags: ['citizen'], summary: 'Ask a principal for a mandate (agent)', security, body: RequestBody, response: { 201: Created, ...problems(400, 401, 403, 404, 409, 429) },
      headers: IdempotencyHeaders,
    },
  }, async (req, reply) => {
    await spendPartyLookups(ctx, req, [req.body.principal, req.body.onBehalfOf]);
    return reply.code(201).send(await requestMandate(ctx, await callerOf(ctx, req), req.body, req.headers['idempotency-key']));
  });

  app.post('/api/v1/mandate-requests/:id/decision', { config: { access: 'mandate.decide' },
    schema: {
      operationId: 'decideMandateRequest', tags: ['citizen'], summary: 'Grant (possibly narrowed) or reject a request (principal)', security,
      params: IdParams, body: DecisionBody, response: { 200: Created, ...problems(400, 401, 403, 404, 409) },
      headers: IdempotencyHeaders,
    },
  }, async (req) => decideRequest(ctx, await callerOf(ctx, req), req.params.id, req.body, req.headers['idempotency-key']));

  app.get('/api/v1/mandates/:id', { config: { access: 'mandate.read' },
    schema: { operationId: 'getMandate', tags: ['citizen'], summary: 'One mandate, with what the caller may do next', security, params: IdParams, response: { 200: MandateView, ...problems(401, 404) } },
  }, async (req) => getMandate(ctx, await callerOf(ctx, req), req.params.id));

  app.post('/api/v1/mandates/:id/revoke', { config: { access: 'mandate.revoke' },
    schema: { operationId: 'revokeMandate', tags: ['citizen'], summary: 'Revoke a mandate (principal, or a guardian / signatory for it)', security, params: IdParams, body: ActingBody, response: { 200: Created, ...problems(401, 403, 404, 409) } },
  }, async (req) => revokeMandate(ctx, await callerOf(ctx, req), req.params.id, req.body?.onBehalfOf));

  app.post('/api/v1/mandates/:id/renounce', { config: { access: 'mandate.renounce' },
    schema: { operationId: 'renounceMandate', tags: ['citizen'], summary: 'Renounce a mandate (agent)', security, params: IdParams, body: ActingBody, response: { 200: Created, ...problems(401, 403, 404, 409) } },
  }, async (req) => renounceMandate(ctx, await callerOf(ctx, req), req.params.id, req.body?.onBehalfOf));
};

/** What the person may do for a party they stand for (the UI offers only these). */
function partyActions(actor: Actor, c: Caller, party: PartyRef, d: ReturnType<typeof today>): string[] {
  const s = standing(c.facts, party, d);
  const out: string[] = [];
  if (refusalOf('mandate.grant', actor, { principal: s, issues: [] }) === null) out.push('grant');
  if (refusalOf('mandate.request', actor, { agent: s }) === null) out.push('request');
  if (party.type === 'organization' && refusalOf('organization.read-mandates', actor, { organization: s }) === null) out.push('read-mandates');
  return out;
}
