import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Context } from '../../services/context.js';
import { checkAuthorization, listPrincipals } from '../../services/check.service.js';
import { recordUse } from '../../services/mandates.service.js';
import { clientOf } from '../access-hook.js';
import { API_CLIENT, CheckBody, Decision, MandateIdParams, PrincipalsBody, PrincipalsResponse, UseBody, UseResponse, problems } from '../schemas.js';

const security = API_CLIENT;

/** The API other e-services of the municipality call. HTTP Basic with an API client's id and secret. */
export const vendorRoutes = (ctx: Context): FastifyPluginAsyncTypebox => async (app) => {
  app.post('/api/v1/authorizations/check', {
    // The e-services' hot route: successful calls logged in part, refusals and errors always (http/telemetry.ts).
    config: { access: 'authorization.check', requestLog: 'sampled' },
    schema: {
      operationId: 'checkAuthorization', tags: ['vendor'], summary: 'May this actor act for this principal in this issue, now?', security,
      description: 'One answer for every channel. `municipality` defaults to the API client\'s own; an e-service cannot check for another municipality. Not allowed comes with a plain-words `reason`.',
      body: CheckBody, response: { 200: Decision, ...problems(400, 401, 403, 404) },
    },
    // Not async: while the index is fresh the decision is a value, sent without a promise (decision 0018).
  }, (req) => checkAuthorization(ctx, clientOf(req), req.body));

  app.post('/api/v1/authorizations/principals', {
    config: { access: 'authorization.principals', requestLog: 'sampled' },
    schema: {
      operationId: 'listPrincipals', tags: ['vendor'], summary: 'Everyone the actor may act for in this issue', security,
      body: PrincipalsBody, response: { 200: PrincipalsResponse, ...problems(400, 401, 404) },
    },
  }, async (req) => ({ principals: await listPrincipals(ctx, clientOf(req), req.body) }));

  app.post('/api/v1/mandates/:mandateId/uses', {
    config: { access: 'mandate.record-use' },
    schema: {
      operationId: 'recordMandateUse', tags: ['vendor'], summary: 'Record that a mandate was used in an errand (consumes a one-off)', security,
      description: 'Call when the errand is submitted on the principal\'s behalf. The principal sees every use in the mandate\'s log. A consumed, revoked or expired mandate answers 409.',
      params: MandateIdParams, body: UseBody, response: { 201: UseResponse, ...problems(400, 401, 404, 409) },
    },
  }, async (req, reply) => {
    const client = clientOf(req);
    return reply.code(201).send(await recordUse(ctx, client, req.params.mandateId, req.body));
  });
};
