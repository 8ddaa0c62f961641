import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Language } from '../../notifications/types.js';
import type { Context } from '../../services/context.js';
import { mandateReceiptPdf } from '../../services/mandate-receipt.service.js';
import { mandateLog, myLog } from '../../services/usage-log.service.js';
import { actorOf, callerOf } from '../access-hook.js';
import { IdParams, LogEntry, Name3, SESSION, StringEnum, problems, strict } from '../schemas.js';

const security = SESSION;

const Limit = Type.String({ pattern: '^(100|[1-9][0-9]?)$', description: 'Page size, 1–100 (default 50)' });
const Cursor = Type.String({ maxLength: 200, description: 'The `next` of the previous page' });
const LocalDay = (description: string) => Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description });

const MyLogResponse = Type.Object({
  entries: Type.Array(LogEntry, { description: 'Uses of the mandates, newest first' }),
  next: Type.Optional(Type.String({ description: 'Cursor of the next (older) page; absent on the last page' })),
  filters: Type.Object({
    mandates: Type.Array(Type.Object({ id: Type.String(), principal: Type.String(), agent: Type.String(), issues: Type.Array(Type.String()), validUntil: Type.String() })),
    parties: Type.Array(Type.Object({ key: Type.String({ description: 'Pass as `party`: an opaque key, never an identity code' }), name: Type.String() })),
    services: Type.Array(Type.Object({ code: Type.String(), name: Name3 })),
  }, { description: 'What the log may be filtered by' }),
}, { examples: [{
  entries: [{
    at: '2026-12-01T08:00:00.000Z', event: 'used', mandateId: 'veikko-markku', actor: { type: 'person', name: 'Markku Lindholm' }, errandRef: 'RL-2026-0042', municipality: '245',
    service: { code: 'building-permit', name: { fi: 'Rakennuslupa', sv: 'Bygglov', en: 'Building permit' } },
    eService: { id: 'demo-245', name: { fi: 'Keravan asiointipalvelu', sv: 'Kervo stads e-tjänst', en: 'Kerava e-services' }, municipality: '245' },
    mandate: { principal: 'Veikko Lindholm', agent: 'Markku Lindholm' },
  }],
  filters: { mandates: [{ id: 'veikko-markku', principal: 'Veikko Lindholm', agent: 'Markku Lindholm', issues: ['housing'], validUntil: '2030-12-31' }], parties: [{ key: 'veikko-markku.agent', name: 'Markku Lindholm' }], services: [{ code: 'building-permit', name: { fi: 'Rakennuslupa', sv: 'Bygglov', en: 'Building permit' } }] },
}] });

const MandateLogResponse = Type.Object({
  entries: Type.Array(LogEntry, { description: 'Newest first' }),
  next: Type.Optional(Type.String({ description: 'Cursor of the next (older) page; absent on the last page' })),
}, { examples: [{ entries: [] }] });

/** A PDF answer. */
const pdf = (description: string) => ({ description, content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } });

const limitOf = (s: string | undefined) => (s === undefined ? {} : { limit: Number(s) });

/** The usage log (a mandate's, and across all my mandates) and a mandate's PDF receipt (issue 10, item 5). */
export const usageLogRoutes = (ctx: Context): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/api/v1/mandates/:id/log', { config: { access: 'mandate.read-log' },
    schema: {
      operationId: 'getMandateLog', tags: ['citizen'], security, params: IdParams,
      summary: 'Who used the mandate, when, in which service and e-service, for which errand; and its life cycle. Newest first, a page at a time',
      querystring: Type.Object({ cursor: Type.Optional(Cursor), limit: Type.Optional(Limit) }, strict),
      response: { 200: MandateLogResponse, ...problems(400, 401, 404) },
    },
  }, async (req) => {
    const { cursor, limit } = req.query;
    return mandateLog(ctx, await callerOf(ctx, req), req.params.id, { ...(cursor ? { cursor } : {}), ...limitOf(limit) });
  });

  app.get('/api/v1/me/log', { config: { access: 'mandate.list-log-own' },
    schema: {
      operationId: 'getMyLog', tags: ['citizen'], security,
      summary: 'The uses of every mandate whose log I may read (given, received, and those of the parties I stand for), newest first, a page at a time',
      querystring: Type.Object({
        mandate: Type.Optional(Type.String({ maxLength: 100, description: 'Only this mandate' })),
        party: Type.Optional(Type.String({ maxLength: 140, description: 'Only mandates with this other party (a key from `filters.parties`)' })),
        service: Type.Optional(Type.String({ maxLength: 100, description: 'Only uses in this service' })),
        from: Type.Optional(LocalDay('Uses on or after this day (Finnish time)')),
        to: Type.Optional(LocalDay('Uses on or before this day (Finnish time)')),
        cursor: Type.Optional(Cursor),
        limit: Type.Optional(Limit),
      }, strict),
      response: { 200: MyLogResponse, ...problems(400, 401, 403) },
    },
  }, async (req) => {
    const { limit, ...rest } = req.query;
    return myLog(ctx, await callerOf(ctx, req), { ...rest, ...limitOf(limit) });
  });

  app.get('/api/v1/mandates/:id/receipt.pdf', { config: { access: 'mandate.download-receipt' },
    schema: {
      operationId: 'downloadMandateReceipt', tags: ['citizen'], security, params: IdParams,
      summary: "A mandate's receipt as a PDF (whoever may see the mandate; a caseworker of the municipality that registered a paper mandate): who, whom, matters, validity, limits, status, reference. Names only",
      querystring: Type.Object({ lang: Type.Optional(StringEnum(['fi', 'sv', 'en'], { description: "Default: the person's language (staff: fi)" })) }, strict),
      response: { 200: pdf('The receipt (A4)'), ...problems(400, 401, 403, 404) },
    },
  }, async (req, reply) => {
    const a = actorOf(req);
    const { reference, pdf: bytes } = await mandateReceiptPdf(ctx, a.kind === 'staff' ? a : await callerOf(ctx, req), req.params.id, req.query.lang as Language | undefined);
    return reply
      .header('content-type', 'application/pdf')
      .header('content-disposition', `attachment; filename="mandate-${reference.replace(/[^A-Za-z0-9-]/g, '_')}.pdf"`)
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'no-store')
      .send(bytes);
  });
};
