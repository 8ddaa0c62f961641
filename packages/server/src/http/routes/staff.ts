import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { today, type Context } from '../../services/context.js';
import { checkAuthorization } from '../../services/check.service.js';
import { namesOf } from '../../services/parties.js';
import type { PartyRef } from '@puolesta/domain';
import { registerPaperMandate } from '../../services/mandates.service.js';
import { personMandates, revokePaperMandate } from '../../services/staff.service.js';
import { staffActorOf } from '../access-hook.js';
import { spendPartyLookups } from '../rate-limit.js';
import { CheckBody, DateStr, Decision, IdParams, Instant, NamedParty, Party, PaperBody, PropertyTarget, SESSION, problems, strict } from '../schemas.js';

const security = SESSION;

// ---- the per-person view and revoking a paper mandate (issue 10, item 6) ---------------------------

const PersonLookupBody = Type.Object({
  party: Party,
  reason: Type.String({ minLength: 1, maxLength: 500, description: 'Why the caseworker looks the person up (logged in the audit entry)' }),
}, { ...strict, examples: [{ party: { type: 'person', id: '050844-9057' }, reason: 'Visit at the service point: the customer asks which mandates are in force' }] });

const StaffMandate = Type.Object({
  id: Type.String(), principal: NamedParty, agent: NamedParty,
  issues: Type.Array(Type.String()), bundle: Type.Optional(Type.String()),
  validFrom: DateStr, validUntil: DateStr, status: Type.String({ description: 'requested, active, rejected, revoked, renounced, expired or consumed' }), oneOff: Type.Boolean(),
  target: Type.Optional(PropertyTarget), municipality: Type.Optional(Type.String()),
  source: Type.String({ description: 'electronic, request or paper' }), createdAt: Instant,
  paperDocument: Type.Optional(Type.Object({ reference: Type.String(), signedOn: DateStr }, { description: 'The signed paper of a paper registration' })),
  permittedActions: Type.Array(Type.Unsafe<'revoke-paper'>({ type: 'string', enum: ['revoke-paper'] }), { description: 'revoke-paper: the caseworker may revoke this paper-registered mandate on the principal\'s written request' }),
});

const PersonMandates = Type.Object({
  party: NamedParty, given: Type.Array(StaffMandate), received: Type.Array(StaffMandate),
}, {
  examples: [{
    party: { type: 'person', id: '050844-9057', name: 'Veikko Lindholm' },
    given: [{
      id: '5b0e0a7e-8d53-4bd5-9c55-5d3b5f8e6a10', principal: { type: 'person', id: '050844-9057', name: 'Veikko Lindholm' }, agent: { type: 'person', id: '210170-904K', name: 'Markku Lindholm' },
      issues: ['housing'], validFrom: '2026-11-20', validUntil: '2027-06-30', status: 'active', oneOff: false, municipality: '753', source: 'paper',
      createdAt: '2026-11-20T08:00:00.000Z', paperDocument: { reference: 'SIPOO-2026-17', signedOn: '2026-11-18' }, permittedActions: ['revoke-paper'],
    }],
    received: [],
  }],
});

const PaperRevokeBody = Type.Object({
  writtenRequest: Type.Object({
    receivedOn: DateStr,
    reference: Type.Optional(Type.String({ maxLength: 200, description: 'Archive reference of the written request' })),
  }, { ...strict, description: "The principal's written request to revoke" }),
}, { ...strict, examples: [{ writtenRequest: { receivedOn: '2026-11-30', reference: 'SIPOO-2026-31' } }] });

const PaperCreated = Type.Object({ id: Type.String(), status: Type.String(), registeredOn: DateStr }, {
  examples: [{ id: '5b0e0a7e-8d53-4bd5-9c55-5d3b5f8e6a10', status: 'active', registeredOn: '2026-12-01' }],
});

const Revoked = Type.Object({ id: Type.String(), status: Type.String() }, { examples: [{ id: '5b0e0a7e-8d53-4bd5-9c55-5d3b5f8e6a10', status: 'revoked' }] });

/** Caseworkers at a service point: the same rules as online — a visit or a call is no way round a mandate. */
export const staffRoutes = (ctx: Context): FastifyPluginAsyncTypebox => async (app) => {
  app.post('/api/v1/staff/checks', {
    config: { access: 'staff.check' },
    schema: {
      operationId: 'staffCheck', tags: ['staff'], summary: "May this visitor act for that person? (caseworker)", security,
      body: CheckBody,
      response: {
        200: Type.Object({ ...Decision.properties, actorName: Type.String(), principalName: Type.String() }, {
          examples: [{ allowed: true, basis: 'mandate', mandateId: 'veikko-markku', validUntil: '2030-12-31', oneOff: false, actorName: 'Markku Lindholm', principalName: 'Veikko Lindholm' }],
        }),
        ...problems(400, 401, 403, 404, 429),
      },
    },
  }, async (req) => {
    const staff = staffActorOf(req);
    await spendPartyLookups(ctx, req, [req.body.actor, req.body.principal]);
    const d = await checkAuthorization(ctx, staff, req.body);
    const [actorName, principalName] = await namesOf(ctx, [req.body.actor as PartyRef, req.body.principal as PartyRef]);
    return { ...d, actorName: actorName!, principalName: principalName! };
  });

  app.post('/api/v1/staff/paper-mandates', {
    config: { access: 'paper-mandate.register' },
    schema: {
      operationId: 'registerPaperMandate', tags: ['staff'], summary: 'Register a mandate from a signed paper power of attorney (caseworker)', security,
      body: PaperBody, response: { 201: PaperCreated, ...problems(400, 401, 403, 404, 429) },
    },
  }, async (req, reply) => {
    const staff = staffActorOf(req);
    await spendPartyLookups(ctx, req, [req.body.principal, req.body.agent]);
    // The receipt's date: the registration day by the service's clock.
    return reply.code(201).send({ ...(await registerPaperMandate(ctx, staff, req.body)), registeredOn: today(ctx) });
  });

  app.post('/api/v1/staff/people/mandates', {
    config: { access: 'staff.person-mandates' },
    schema: {
      operationId: 'staffPersonMandates', tags: ['staff'], security,
      summary: 'The mandates one person or organisation has given and received (caseworker; the identity code in the body, the look-up and its reason logged)',
      body: PersonLookupBody, response: { 200: PersonMandates, ...problems(400, 401, 403, 404, 429) },
    },
  }, async (req) => {
    const staff = staffActorOf(req);
    await spendPartyLookups(ctx, req, [req.body.party]);
    return personMandates(ctx, staff, req.body);
  });

  app.post('/api/v1/staff/mandates/:id/revoke', {
    config: { access: 'paper-mandate.revoke' },
    schema: {
      operationId: 'staffRevokePaperMandate', tags: ['staff'], security,
      summary: "Revoke a paper-registered mandate on the principal's written request (caseworker of the registering municipality)",
      params: IdParams, body: PaperRevokeBody, response: { 200: Revoked, ...problems(400, 401, 403, 404, 409) },
    },
  }, async (req) => revokePaperMandate(ctx, staffActorOf(req), req.params.id, req.body));
};
