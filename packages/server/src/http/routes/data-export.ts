import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Context } from '../../services/context.js';
import type { Language } from '../../notifications/types.js';
import { personalDataExport, personalDataPdf } from '../../services/data-export.service.js';
import { callerOf } from '../access-hook.js';
import { Instant, LogEntry, MandateLists, Name3, Nullable, SESSION, StringEnum, problems, strict } from '../schemas.js';

const security = SESSION;
const Free = Type.Object({}, { additionalProperties: true });
const Ref = Type.Object({ type: Type.String(), id: Type.String(), name: Type.String() });

const DataExport = Type.Object({
  generatedAt: Instant,
  person: Type.Object({
    id: Type.String({ description: 'Your own identity code (only ever in this body, never in a URL)' }),
    firstName: Type.String(), lastName: Type.String(), birthDate: Type.String(), municipality: Nullable(Type.String()), language: Type.String(),
  }, { description: 'Your record in the population register, as Puolesta holds it' }),
  contactSettings: Type.Object({
    preferredChannel: Type.String(), email: Nullable(Type.String()), phone: Nullable(Type.String()), language: Type.String(),
    notifyEveryUse: Type.Boolean(), fromRegister: Type.Boolean(),
  }),
  mandates: MandateLists,
  usageLog: Type.Array(LogEntry, { description: 'Uses of the mandates, newest first' }),
  errands: Type.Array(Type.Object({
    id: Type.String(), ref: Type.String(), kind: Type.String(), status: Type.String(), municipality: Type.String(), service: Type.String(), serviceName: Name3,
    applicant: Nullable(Ref), subject: Ref, principal: Nullable(Ref),
    parties: Type.Array(Type.Object({ type: Type.String(), id: Type.String(), name: Type.String(), response: Type.String() })),
    basis: Nullable(Free), data: Free,
    decision: Type.Optional(Type.Object({ outcome: Type.String(), text: Type.String(), at: Instant })),
    attachments: Type.Array(Type.Object({ name: Type.String(), contentType: Type.String(), size: Type.Integer(), createdAt: Instant }), { description: 'Listed by name and size; the files themselves are downloaded from the errand' }),
    events: Type.Array(Type.Object({ type: Type.String(), at: Instant, by: Type.Optional(Type.String()) })),
    createdAt: Instant, updatedAt: Instant, submittedAt: Type.Optional(Instant),
  })),
  messages: Type.Array(Type.Object({
    event: Type.String(), subject: Type.String(), body: Type.String(), createdAt: Instant, readAt: Type.Optional(Instant),
    mandateId: Type.Optional(Type.String()), errandId: Type.Optional(Type.String()),
  })),
  audit: Type.Array(Type.Object({
    at: Instant, event: Type.String(), byMe: Type.Boolean({ description: 'You did it yourself' }), actorKind: Type.String(),
    mandateId: Type.Optional(Type.String()), errandRef: Type.Optional(Type.String()), municipality: Type.Optional(Type.String()),
  }), { description: 'Entries of the audit log that you made or that concern your mandates, oldest first' }),
  sessions: Type.Object({ count: Type.Integer({ minimum: 0 }), lastUsedAt: Nullable(Instant) }, { description: 'Your open sessions: how many, and when one was last used' }),
}, { examples: [{
  generatedAt: '2026-12-01T08:00:00.000Z',
  person: { id: '210170-904K', firstName: 'Markku', lastName: 'Lindholm', birthDate: '1970-01-21', municipality: '245', language: 'fi' },
  contactSettings: { preferredChannel: 'suomifi', email: null, phone: null, language: 'fi', notifyEveryUse: false, fromRegister: true },
  mandates: { given: [], received: [], requestsIn: [], requestsOut: [] },
  usageLog: [], errands: [], messages: [], audit: [],
  sessions: { count: 1, lastUsedAt: '2026-12-01T08:00:00.000Z' },
}] });

/** A person's own data (GDPR access, issue 11 item 9): JSON, and the same as a PDF. */
export const dataExportRoutes = (ctx: Context): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/api/v1/me/data-export', { config: { access: 'personal-data.export' },
    schema: {
      operationId: 'exportMyData', tags: ['citizen'], security,
      summary: 'Everything Puolesta holds about me, as a JSON file: my register record, contact settings, mandates and requests, their usage log, my errands, messages, audit entries and sessions',
      querystring: Type.Object({}, strict),
      response: { 200: DataExport, ...problems(401, 403) },
    },
  }, async (req, reply) => {
    const data = await personalDataExport(ctx, await callerOf(ctx, req));
    reply.header('content-disposition', 'attachment; filename="puolesta-omat-tiedot.json"').header('cache-control', 'no-store');
    return data;
  });

  app.get('/api/v1/me/data-export.pdf', { config: { access: 'personal-data.export' },
    schema: {
      operationId: 'exportMyDataPdf', tags: ['citizen'], security,
      summary: 'Everything Puolesta holds about me, as a readable PDF (A4) with a section for each part; names only',
      querystring: Type.Object({ lang: Type.Optional(StringEnum(['fi', 'sv', 'en'], { description: "Default: the person's language" })) }, strict),
      response: { 200: { description: 'My data (A4)', content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } }, ...problems(400, 401, 403) },
    },
  }, async (req, reply) => {
    const bytes = await personalDataPdf(ctx, await callerOf(ctx, req), req.query.lang as Language | undefined);
    return reply
      .header('content-type', 'application/pdf')
      .header('content-disposition', 'attachment; filename="puolesta-omat-tiedot.pdf"')
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'no-store')
      .send(bytes);
  });
};
