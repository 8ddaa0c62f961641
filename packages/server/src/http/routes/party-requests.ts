import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { DEFAULT_RESPONSE_DAYS, ERRAND_STATUSES, PARTY_REQUEST_MAX_DAYS, PARTY_RESPONSES } from '@puolesta/domain';
import type { Context } from '../../services/context.js';
import { createPartyRequest, getPartyRequest } from '../../services/party-requests.service.js';
import { clientOf } from '../access-hook.js';
import { API_CLIENT, DateStr, IdParams, Instant, Nullable, Party, ServiceCode, StringEnum, problems, strict } from '../schemas.js';

const security = API_CLIENT;

const STATUS_TEXT = 'awaiting-signatures / awaiting-confirmations: waiting for the parties; submitted: complete — every party has signed or confirmed '
  + '(a party request is not decided by a caseworker: the e-service goes on with it); declined: a party declined (see its `declineReason`); expired: the deadline passed first';
const Status = StringEnum(ERRAND_STATUSES, { description: STATUS_TEXT });

const DocumentBody = Type.Object({
  title: Type.String({ minLength: 1, maxLength: 200, description: 'What the parties are asked to sign or confirm, as they will see it' }),
  sha256: Type.String({ minLength: 1, maxLength: 128, description: "SHA-256 of the document, 64 hexadecimal characters: the parties' answers bind to it (party-request.hash-invalid otherwise)" }),
  summary: Type.Optional(Type.String({ maxLength: 2000, description: 'A short summary shown to the parties' })),
  url: Type.Optional(Type.String({ maxLength: 2000, pattern: '^https://', description: 'Where the parties can read the document (https only)' })),
}, strict);

const CreateBody = Type.Object({
  service: ServiceCode,
  subject: Type.Object({
    type: StringEnum(['person', 'organization', 'property'], { description: "Whom or what the request concerns, as the service's subject: a child, a person, an organisation, a property" }),
    id: Type.String({ minLength: 1, maxLength: 32, description: 'Identity code, business id or property id (in the body only, never in a URL)' }),
  }, strict),
  document: DocumentBody,
  parties: Type.Optional(Type.Array(Party, {
    maxItems: 10,
    description: "Parties to ask besides those the registers give by the service's rule (a property's owners, a child's guardians, an organisation). "
      + 'Services whose parties are co-applicants (or none) ask only those named here. Each must be known to the registers (party.unknown otherwise).',
  })),
  deadline: Type.Optional(Type.String({ maxLength: 10, description: `Last day to answer, YYYY-MM-DD, from tomorrow up to ${PARTY_REQUEST_MAX_DAYS} days ahead (party-request.deadline-invalid otherwise); default ${DEFAULT_RESPONSE_DAYS} days from today` })),
}, {
  ...strict,
  examples: [{
    service: 'building-permit', subject: { type: 'property', id: '753-401-3-45' },
    document: { title: 'Rakennuslupahakemus, Kartanontie 12', sha256: 'a3f1c9e0b5d24f7e8c6a1b2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f', url: 'https://luvat.example.fi/h/123' },
    deadline: '2026-12-20',
  }],
});

const Created = Type.Object({
  id: Type.String(), ref: Type.String({ description: 'A reference people can read out on the phone (the parties see it in their messages)' }), status: Status,
  deadline: DateStr,
}, { examples: [{ id: '6c1f4b8e-7d1a-4f55-9b1e-3c2a4d5e6f70', ref: 'PA-7K3Q9M2X', status: 'awaiting-signatures', deadline: '2026-12-20' }] });

const Document = Type.Object({ title: Type.String(), sha256: Type.String(), summary: Type.Optional(Type.String()), url: Type.Optional(Type.String()) });

const PartyRequest = Type.Object({
  id: Type.String(), ref: Type.String(), status: Status, service: Type.String(),
  subject: Type.Object({ type: Type.String(), id: Type.String() }),
  document: Document,
  ask: StringEnum(['sign', 'confirm'], { description: "What the parties are asked: the service's signatures or confirmations; other services ask a confirmation (a consent)" }),
  deadline: Nullable(DateStr),
  parties: Type.Array(Type.Object({
    type: Type.String(), id: Type.String(), name: Type.String(),
    response: StringEnum(PARTY_RESPONSES, { description: 'pending, signed, confirmed or declined (on the document shown)' }),
    answeredAt: Type.Optional(Instant),
    declineReason: Type.Optional(Type.String()),
  })),
  createdAt: Instant,
  completedAt: Type.Optional(Instant),
}, {
  examples: [{
    id: '6c1f4b8e-7d1a-4f55-9b1e-3c2a4d5e6f70', ref: 'PA-7K3Q9M2X', status: 'awaiting-signatures', service: 'building-permit',
    subject: { type: 'property', id: '753-401-3-45' },
    document: { title: 'Rakennuslupahakemus, Kartanontie 12', sha256: 'a3f1c9e0b5d24f7e8c6a1b2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f' },
    ask: 'sign', deadline: '2026-12-20',
    parties: [
      { type: 'person', id: '111285-9135', name: 'Elias Korhonen', response: 'signed', answeredAt: '2026-12-01T09:12:00.000Z' },
      { type: 'person', id: '230387-9146', name: 'Noora Korhonen', response: 'pending' },
    ],
    createdAt: '2026-12-01T08:00:00.000Z',
  }],
});

/** Party requests: a municipality's own e-service asks the register's parties to sign or confirm its document. HTTP Basic (API client). */
export const partyRequestRoutes = (ctx: Context): FastifyPluginAsyncTypebox => async (app) => {
  app.post('/api/v1/party-requests', { config: { access: 'party-request.create' },
    schema: {
      operationId: 'createPartyRequest', tags: ['vendor'], security,
      summary: "Ask the register's parties to sign or confirm a document of the e-service's own",
      description: "For the municipality's own e-services (consent and approval requests built into them). The parties come from the registers by the service's rule, "
        + 'as in an errand: a property\'s owners, a child\'s guardians, an organisation answering by its signing rule; `parties` adds others (and names them where the service\'s parties are co-applicants or none). '
        + "They are told at once in their own channels and answer in the portal (`POST /api/v1/errands/{id}/responses`), each answer bound to the request's hash, which covers `document.sha256`. "
        + "What is asked is the service's signatures or confirmations in the client's municipality; other services ask a confirmation (a consent). "
        + 'Follow the state with `GET /api/v1/party-requests/{id}`: every party answered → `submitted`, which for a party request means complete; a decline → `declined`.',
      body: CreateBody, response: { 201: Created, ...problems(400, 401, 404) },
    },
  }, async (req, reply) => reply.code(201).send(await createPartyRequest(ctx, clientOf(req), req.body)));

  app.get('/api/v1/party-requests/:id', { config: { access: 'party-request.read' },
    schema: {
      operationId: 'getPartyRequest', tags: ['vendor'], security,
      summary: "A party request's state and each party's response",
      description: `Clients of the requesting municipality only (others: 404 party-request.not-found). Status: ${STATUS_TEXT}. \`deadline\` is null once nobody is waited for.`,
      params: IdParams, response: { 200: PartyRequest, ...problems(401, 404) },
    },
  }, async (req) => getPartyRequest(ctx, clientOf(req), req.params.id));
};
