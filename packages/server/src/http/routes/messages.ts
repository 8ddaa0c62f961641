import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { CONTACT_CHANNELS, refuse } from '@puolesta/domain';
import type { Context } from '../../services/context.js';
import { countUnread, listDeliveries, listMessages, markMessageRead, mySettings, retryDelivery, saveMySettings } from '../../services/notifications.service.js';
import { personActorOf, staffActorOf } from '../access-hook.js';
import { IdParams, Instant, MunicipalityCode, Nullable, SESSION, StringEnum, problems, strict } from '../schemas.js';

const CHANNEL_STATUS = ['delivered', 'pending', 'sending', 'unavailable', 'failed', 'dead'];

const Message = Type.Object({
  id: Type.String(),
  event: Type.String({ description: 'What happened, e.g. mandate.requested' }),
  subject: Type.String(),
  body: Type.String({ description: 'Plain text, in the recipient\'s language' }),
  createdAt: Instant,
  readAt: Type.Optional(Instant),
  mandateId: Type.Optional(Type.String()),
  errandId: Type.Optional(Type.String()),
  channels: Type.Array(Type.Object({
    channel: StringEnum(['inbox', 'email', 'suomifi', 'sms', 'paper']),
    status: StringEnum(CHANNEL_STATUS, { description: 'delivered; pending / sending (on its way); unavailable (handed to the next channel); failed (no channel left); dead (gave up after the last try)' }),
  }), { description: 'How the message travelled: always the inbox, then each channel tried in order' }),
});

const Messages = Type.Object({
  unread: Type.Integer({ minimum: 0 }),
  messages: Type.Array(Message),
}, {
  examples: [{
    unread: 1,
    messages: [{
      id: '0f8e0c1e-6a53-4a7b-9d7e-2f1f7a1a9a11', event: 'mandate.requested', subject: 'Kari Mäkelä pyytää sinulta valtuutusta',
      body: 'Hei Aino Mäkelä, …', createdAt: '2026-12-01T08:00:00.000Z', mandateId: '5b0e0a7e-8d53-4bd5-9c55-5d3b5f8e6a10',
      channels: [{ channel: 'inbox', status: 'delivered' }, { channel: 'paper', status: 'delivered' }],
    }],
  }],
});

const Settings = Type.Object({
  preferredChannel: StringEnum(CONTACT_CHANNELS),
  email: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  language: StringEnum(['fi', 'sv', 'en']),
  notifyEveryUse: Type.Boolean({ description: 'Tell me of every use of a mandate I gave (a one-off\'s use is always told)' }),
  fromRegister: Type.Boolean({ description: 'True until the person saves settings of their own: these come from the population register' }),
  permittedActions: Type.Array(StringEnum(['edit'])),
}, { examples: [{ preferredChannel: 'email', email: 'sanna.lindholm@example.fi', phone: null, language: 'sv', notifyEveryUse: false, fromRegister: true, permittedActions: ['edit'] }] });

const SettingsBody = Type.Object({
  preferredChannel: Type.String({ maxLength: 20, description: 'suomifi, email, sms or paper' }),
  email: Type.Optional(Nullable(Type.String({ maxLength: 320 }))),
  phone: Type.Optional(Nullable(Type.String({ maxLength: 40 }))),
  language: Type.String({ maxLength: 5, description: 'fi, sv or en' }),
  notifyEveryUse: Type.Optional(Type.Boolean()),
}, { ...strict, examples: [{ preferredChannel: 'sms', phone: '+358401234914', email: null, language: 'fi', notifyEveryUse: true }] });

const Delivery = Type.Object({
  id: Type.String(), messageId: Type.String(), event: Type.String(), channel: Type.String(),
  status: StringEnum(['pending', 'sending', 'failed', 'dead']),
  attempts: Type.Integer(), maxAttempts: Type.Integer(), municipality: Nullable(Type.String()), language: Type.String(),
  createdAt: Instant, nextAttemptAt: Nullable(Instant), finishedAt: Nullable(Instant), lastError: Nullable(Type.String()),
  mandateId: Type.Optional(Type.String()),
  permittedActions: Type.Array(StringEnum(['retry'])),
});
const Deliveries = Type.Object({ deliveries: Type.Array(Delivery) }, {
  examples: [{ deliveries: [{ id: '42', messageId: '0f8e0c1e-6a53-4a7b-9d7e-2f1f7a1a9a11', event: 'mandate.granted', channel: 'email', status: 'dead', attempts: 8, maxAttempts: 8, municipality: '753', language: 'sv', createdAt: '2026-12-01T08:00:00.000Z', nextAttemptAt: null, finishedAt: '2026-12-02T08:00:00.000Z', lastError: 'connect ECONNREFUSED', permittedActions: ['retry'] }] }],
});

