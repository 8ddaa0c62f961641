import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import multipart from '@fastify/multipart';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { ATTACHMENT_TYPES, downloadName, ERRAND_STATUSES, MAX_ATTACHMENTS, PARTY_RESPONSES, refuse, type AttachmentType } from '@puolesta/domain';
import type { Language } from '../../notifications/types.js';
import type { Context } from '../../services/context.js';
import {
  createErrand, decideErrand, getErrand, myErrands, requestInformation, respondToErrand, saveErrand, staffQueue, submitErrand, withdrawErrand,
} from '../../services/errands.service.js';
import { addAttachment, assertMayAttach, downloadAttachment, removeAttachment, type AttachmentLimits, type Upload } from '../../services/errand-attachments.service.js';
import { errandSummaryPdf } from '../../services/errand-summary.service.js';
import { actorOf, callerOf, staffActorOf } from '../access-hook.js';
import { spendPartyLookups } from '../rate-limit.js';
import { IdempotencyHeaders, IdParams, Instant, MunicipalityCode, Name3, SESSION, ServiceCode, StringEnum, problems, strict } from '../schemas.js';

const security = SESSION;
const Status = StringEnum(ERRAND_STATUSES, { description: 'draft → (awaiting-mandate | awaiting-signatures | awaiting-confirmations) → submitted → (returned →) decided; or withdrawn, declined, expired' });

const ErrandData = Type.Object({}, { additionalProperties: true, description: "The form's data: validated with the service's form (`form` in the service's detail). A draft may lack required fields; sending needs them." });
const Contact = Type.Object({
  email: Type.Optional(Type.String({ maxLength: 254 })),
  phone: Type.Optional(Type.String({ maxLength: 32 })),
}, { ...strict, description: 'Contact details corrected for this errand only' });

const CreateErrandBody = Type.Object({
  municipality: MunicipalityCode,
  service: ServiceCode,
  subject: Type.Object({
    type: StringEnum(['person', 'organization', 'property'], { description: "Whom or what the errand concerns: myself, a person or organisation I act for, my child, a property" }),
    id: Type.String({ minLength: 1, maxLength: 32, description: 'Identity code, business id or property id (in the body only, never in a URL)' }),
  }, strict),
  data: Type.Optional(ErrandData),
  parties: Type.Optional(Type.Array(Type.Object({
    type: StringEnum(['person', 'organization']),
    id: Type.String({ minLength: 1, maxLength: 32 }),
    contact: Type.Optional(Contact),
  }, strict), { maxItems: 10, description: 'Co-applicants the registers cannot tell (services whose parties are co-applicants), and contact details corrected for a party of the registers' })),
}, { ...strict, examples: [{ municipality: '753', service: 'ece-application', subject: { type: 'person', id: '120411A9061' }, data: {} }] });

