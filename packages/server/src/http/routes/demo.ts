import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { refuse } from '@puolesta/domain';
import { Instant, PUBLIC, StringEnum, problems } from '../schemas.js';
import type { DemoOutboxSource } from '../../notifications/types.js';

export type { DemoOutboxSource };


const DemoDelivery = Type.Object({
  channel: StringEnum(['email', 'suomifi', 'sms', 'paper']),
  to: Type.String({ description: 'E-mail address, phone number, or the recipient\'s name (Suomi.fi Messages, paper): never an identity code' }),
  subject: Type.String(),
  language: Type.String(),
  at: Instant,
  messageId: Type.String({ description: 'The channel\'s id (Message-ID, Suomi.fi messageId, SMS id, print job id)' }),
  contentUrl: Type.Optional(Type.String({ description: 'The e-mail\'s HTML or the letter\'s PDF' })),
});

/** Demo mode only: what every simulated channel received, so that a newcomer sees messages travel. */
export const demoRoutes = (source: DemoOutboxSource): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/api/v1/demo/outbox', { config: { access: 'demo.read-outbox' },
    schema: {
      operationId: 'getDemoOutbox', tags: ['system'], summary: 'Demo mode: what the simulated e-mail, Suomi.fi Messages, SMS and print services received, newest first', security: PUBLIC,
      response: {
        200: Type.Object({ deliveries: Type.Array(DemoDelivery) }, {
          examples: [{ deliveries: [{ channel: 'paper', to: 'Aino Mäkelä', subject: 'Kari Mäkelä pyytää sinulta valtuutta', language: 'fi', at: '2026-12-01T08:00:01.000Z', messageId: 'job-1', contentUrl: '/api/v1/demo/outbox/paper/job-1' }] }],
        }),
        ...problems(503),
      },
    },
  }, async (_req, reply) => {
    reply.header('cache-control', 'no-store');
    const all = await source.received();
    return {
      deliveries: all.map((d) => ({
        channel: d.channel, to: d.to, subject: d.subject, language: d.language, at: d.at, messageId: d.messageId,
        ...(d.channel === 'email' || d.channel === 'paper' ? { contentUrl: `/api/v1/demo/outbox/${d.channel}/${encodeURIComponent(d.messageId)}` } : {}),
      })),
    };
  });

  app.get('/api/v1/demo/outbox/:channel/:messageId', { config: { access: 'demo.read-outbox' },
    schema: {
      operationId: 'getDemoOutboxContent', tags: ['system'], summary: 'Demo mode: an e-mail\'s HTML or a paper letter\'s PDF as the simulator received it', security: PUBLIC,
      params: Type.Object({ channel: StringEnum(['email', 'paper']), messageId: Type.String({ minLength: 1, maxLength: 300 }) }),
      response: { 200: { type: 'string', description: 'text/html or application/pdf', examples: ['<html>…</html>'] }, ...problems(400, 404) },
    },
  }, async (req, reply) => {
    const c = await source.content(req.params.channel as 'email' | 'paper', req.params.messageId);
    if (!c) throw refuse('object.not-found');
    // The HTML is shown in a sandboxed frame of the demo page: no scripts, nothing from elsewhere.
    reply.header('content-type', c.type).header('cache-control', 'no-store')
      .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; sandbox")
      .header('x-content-type-options', 'nosniff');
    return reply.send(c.body);
  });
};