/** The in-app inbox, one's contact settings, and the operators' view of deliveries. */
export const messageRoutes = (ctx: Context): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/api/v1/me/messages', { config: { access: 'message.list-own' },
    schema: { operationId: 'listMyMessages', tags: ['citizen'], summary: 'My messages, newest first, with the unread count and how each travelled', security: SESSION, response: { 200: Messages, ...problems(401, 403) } },
  }, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    return listMessages(ctx, personActorOf(req));
  });

  app.get('/api/v1/me/messages/unread', { config: { access: 'message.list-own' },
    schema: {
      operationId: 'countMyUnreadMessages', tags: ['citizen'], summary: 'How many of my messages are unread (for the header; one cheap query)', security: SESSION,
      response: { 200: Type.Object({ unread: Type.Integer({ minimum: 0 }) }, { examples: [{ unread: 2 }] }), ...problems(401, 403) },
    },
  }, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    return countUnread(ctx, personActorOf(req));
  });

  app.post('/api/v1/me/messages/:id/read', { config: { access: 'message.mark-read' },
    schema: {
      operationId: 'markMyMessageRead', tags: ['citizen'], summary: 'Mark one of my messages read (again: no change)', security: SESSION, params: IdParams,
      response: { 200: Type.Object({ id: Type.String(), readAt: Instant }, { examples: [{ id: '0f8e0c1e-6a53-4a7b-9d7e-2f1f7a1a9a11', readAt: '2026-12-01T09:00:00.000Z' }] }), ...problems(401, 403, 404) },
    },
  }, async (req) => markMessageRead(ctx, personActorOf(req), req.params.id));

  app.get('/api/v1/me/settings', { config: { access: 'settings.read-own' },
    schema: { operationId: 'getMySettings', tags: ['citizen'], summary: 'How I want to be told: channel, e-mail, phone, language', security: SESSION, response: { 200: Settings, ...problems(401, 403) } },
  }, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    return mySettings(ctx, personActorOf(req));
  });

  app.put('/api/v1/me/settings', { config: { access: 'settings.edit-own' },
    schema: { operationId: 'saveMySettings', tags: ['citizen'], summary: 'Change how I want to be told (the chosen channel needs its address)', security: SESSION, body: SettingsBody, response: { 200: Settings, ...problems(400, 401, 403) } },
  }, async (req) => saveMySettings(ctx, personActorOf(req), req.body));

  app.get('/api/v1/admin/deliveries', { config: { access: 'delivery.list' },
    schema: {
      operationId: 'listDeliveries', tags: ['admin'], summary: 'Messages not delivered (pending, failed, dead-lettered) of the municipality\'s residents; the umbrella admin sees all', security: SESSION,
      querystring: Type.Object({ municipality: Type.Optional(MunicipalityCode) }, strict),
      response: { 200: Deliveries, ...problems(400, 401, 403) },
    },
  }, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    return listDeliveries(ctx, staffActorOf(req), req.query.municipality);
  });

  app.post('/api/v1/admin/deliveries/:id/retry', { config: { access: 'delivery.retry' },
    schema: {
      operationId: 'retryDelivery', tags: ['admin'], summary: 'Send a failed or dead-lettered delivery again, from its first try', security: SESSION, params: IdParams,
      response: { 200: Type.Object({ id: Type.String(), status: StringEnum(['pending']) }, { examples: [{ id: '42', status: 'pending' }] }), ...problems(401, 403, 404, 409) },
    },
  }, async (req) => retryDelivery(ctx, staffActorOf(req), req.params.id));
};

/** Throws unless the request carries the metrics token (when one is configured). */
export function assertMetricsToken(token: string | undefined, header: string | undefined): void {
  if (token && header !== `Bearer ${token}`) throw refuse('metrics.token-required');
}