const CreatedErrand = Type.Object({ id: Type.String(), ref: Type.String({ description: 'A reference people can read out on the phone' }), status: Status }, { examples: [{ id: '6c1f4b8e-7d1a-4f55-9b1e-3c2a4d5e6f70', ref: 'PA-7K3Q9M2X', status: 'draft' }] });
const EXAMPLE_ID = '6c1f4b8e-7d1a-4f55-9b1e-3c2a4d5e6f70';
const EXAMPLE_HASH = '7d865e959b2466918c9863afca942d0fb89d7c9ac0c99bafc3749504ded97730';
const SavedErrand = Type.Object({ id: Type.String(), status: Status, version: Type.Integer(), hash: Type.String() }, { examples: [{ id: EXAMPLE_ID, status: 'awaiting-signatures', version: 3, hash: EXAMPLE_HASH }] });
const StatusOnly = Type.Object({ id: Type.String(), status: Status }, { examples: [{ id: EXAMPLE_ID, status: 'submitted' }] });
/** Two co-owners' building permit: one has sent it (his signature given), the other has yet to sign. */
const ERRAND_EXAMPLE = {
  id: EXAMPLE_ID, ref: 'PA-7K3Q9M2X', status: 'awaiting-signatures', kind: 'errand', municipality: '753', service: 'building-permit',
  serviceName: { fi: 'Rakennuslupa', sv: 'Bygglov', en: 'Building permit' }, basis: { kind: 'owner' },
  actor: { type: 'person', id: '111285-9135', name: 'Elias Korhonen' },
  subject: { type: 'property', id: '753-401-3-45', name: 'Kartanontie 5, 04130 Sipoo' },
  principal: { type: 'person', id: '111285-9135', name: 'Elias Korhonen' },
  parties: [
    { type: 'person', id: '111285-9135', name: 'Elias Korhonen', response: 'signed', represented: false, source: 'register', answeredAt: '2026-12-01T08:00:00.000Z' },
    { type: 'person', id: '230387-9146', name: 'Noora Korhonen', response: 'pending', represented: false, source: 'register' },
  ],
  involvement: 'sign', policy: { kind: 'multi-signature' }, data: {}, version: 3, hash: EXAMPLE_HASH, attested: false, deadline: '2026-12-15', expected: 'wait-for-parties',
  attachments: [{ id: '2b0c7a4e-1f3d-4c58-9a6b-7e8d9f0a1b2c', name: 'pohjapiirros.pdf', contentType: 'application/pdf', size: 48213, sha256: 'b5bb9d8014a0f9b1d61e21e796d78dccdf1352f23cd32812f4850b878ae4944c', createdAt: '2026-12-01T07:55:00.000Z' }],
  events: [{ type: 'errand.created', at: '2026-12-01T07:50:00.000Z', by: 'Elias Korhonen' }, { type: 'errand.sent', at: '2026-12-01T08:00:00.000Z', by: 'Elias Korhonen' }],
  permittedActions: ['edit', 'attach', 'withdraw', 'download-summary'],
  createdAt: '2026-12-01T07:50:00.000Z', updatedAt: '2026-12-01T08:00:00.000Z',
};

const ErrandParty = Type.Object({
  type: Type.String(), id: Type.String(), name: Type.String(),
  response: StringEnum(PARTY_RESPONSES, { description: 'pending; signed / confirmed (on the current version); declined; notified (told, sees the errand and its decision); attested (the applicant confirmed the party agrees)' }),
  represented: Type.Boolean({ description: 'The applicant answers for this party (is it, or acts for it on a basis)' }),
  source: StringEnum(['register', 'entered', 'subject']),
  answeredAt: Type.Optional(Instant),
  declineReason: Type.Optional(Type.String()),
  contact: Type.Optional(Type.Object({ email: Type.Optional(Type.String()), phone: Type.Optional(Type.String()) })),
});

const Sha256 = Type.String({ pattern: '^[0-9a-f]{64}$', description: 'SHA-256 of the content, lowercase hex' });
const AttachmentFields = {
  id: Type.String(),
  name: Type.String({ description: "The file's name as given (anything shaped like an identity code blanked out)" }),
  contentType: StringEnum(ATTACHMENT_TYPES, { description: 'What the content is, by its magic bytes (not by the name or the type the sender declared)' }),
  size: Type.Integer({ description: 'Bytes' }),
  sha256: Sha256,
  createdAt: Instant,
};
const Attachment = Type.Object(AttachmentFields);
const AddedAttachment = Type.Object({
  ...AttachmentFields,
  version: Type.Integer({ description: "The errand's new version" }),
  hash: Type.String({ description: "The errand's new hash (it covers the attachments' digests)" }),
}, { examples: [{ id: '2b0c7a4e-1f3d-4c58-9a6b-7e8d9f0a1b2c', name: 'pohjapiirros.pdf', contentType: 'application/pdf', size: 48213, sha256: 'b5bb9d8014a0f9b1d61e21e796d78dccdf1352f23cd32812f4850b878ae4944c', createdAt: '2026-12-01T08:00:00.000Z', version: 3, hash: '7d865e959b2466918c9863afca942d0fb89d7c9ac0c99bafc3749504ded97730' }] });
const AttachmentParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }), attachmentId: Type.String({ minLength: 1, maxLength: 64 }) });
/** A file answer: the bytes in one of these types, not JSON. */
const binary = (types: readonly string[], description: string) => ({
  description, content: Object.fromEntries(types.map((t) => [t, { schema: { type: 'string', format: 'binary' } }])),
});

/** Multipart framing around the one file (boundaries, part headers, a long file name) on top of the file's own limit. */
const MULTIPART_OVERHEAD = 64 * 1024;

