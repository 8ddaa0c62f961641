import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Context } from '../../services/context.js';
import { checkAuthorization } from '../../services/check.service.js';
import { registerPaperMandate } from '../../services/mandates.service.js';
import { staffActorOf } from '../access-hook.js';
import { spendPartyLookups } from '../rate-limit.js';
import { CheckBody, Created, Decision, PaperBody, SESSION, problems } from '../schemas.js';

const security = SESSION;

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
    return { ...d, actorName: ctx.index.nameOf(req.body.actor as never) ?? '', principalName: ctx.index.nameOf(req.body.principal as never) ?? '' };
  });

  app.post('/api/v1/staff/paper-mandates', {
    config: { access: 'paper-mandate.register' },
    schema: {
      operationId: 'registerPaperMandate', tags: ['staff'], summary: 'Register a mandate from a signed paper power of attorney (caseworker)', security,
      body: PaperBody, response: { 201: Created, ...problems(400, 401, 403, 404, 429) },
    },
  }, async (req, reply) => {
    const staff = staffActorOf(req);
    await spendPartyLookups(ctx, req, [req.body.principal, req.body.agent]);
    return reply.code(201).send(await registerPaperMandate(ctx, staff, req.body));
  });
};