/** The one file of an upload (`file`), read whole into memory, with its limit applied while it streams. */
async function readUpload(req: FastifyRequest, maxBytes: number): Promise<Upload> {
  const tooLarge = () => refuse('attachment.too-large', { maxBytes }, 'file');
  if (Number(req.headers['content-length'] ?? 0) > maxBytes + MULTIPART_OVERHEAD) throw tooLarge();
  if (!req.isMultipart()) throw refuse('input.required', { field: 'file' }, 'file');
  const sizeError = (e: unknown) => ((e as { code?: string })?.code === 'FST_REQ_FILE_TOO_LARGE' ? tooLarge() : e);
  const part = await req.file({ limits: { fileSize: maxBytes, files: 1 } }).catch((e: unknown) => { throw sizeError(e); });
  if (!part || part.fieldname !== 'file') throw refuse('input.required', { field: 'file' }, 'file');
  const content = await part.toBuffer().catch((e: unknown) => { throw sizeError(e); });
  if (part.file.truncated) throw tooLarge();
  return { name: part.filename, content };
}

/** `Content-Disposition: attachment` with an ASCII fallback name and the real one in RFC 5987 form. */
export function attachmentDisposition(name: string): string {
  const fallback = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

const Errand = Type.Object({
  id: Type.String(), ref: Type.String(), status: Status,
  kind: StringEnum(['errand', 'party-request'], { description: "party-request: an e-service of the municipality asks the parties to sign or confirm its `document` (the applicant is null)" }),
  document: Type.Optional(Type.Object({
    title: Type.String(), sha256: Type.String(), summary: Type.Optional(Type.String()), url: Type.Optional(Type.String()),
  }, { description: 'A party request\'s document: what the parties sign or confirm is this digest' })), municipality: Type.String(), service: Type.String(), serviceName: Name3,
  basis: Type.Union([Type.Null(), Type.Object({
    kind: StringEnum(['self', 'mandate', 'guardianship', 'court-guardianship', 'organization-role', 'owner']),
    mandateId: Type.Optional(Type.String()), oneOff: Type.Optional(Type.Boolean()),
  })], { description: 'How the applicant may act for the principal; null while none is known (a mandate is asked for when the errand is sent)' }),
  actor: Type.Union([Type.Null(), Type.Object({ type: Type.String(), id: Type.String(), name: Type.String() })], { description: 'The applicant' }),
  subject: Type.Object({ type: Type.String(), id: Type.String(), name: Type.String({ description: "A person's or organisation's name, or a property's address" }) }),
  principal: Type.Union([Type.Null(), Type.Object({ type: Type.String(), id: Type.String(), name: Type.String() })]),
  parties: Type.Array(ErrandParty),
  mandateRequest: Type.Optional(Type.Object({ id: Type.String() }, { description: 'The mandate request sending made (situation A)' })),
  neededMandate: Type.Optional(Type.Object({
    issues: Type.Array(Type.String()), validFrom: Type.String({ format: 'date' }), validUntil: Type.String({ format: 'date' }), oneOff: Type.Boolean(),
  }, { description: "With no basis yet: the mandate sending will ask the principal for — the service's issues and recommended duration, one-off or not" })),
  decision: Type.Optional(Type.Object({ outcome: StringEnum(['approved', 'rejected']), text: Type.String(), at: Instant })),
  informationRequest: Type.Optional(Type.Object({ text: Type.String(), at: Instant, answeredAt: Type.Optional(Instant) })),
  involvement: StringEnum(['sign', 'confirm', 'notify', 'attest', 'none'], { description: "What the service's policy asks of the other parties" }),
  policy: Type.Object({ kind: StringEnum(['no-need', 'alone', 'mandate', 'multi-signature']), alternative: Type.Optional(StringEnum(['attest', 'notify', 'confirm'])) }, { description: "The service's policy in the municipality when the errand was started" }),
  data: ErrandData,
  version: Type.Integer({ description: 'Grows with every change; signatures bind to `hash`' }),
  hash: Type.String({ description: 'SHA-256 of the version shown: send it with a signature' }),
  attested: Type.Boolean(),
  deadline: Type.Optional(Type.String({ format: 'date', description: 'Last day for the parties to answer' })),
  expected: Type.String({ description: 'What is expected of the caller now: complete-and-send, sign, confirm, answer-information-request, wait-for-mandate, wait-for-parties, wait-for-decision, read-decision, decide, nothing' }),
  attachments: Type.Array(Attachment, { description: 'The files that are part of the errand, in the order they were added (their digests are in `hash`; removed ones are not listed)' }),
  events: Type.Array(Type.Object({ type: Type.String(), at: Instant, by: Type.Optional(Type.String()) })),
  permittedActions: Type.Array(StringEnum(['edit', 'attach', 'submit', 'withdraw', 'request-information', 'decide', 'sign', 'confirm', 'decline', 'download-summary'])),
  createdAt: Instant, updatedAt: Instant, submittedAt: Type.Optional(Instant),
}, { examples: [ERRAND_EXAMPLE] });
const ErrandList = Type.Object({ items: Type.Array(Errand) }, { examples: [{ items: [ERRAND_EXAMPLE] }] });
const QueueList = Type.Object({
  items: Type.Array(Type.Composite([Errand, Type.Object({ ageDays: Type.Integer({ description: 'Days since it was sent' }) })])),
  nextCursor: Type.Optional(Type.String({ description: 'Pass as `cursor` for the next page; absent on the last page' })),
}, { examples: [{ items: [{ ...ERRAND_EXAMPLE, status: 'submitted', submittedAt: '2026-12-02T09:00:00.000Z', expected: 'decide', permittedActions: ['request-information', 'decide', 'download-summary'], ageDays: 3 }] }] });

/** Errands: citizens start, save, send, sign and follow them; caseworkers ask and decide. */
export const errandRoutes = (ctx: Context, limits: AttachmentLimits): FastifyPluginAsyncTypebox => async (app) => {
  // Multipart bodies are taken here only (this plugin's scope), one file and its limit at a time.
  await app.register(multipart, { limits: { fileSize: limits.maxBytes, files: 1, fields: 10, fieldSize: 1024, parts: 12, headerPairs: 100 }, throwFileSizeLimit: true });
  // The multipart parser leaves the body to the route (request.file()): its schema sees {} (this scope only).
  app.addHook('preValidation', (req, _reply, done) => {
    if (req.method === 'POST' && req.body === undefined) req.body = {};
    done();
  });

  app.post('/api/v1/errands', { config: { access: 'errand.create' },
    schema: {
      operationId: 'createErrand', tags: ['errands'], summary: 'Start an errand (a draft): the basis for acting and every party are worked out from the registers', security,
      body: CreateErrandBody, response: { 201: CreatedErrand, ...problems(400, 401, 403, 404, 429) },
    },
  }, async (req, reply) => {
    await spendPartyLookups(ctx, req, req.body.parties ?? []);
    return reply.code(201).send(await createErrand(ctx, await callerOf(ctx, req), req.body));
  });

  app.put('/api/v1/errands/:id', { config: { access: 'errand.edit' },
    schema: {
      operationId: 'saveErrand', tags: ['errands'], summary: "Save the errand's data (drafts save as you go; a change after a signature voids the signatures and asks again)", security,
      params: IdParams, body: Type.Object({
        data: ErrandData,
        parties: Type.Optional(Type.Array(Type.Object({ type: StringEnum(['person', 'organization']), id: Type.String({ minLength: 1, maxLength: 32 }), contact: Type.Optional(Contact) }, strict), {
          maxItems: 20, description: "Contact details corrected for this errand, for parties it already has (not part of what is signed); an empty contact restores the register's",
        })),
      }, strict), response: { 200: SavedErrand, ...problems(400, 401, 403, 404, 409) },
    },
  }, async (req) => saveErrand(ctx, await callerOf(ctx, req), req.params.id, req.body));

  app.post('/api/v1/errands/:id/submit', { config: { access: 'errand.submit' },
    schema: {
      operationId: 'submitErrand', tags: ['errands'], security,
      summary: 'Send the errand: to wait for a mandate (asked for at once), for the parties, or to processing. Honours `Idempotency-Key`.',
      params: IdParams,
      headers: IdempotencyHeaders,
      body: Type.Optional(Type.Object({ attest: Type.Optional(Type.Boolean({ description: 'The applicant confirms the other parties know and agree (services whose policy is attest)' })) }, strict)),
      response: { 200: StatusOnly, ...problems(400, 401, 403, 404, 409) },
    },
  }, async (req) => submitErrand(ctx, await callerOf(ctx, req), req.params.id, { ...(req.body?.attest !== undefined ? { attest: req.body.attest } : {}), ...(req.headers['idempotency-key'] ? { idempotencyKey: req.headers['idempotency-key'] } : {}) }));

  app.get('/api/v1/errands/:id', { config: { access: 'errand.read' },
    schema: { operationId: 'getErrand', tags: ['errands'], summary: 'One errand: who acted for whom on which basis, the parties and their answers, the decision, and what the caller may do', security, params: IdParams, response: { 200: Errand, ...problems(401, 404) } },
  }, async (req) => {
    const a = actorOf(req);
    return getErrand(ctx, a.kind === 'staff' ? a : await callerOf(ctx, req), req.params.id);
  });

  app.post('/api/v1/errands/:id/responses', { config: { access: 'errand.respond' },
    schema: {
      operationId: 'respondToErrand', tags: ['errands'], summary: "A party signs, confirms or declines (with a reason) the version it was shown", security, params: IdParams,
      body: Type.Object({
        response: StringEnum(['sign', 'confirm', 'decline']),
        reason: Type.Optional(Type.String({ maxLength: 1000 })),
        hash: Type.Optional(Type.String({ minLength: 64, maxLength: 64, description: "The errand's `hash` as shown: refused with errand.version-changed if it has changed since" })),
      }, strict),
      response: { 200: StatusOnly, ...problems(400, 401, 403, 404, 409) },
    },
  }, async (req) => respondToErrand(ctx, await callerOf(ctx, req), req.params.id, req.body as { response: 'sign' | 'confirm' | 'decline'; reason?: string; hash?: string }));

  app.post('/api/v1/errands/:id/withdraw', { config: { access: 'errand.withdraw' },
    schema: { operationId: 'withdrawErrand', tags: ['errands'], summary: 'Withdraw the errand before its decision (the parties are told)', security, params: IdParams, response: { 200: StatusOnly, ...problems(401, 403, 404, 409) } },
  }, async (req) => withdrawErrand(ctx, await callerOf(ctx, req), req.params.id));

  app.post('/api/v1/errands/:id/information-requests', { config: { access: 'errand.request-information' },
    schema: {
      operationId: 'requestErrandInformation', tags: ['errands'], summary: 'A caseworker asks for more information: the errand returns to the applicant', security, params: IdParams,
      body: Type.Object({ text: Type.String({ minLength: 1, maxLength: 4000 }) }, strict), response: { 200: StatusOnly, ...problems(400, 401, 403, 404, 409) },
    },
  }, async (req) => requestInformation(ctx, staffActorOf(req), req.params.id, req.body));

  app.post('/api/v1/errands/:id/decision', { config: { access: 'errand.decide' },
    schema: {
      operationId: 'decideErrand', tags: ['errands'], summary: 'A caseworker of the municipality decides: the decision reaches every party and the principal', security, params: IdParams,
      body: Type.Object({ outcome: StringEnum(['approved', 'rejected']), text: Type.String({ minLength: 1, maxLength: 8000 }) }, strict),
      response: { 200: StatusOnly, ...problems(400, 401, 403, 404, 409) },
    },
  }, async (req) => decideErrand(ctx, staffActorOf(req), req.params.id, req.body as { outcome: 'approved' | 'rejected'; text: string }));

  app.post('/api/v1/errands/:id/attachments', { config: { access: 'errand.attach' },
    // The file's limit and the framing around it (JSON bodies elsewhere keep the app's limit).
    bodyLimit: limits.maxBytes + MULTIPART_OVERHEAD,
    schema: {
      operationId: 'addErrandAttachment', tags: ['errands'], security, params: IdParams,
      summary: `Add a file to the errand (the applicant, while it may be changed): multipart/form-data with one file in field \`file\`; PDF, JPEG, PNG or UTF-8 text by content, at most ${limits.maxBytes} bytes, ${MAX_ATTACHMENTS} files an errand. A new version: standing signatures are void`,
      consumes: ['multipart/form-data'],
      body: Type.Object({ file: Type.Optional(Type.String({ format: 'binary', description: 'The file (required; its name is kept)' })) }),
      response: { 201: AddedAttachment, ...problems(400, 401, 403, 404, 409) },
    },
  }, async (req, reply) => {
    const c = await callerOf(ctx, req);
    await assertMayAttach(ctx, c, req.params.id);
    const file = await readUpload(req, limits.maxBytes);
    return reply.code(201).send(await addAttachment(ctx, c, req.params.id, file, limits));
  });

  app.get('/api/v1/errands/:id/attachments/:attachmentId', { config: { access: 'errand.read' },
    schema: {
      operationId: 'downloadErrandAttachment', tags: ['errands'], security, params: AttachmentParams,
      summary: 'Download a file of the errand (whoever may see the errand): its bytes as stored, Content-Type as its content shows',
      response: { 200: binary(ATTACHMENT_TYPES, 'The file, as an attachment to save'), ...problems(401, 404) },
    },
  }, async (req, reply) => {
    const a = actorOf(req);
    const file = await downloadAttachment(ctx, a.kind === 'staff' ? a : await callerOf(ctx, req), req.params.id, req.params.attachmentId);
    const type = file.contentType as AttachmentType;
    return reply
      .header('content-type', type === 'text/plain' ? 'text/plain; charset=utf-8' : type)
      .header('content-disposition', attachmentDisposition(downloadName(file.name, type)))
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'; sandbox")
      .header('cache-control', 'no-store')
      .header('digest', `sha-256=${Buffer.from(file.sha256, 'hex').toString('base64')}`)
      .send(file.content);
  });

  app.delete('/api/v1/errands/:id/attachments/:attachmentId', { config: { access: 'errand.attach' },
    schema: {
      operationId: 'removeErrandAttachment', tags: ['errands'], security, params: AttachmentParams,
      summary: 'Take a file off the errand (the applicant, while it may be changed; it is kept, no longer part of the errand). A new version: standing signatures are void',
      response: { 200: SavedErrand, ...problems(401, 403, 404, 409) },
    },
  }, async (req) => removeAttachment(ctx, await callerOf(ctx, req), req.params.id, req.params.attachmentId));

  app.get('/api/v1/errands/:id/summary.pdf', { config: { access: 'errand.download-summary' },
    schema: {
      operationId: 'downloadErrandSummary', tags: ['errands'], security, params: IdParams,
      summary: "The errand's summary as a PDF to print or keep (whoever may see it, once it has been sent): who acted for whom on which basis, the parties' answers, the data, the attachments' digests, the version's hash, the decision",
      querystring: Type.Object({ lang: Type.Optional(StringEnum(['fi', 'sv', 'en'], { description: "Default: the caller's language (staff: fi)" })) }, strict),
      response: { 200: binary(['application/pdf'], 'The summary (A4)'), ...problems(400, 401, 404, 409) },
    },
  }, async (req, reply) => {
    const a = actorOf(req);
    const { ref, pdf } = await errandSummaryPdf(ctx, a.kind === 'staff' ? a : await callerOf(ctx, req), req.params.id, req.query.lang as Language | undefined);
    return reply
      .header('content-type', 'application/pdf')
      .header('content-disposition', `attachment; filename="${ref}.pdf"`)
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'no-store')
      .send(pdf);
  });

  app.get('/api/v1/me/errands', { config: { access: 'errand.list-own' },
    schema: { operationId: 'listMyErrands', tags: ['errands'], summary: 'My errands: as applicant, principal (or for whom I decide) or party, with what is expected of me', security, response: { 200: ErrandList, ...problems(401, 403) } },
  }, async (req) => myErrands(ctx, await callerOf(ctx, req)));

  app.get('/api/v1/staff/errands', { config: { access: 'errand.queue' },
    schema: {
      operationId: 'listStaffErrands', tags: ['errands'], summary: "The caseworker's municipality's errands, oldest first (keyset-paginated)", security,
      querystring: Type.Object({
        status: Type.Optional(Type.String({ maxLength: 200, description: 'Comma-separated statuses; default submitted' })),
        service: Type.Optional(ServiceCode),
        cursor: Type.Optional(Type.String({ maxLength: 200 })),
        limit: Type.Optional(Type.String({ pattern: '^(100|[1-9][0-9]?)$', description: 'Page size, 1–100 (default 25)' })),
      }, strict),
      response: { 200: QueueList, ...problems(400, 401, 403) },
    },
  }, async (req) => {
    const q = req.query;
    if (q.status !== undefined && q.status.trim() === '') throw refuse('input.schema', { field: 'status', message: 'is empty' }, 'status');
    const { limit, ...rest } = q;
    return staffQueue(ctx, staffActorOf(req), { ...rest, ...(limit !== undefined ? { limit: Number(limit) } : {}) });
  });
};
