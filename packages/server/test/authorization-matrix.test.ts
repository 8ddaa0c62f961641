import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORMS } from '../src/forms/forms.js';
import { client, O, P, person, startTestApp, type TestApp } from './helpers.js';
import { ptvService } from './ptv-simulator.js';

/**
 * The authorization matrix (issue 11, item 7): every route × every kind of caller.
 *
 * The expected allowances below are written from the access rules' `describe` texts in
 * packages/domain/src/access.ts (who may do what), NOT by asking the code under test. For every
 * cell: an allowed caller gets 2xx (or a 4xx about the body/state: 400, 409, 422); any other gets
 * 401, 403 or 404; a caller who may not know the object gets exactly what a random non-existing id
 * gets (same status, same problem `code`); the refused calls of a route change nothing in the
 * database (a fingerprint of every table's content before and after); nothing answers 5xx.
 *
 * "This" municipality is Sipoo (753), "another" is Kerava (245). The citizen kinds are concrete
 * fixture people; per resource, the ones with a relation to the object are named in `who`. Where a
 * kind has no relation to a route's object (e.g. a guardian and a mandate between two adults) the
 * kind's default person — a guardian, signatory, … of someone else — asks, and is expected refused.
 */

const KINDS = [
  'anonymous', 'owner', 'other-citizen', 'party', 'principal', 'guardian', 'signatory',
  'caseworker', 'admin', 'caseworker-other', 'admin-other', 'umbrella-admin', 'client', 'client-other',
] as const;
type Kind = (typeof KINDS)[number];
type CitizenKind = 'owner' | 'other-citizen' | 'party' | 'principal' | 'guardian' | 'signatory';
const CITIZENS: readonly CitizenKind[] = ['owner', 'other-citizen', 'party', 'principal', 'guardian', 'signatory'];
const SESSIONS: readonly Kind[] = [...CITIZENS, 'caseworker', 'admin', 'caseworker-other', 'admin-other', 'umbrella-admin'];
const EVERYONE: readonly Kind[] = KINDS;
const CLIENTS: readonly Kind[] = ['client', 'client-other'];

/** Default people per citizen kind (each holds that kind of relation to something in the demo data). */
const DEFAULT_WHO: Record<CitizenKind, string> = {
  owner: P.markku, // agent of Veikko's mandate, guardian of Onni
  principal: P.veikko, // principal of the mandate to Markku
  guardian: P.sanna, // guardian of Ella
  signatory: P.jari, // signs alone for Keravan Lämpö Oy (and guardian of Ella)
  party: P.noora, // co-owner of the Sipoo home (a party of Elias's building permit)
  'other-citizen': P.stranger, // no relation to anyone
};
const STAFF: Partial<Record<Kind, string>> = {
  caseworker: 'caseworker-753', admin: 'admin-753', 'caseworker-other': 'caseworker-245', 'admin-other': 'admin-245', 'umbrella-admin': 'umbrella-admin',
};
const CLIENT_AUTH: Partial<Record<Kind, string>> = { client: client('753'), 'client-other': client('245') };

type Json = Record<string, any>;
type Payload = { json?: unknown; multipart?: { name: string; type: string; bytes: Buffer } };
interface Target {
  url: string;
  payload?: Payload;
  /** A body that names the calling person (for oneself): given the caller's identity code (another person for non-citizens). */
  bodyFor?: (me: string) => unknown;
  /** The object's id in `url` (object routes): strangers must get what a random id gets. */
  id?: string;
}
interface Spec {
  /** Caller kinds the access rules allow (from access.ts `describe` texts). */
  allow: readonly Kind[];
  /** Kinds that may know the object exists (may get a 403 naming a rule rather than the not-found answer). */
  sees?: readonly Kind[];
  /** Citizen kinds played by other people for this route's object. */
  who?: Partial<Record<CitizenKind, string>>;
  /** Builds what the route acts on (once per route; `perCaller`: once for each allowed caller). */
  target: () => Promise<Target>;
  perCaller?: boolean;
  /** The allowed callers may get 404 for this code (no such object exists for them to act on). */
  allowedNotFound?: string;
  /** The route ends sessions: log everyone in again afterwards. */
  relogin?: boolean;
}

let t: TestApp;
const headersOf = new Map<string, Record<string, string>>();
let examples: Map<string, unknown>;

async function loginAll() {
  headersOf.clear();
  const people = new Set<string>([...Object.values(DEFAULT_WHO), P.elias, P.kari]);
  for (const id of people) headersOf.set(`p:${id}`, await t.as({ person: id }));
  for (const key of Object.values(STAFF)) headersOf.set(`s:${key}`, await t.as({ staff: key! }));
}

const personOf = (kind: Kind, spec: Spec): string => (CITIZENS as readonly string[]).includes(kind) ? (spec.who?.[kind as CitizenKind] ?? DEFAULT_WHO[kind as CitizenKind]) : P.kari;
const payloadOf = (target: Target, kind: Kind, spec: Spec): Payload | undefined => (target.bodyFor ? { json: target.bodyFor(personOf(kind, spec)) } : target.payload);

function headersFor(kind: Kind, spec: Spec): Record<string, string> {
  if (kind === 'anonymous') return {};
  if (CLIENT_AUTH[kind]) return { authorization: CLIENT_AUTH[kind]! };
  if (STAFF[kind]) return headersOf.get(`s:${STAFF[kind]}`)!;
  const id = spec.who?.[kind as CitizenKind] ?? DEFAULT_WHO[kind as CitizenKind];
  const h = headersOf.get(`p:${id}`);
  if (!h) throw new Error(`no session for ${kind}`);
  return h;
}

async function ensureSession(spec: Spec) {
  for (const id of Object.values(spec.who ?? {})) if (!headersOf.has(`p:${id}`)) headersOf.set(`p:${id}`, await t.as({ person: id! }));
}

async function call(method: string, url: string, headers: Record<string, string>, payload?: Payload) {
  const h = { ...headers };
  let body: string | Buffer | undefined;
  if (payload?.multipart) {
    const f = payload.multipart;
    const boundary = `----matrix${randomBytes(8).toString('hex')}`;
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${f.name}"\r\nContent-Type: ${f.type}\r\n\r\n`;
    body = Buffer.concat([Buffer.from(head, 'utf8'), f.bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]);
    h['content-type'] = `multipart/form-data; boundary=${boundary}`;
  } else if (payload?.json !== undefined) {
    body = JSON.stringify(payload.json);
    h['content-type'] = 'application/json';
  }
  const r = await t.app.inject({ method: method as 'GET', url, headers: h, ...(body !== undefined ? { payload: body } : {}) });
  let code: string | undefined;
  try { code = (JSON.parse(r.body) as Json).code; } catch { code = undefined; }
  return { status: r.statusCode, code, body: r.body };
}

const as = async (who: { person: string } | { staff: string } | { client: string }, method: string, url: string, json?: unknown) => {
  const headers = 'client' in who ? { authorization: client(who.client) } : headersOf.get('person' in who ? `p:${who.person}` : `s:${who.staff}`) ?? (await t.as(who));
  const r = await call(method, url, headers, json === undefined ? undefined : { json });
  if (r.status >= 300) throw new Error(`fixture call ${method} ${url} failed: ${r.status} ${r.body}`);
  return JSON.parse(r.body || '{}') as Json;
};

/** A value shaped like `id` (a UUID, or the same characters with the digits and letters drawn anew) that names nothing. */
function lookalike(id: string): string {
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-/i.test(id)) return randomUUID();
  // A sequence number (deliveries): one far past any the test makes, never a real one of another municipality.
  if (/^[0-9]+$/.test(id)) return String(1_900_000_000 + Math.floor(Math.random() * 100_000_000));
  return id.replace(/[0-9]/g, () => String(Math.floor(Math.random() * 10))).replace(/[a-f]/g, () => 'abcdef'[Math.floor(Math.random() * 6)]!);
}

/** Everything the database holds, per table: row count and a hash of the content (sessions aside: logins make them). */
async function fingerprint(): Promise<Record<string, string>> {
  const { rows: tables } = await sql<{ t: string }>`select table_name as t from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by 1`.execute(t.ctx.db);
  const out: Record<string, string> = {};
  for (const { t: name } of tables) {
    // Not state a request writes: logins make sessions; authz_nodes is each process's acknowledgement of the authorization index (bookkeeping in the background);
    // rate_limit_windows counts calls, refused ones too (a look-up of an unknown code spends from the budget before its 404).
    if (name === 'sessions' || name === 'authz_nodes' || name === 'rate_limit_windows' || name === 'kysely_migration' || name === 'kysely_migration_lock') continue;
    const { rows } = await sql<{ n: number; h: string | null }>`select count(*)::int as n, md5(string_agg(x::text, '|' order by x::text)) as h from ${sql.table(name)} x`.execute(t.ctx.db);
    out[name] = `${rows[0]!.n}:${rows[0]!.h}`;
  }
  return out;
}

// ---- per-resource factories ------------------------------------------------------------------------

const example = (service: string) => structuredClone((FORMS[service] as unknown as { examples: unknown[] }).examples[0]) as Json;
const SIPOO_HOME = '753-401-3-45';
/** Elias (owner kind) applies for a building permit for the home he owns with Noora (party kind). */
const ERRAND_WHO = { owner: P.elias } as const;
type ErrandState = 'draft' | 'awaiting' | 'submitted';
async function errand(state: ErrandState, withAttachment = false): Promise<{ id: string; attachmentId?: string; hash?: string }> {
  const e = await as({ person: P.elias }, 'POST', '/api/v1/errands', { municipality: '753', service: 'building-permit', subject: { type: 'property', id: SIPOO_HOME }, data: example('building-permit') });
  let attachmentId: string | undefined;
  if (withAttachment) {
    const r = await call('POST', `/api/v1/errands/${e.id}/attachments`, headersOf.get(`p:${P.elias}`)!, { multipart: PDF });
    if (r.status !== 201) throw new Error(`attachment: ${r.status} ${r.body}`);
    attachmentId = (JSON.parse(r.body) as Json).id;
  }
  if (state === 'draft') return { id: e.id, attachmentId };
  await as({ person: P.elias }, 'POST', `/api/v1/errands/${e.id}/submit`, {});
  const seen = await as({ person: P.noora }, 'GET', `/api/v1/errands/${e.id}`);
  if (state === 'awaiting') return { id: e.id, attachmentId, hash: seen.hash };
  await as({ person: P.noora }, 'POST', `/api/v1/errands/${e.id}/responses`, { response: 'sign', hash: seen.hash });
  return { id: e.id, attachmentId };
}
const PDF = { name: 'liite.pdf', type: 'application/pdf', bytes: Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n') };

/** Veikko (principal kind) gives Markku (owner kind: the agent) a new mandate. */
async function mandate(): Promise<string> {
  return (await as({ person: P.veikko }, 'POST', '/api/v1/mandates', { agent: person(P.markku), issues: ['housing'], validUntil: '2027-12-31' })).id;
}
/** Markku (owner kind) asks Veikko (principal kind) for a mandate. */
async function mandateRequest(): Promise<string> {
  return (await as({ person: P.markku }, 'POST', '/api/v1/mandate-requests', { principal: person(P.veikko), issues: ['financial-support'], validUntil: '2027-12-31' })).id;
}
/** A caseworker of Sipoo registers Veikko's paper power of attorney for Markku. */
async function paperMandate(): Promise<string> {
  return (await as({ staff: 'caseworker-753' }, 'POST', '/api/v1/staff/paper-mandates', {
    principal: person(P.veikko), agent: person(P.markku), issues: ['housing'], validUntil: '2027-06-30', document: { reference: `PAPER-${randomBytes(3).toString('hex')}`, signedOn: '2026-11-20' },
  })).id;
}
/** A message in Markku's (owner kind) inbox. */
async function message(): Promise<string> {
  await mandate();
  const list = await as({ person: P.markku }, 'GET', '/api/v1/me/messages');
  const id = (list.messages as Json[])[0]?.id;
  if (!id) throw new Error('no message for Markku');
  return id;
}
/** Sipoo's e-service (client kind) asks the owners of the Sipoo home to sign. */
async function partyRequest(): Promise<string> {
  return (await as({ client: '753' }, 'POST', '/api/v1/party-requests', examples.get('POST /api/v1/party-requests'))).id;
}
async function serviceClass(code: string): Promise<Json> {
  const all = await as({ person: P.stranger }, 'GET', '/api/v1/catalogue/services');
  const s = ((all.services ?? all.items ?? all) as Json[]).find((x) => x.code === code);
  if (!s) throw new Error(`no service class ${code}`);
  return s;
}

const url = (u: string, payload?: unknown): (() => Promise<Target>) => async () => ({ url: u, ...(payload !== undefined ? { payload: { json: payload } } : {}) });
const ex = (key: string) => examples.get(key);
const PTV_ID = '0b7c3a52-1c1e-4a3e-9f43-2b2a0a3e9d11';
/** One PTV page with one Sipoo service (the OpenAPI example is a sketch and lacks fields the import needs). */
const ptvPage = () => ({ pageNumber: 1, pageSize: 100, pageCount: 1, itemList: [ptvService(PTV_ID, { fi: 'Varhaiskasvatushakemus' })] });

// ---- the table --------------------------------------------------------------------------------------

const ADMINS_HERE: readonly Kind[] = ['admin', 'umbrella-admin'];
const ERRAND_SEES: readonly Kind[] = ['owner', 'party', 'caseworker'];
const MANDATE_SEES: readonly Kind[] = ['owner', 'principal'];

const SPECS: Record<string, Spec> = {
  // public (catalogue.read, service.read-health, auth.*, demo.read-outbox, service.read-metrics)
  'GET /api/v1/catalogue/issues': { allow: EVERYONE, target: url('/api/v1/catalogue/issues') },
  'GET /api/v1/catalogue/bundles': { allow: EVERYONE, target: url('/api/v1/catalogue/bundles') },
  'GET /api/v1/municipalities': { allow: EVERYONE, target: url('/api/v1/municipalities') },
  'GET /api/v1/catalogue/services': { allow: EVERYONE, target: url('/api/v1/catalogue/services') },
  'GET /api/v1/municipalities/:code/services': { allow: EVERYONE, target: url('/api/v1/municipalities/753/services') },
  'GET /api/v1/municipalities/:code/services/:serviceCode': { allow: EVERYONE, target: url('/api/v1/municipalities/753/services/ece-application') },
  'GET /api/v1/catalogue/versions': { allow: EVERYONE, target: url('/api/v1/catalogue/versions') },
  'GET /api/v1/catalogue/versions/:from/compare/:to': {
    allow: EVERYONE,
    target: async () => {
      const v = await as({ person: P.stranger }, 'GET', '/api/v1/catalogue/versions');
      const list = (v.versions ?? v.items ?? v) as Json[];
      const ids = list.map((x) => x.version ?? x.id);
      return { url: `/api/v1/catalogue/versions/${ids[ids.length - 1]}/compare/${ids[0]}` };
    },
  },
  'GET /health': { allow: EVERYONE, target: url('/health') },
  'GET /healthz': { allow: EVERYONE, target: url('/healthz') },
  'GET /readyz': { allow: EVERYONE, target: url('/readyz') },
  'GET /api/v1/openapi.json': { allow: EVERYONE, target: url('/api/v1/openapi.json') },
  'GET /metrics': { allow: EVERYONE, target: url('/metrics') },
  'GET /auth/config': { allow: EVERYONE, target: url('/auth/config') },
  'GET /auth/demo-personas': { allow: EVERYONE, target: url('/auth/demo-personas') },
  'POST /auth/demo-login': { allow: EVERYONE, target: url('/auth/demo-login', { person: P.stranger }), relogin: true },
  'POST /auth/logout': { allow: EVERYONE, target: url('/auth/logout', {}), relogin: true },
  'POST /api/v1/auth/logout': { allow: EVERYONE, target: url('/api/v1/auth/logout', {}), relogin: true },
  // session.end-all: any session ends all of its own sessions (an API client has none)
  'POST /api/v1/auth/logout-everywhere': { allow: SESSIONS, target: url('/api/v1/auth/logout-everywhere', {}), relogin: true },
  'GET /api/v1/demo/outbox': { allow: EVERYONE, target: url('/api/v1/demo/outbox') },
  'GET /api/v1/demo/outbox/:channel/:messageId': { allow: EVERYONE, target: url(`/api/v1/demo/outbox/email/${randomUUID()}`), allowedNotFound: '*' },

  // a session (session.read, party.lookup)
  'GET /api/v1/me': { allow: SESSIONS, target: url('/api/v1/me') },
  'POST /api/v1/parties/lookup': { allow: SESSIONS, target: url('/api/v1/parties/lookup', person(P.kari)) },

  // citizens' own lists and settings
  'GET /api/v1/me/mandates': { allow: CITIZENS, target: url('/api/v1/me/mandates') },
  'GET /api/v1/me/people': { allow: CITIZENS, target: url('/api/v1/me/people') },
  'GET /api/v1/me/log': { allow: CITIZENS, target: url('/api/v1/me/log') },
  // personal data export (issue 11, item 9)
  'GET /api/v1/me/data-export': { allow: CITIZENS, target: url('/api/v1/me/data-export') },
  'GET /api/v1/me/data-export.pdf': { allow: CITIZENS, target: url('/api/v1/me/data-export.pdf') },
  'GET /api/v1/me/errands': { allow: CITIZENS, target: url('/api/v1/me/errands') },
  'GET /api/v1/me/messages': { allow: CITIZENS, target: url('/api/v1/me/messages') },
  'GET /api/v1/me/messages/unread': { allow: CITIZENS, target: url('/api/v1/me/messages/unread') },
  'GET /api/v1/me/settings': { allow: CITIZENS, target: url('/api/v1/me/settings') },
  'PUT /api/v1/me/settings': { allow: CITIZENS, target: async () => ({ url: '/api/v1/me/settings', payload: { json: { preferredChannel: 'suomifi', email: null, phone: null, language: 'fi', notifyEveryUse: false } } }) },
  'POST /api/v1/me/messages/:id/read': {
    allow: ['owner'], sees: ['owner'],
    target: async () => { const id = await message(); return { url: `/api/v1/me/messages/${id}/read`, id, payload: { json: {} } }; },
  },

  // mandates (mandate.grant: an adult for oneself; mandate.request: anyone for oneself; the rest: the mandate's sides)
  'POST /api/v1/mandates': { allow: CITIZENS, target: url('/api/v1/mandates', { agent: person(P.kari), issues: ['housing'], validUntil: '2027-12-31' }) },
  'POST /api/v1/mandate-requests': { allow: CITIZENS, target: url('/api/v1/mandate-requests', { principal: person(P.kari), issues: ['housing'], validUntil: '2027-12-31' }) },
  'GET /api/v1/mandates/:id': { allow: MANDATE_SEES, sees: MANDATE_SEES, target: async () => { const id = await mandate(); return { url: `/api/v1/mandates/${id}`, id }; } },
  'GET /api/v1/mandates/:id/log': { allow: MANDATE_SEES, sees: MANDATE_SEES, target: async () => { const id = await mandate(); return { url: `/api/v1/mandates/${id}/log`, id }; } },
  'GET /api/v1/mandates/:id/receipt.pdf': { allow: MANDATE_SEES, sees: MANDATE_SEES, target: async () => { const id = await mandate(); return { url: `/api/v1/mandates/${id}/receipt.pdf`, id }; } },
  'POST /api/v1/mandates/:id/revoke': { allow: ['principal'], sees: MANDATE_SEES, target: async () => { const id = await mandate(); return { url: `/api/v1/mandates/${id}/revoke`, id, payload: { json: {} } }; } },
  'POST /api/v1/mandates/:id/renounce': { allow: ['owner'], sees: MANDATE_SEES, target: async () => { const id = await mandate(); return { url: `/api/v1/mandates/${id}/renounce`, id, payload: { json: {} } }; } },
  'POST /api/v1/mandate-requests/:id/decision': {
    allow: ['principal'], sees: MANDATE_SEES,
    target: async () => { const id = await mandateRequest(); return { url: `/api/v1/mandate-requests/${id}/decision`, id, payload: { json: { decision: 'grant', issues: ['financial-support'], validUntil: '2027-06-30' } } }; },
  },
  'GET /api/v1/organizations/:id/mandates': { allow: ['signatory'], sees: ['signatory'], target: async () => ({ url: `/api/v1/organizations/${O.keravaLampo}/mandates`, id: O.keravaLampo }) },

  // e-services (API clients)
  'POST /api/v1/authorizations/check': { allow: CLIENTS, target: async () => ({ url: '/api/v1/authorizations/check', payload: { json: ex('POST /api/v1/authorizations/check') } }) },
  'POST /api/v1/authorizations/principals': { allow: CLIENTS, target: async () => ({ url: '/api/v1/authorizations/principals', payload: { json: ex('POST /api/v1/authorizations/principals') } }) },
  'POST /api/v1/mandates/:mandateId/uses': {
    allow: CLIENTS,
    target: async () => {
      const id = await mandate();
      return { url: `/api/v1/mandates/${id}/uses`, payload: { json: { errandRef: 'RL-2026-0042', actor: person(P.markku), service: 'resident-parking' } } };
    },
  },
  'POST /api/v1/party-requests': { allow: CLIENTS, target: async () => ({ url: '/api/v1/party-requests', payload: { json: ex('POST /api/v1/party-requests') } }) },
  'GET /api/v1/party-requests/:id': { allow: ['client'], sees: ['client'], target: async () => { const id = await partyRequest(); return { url: `/api/v1/party-requests/${id}`, id }; } },

  // staff: caseworkers
  'POST /api/v1/staff/checks': { allow: ['caseworker', 'caseworker-other'], target: async () => ({ url: '/api/v1/staff/checks', payload: { json: ex('POST /api/v1/staff/checks') } }) },
  'POST /api/v1/staff/paper-mandates': {
    allow: ['caseworker'],
    target: url('/api/v1/staff/paper-mandates', { principal: person(P.aino), agent: person(P.kari), issues: ['housing'], validUntil: '2027-06-30', municipality: '753', document: { reference: 'PAPER-M', signedOn: '2026-11-20' } }),
  },
  'POST /api/v1/staff/people/mandates': { allow: ['caseworker', 'caseworker-other'], target: async () => ({ url: '/api/v1/staff/people/mandates', payload: { json: ex('POST /api/v1/staff/people/mandates') } }) },
  'POST /api/v1/staff/mandates/:id/revoke': {
    allow: ['caseworker'], sees: ['caseworker'],
    target: async () => { const id = await paperMandate(); return { url: `/api/v1/staff/mandates/${id}/revoke`, id, payload: { json: { writtenRequest: { receivedOn: '2026-11-30', reference: 'SIPOO-2026-31' } } } }; },
  },
  'GET /api/v1/staff/errands': { allow: ['caseworker', 'caseworker-other'], target: url('/api/v1/staff/errands') },

  // errands: Elias (owner kind) applies, Noora (party kind) co-owns; Sipoo's caseworker decides
  'POST /api/v1/errands': { allow: CITIZENS, target: async () => ({ url: '/api/v1/errands', bodyFor: (me) => ({ municipality: '753', service: 'feedback', subject: person(me), data: example('feedback') }) }) },
  'GET /api/v1/errands/:id': { allow: ERRAND_SEES, sees: ERRAND_SEES, who: ERRAND_WHO, target: async () => { const e = await errand('awaiting'); return { url: `/api/v1/errands/${e.id}`, id: e.id }; } },
  'PUT /api/v1/errands/:id': {
    allow: ['owner'], sees: ['owner'], who: ERRAND_WHO,
    target: async () => { const e = await errand('draft'); return { url: `/api/v1/errands/${e.id}`, id: e.id, payload: { json: { data: example('building-permit') } } }; },
  },
  'POST /api/v1/errands/:id/submit': { allow: ['owner'], sees: ['owner'], who: ERRAND_WHO, target: async () => { const e = await errand('draft'); return { url: `/api/v1/errands/${e.id}/submit`, id: e.id, payload: { json: {} } }; } },
  // The applicant is a party too: having signed by sending, Elias is answered 409 already-answered (state, not access).
  'POST /api/v1/errands/:id/responses': {
    allow: ['party', 'owner'], sees: ERRAND_SEES, who: ERRAND_WHO,
    target: async () => { const e = await errand('awaiting'); return { url: `/api/v1/errands/${e.id}/responses`, id: e.id, payload: { json: { response: 'sign', hash: e.hash } } }; },
  },
  'POST /api/v1/errands/:id/withdraw': { allow: ['owner'], sees: ERRAND_SEES, who: ERRAND_WHO, target: async () => { const e = await errand('awaiting'); return { url: `/api/v1/errands/${e.id}/withdraw`, id: e.id, payload: { json: {} } }; } },
  'POST /api/v1/errands/:id/information-requests': {
    allow: ['caseworker'], sees: ERRAND_SEES, who: ERRAND_WHO,
    target: async () => { const e = await errand('submitted'); return { url: `/api/v1/errands/${e.id}/information-requests`, id: e.id, payload: { json: { text: 'Lisätkää asemapiirros.' } } }; },
  },
  'POST /api/v1/errands/:id/decision': {
    allow: ['caseworker'], sees: ERRAND_SEES, who: ERRAND_WHO,
    target: async () => { const e = await errand('submitted'); return { url: `/api/v1/errands/${e.id}/decision`, id: e.id, payload: { json: { outcome: 'approved', text: 'Lupa myönnetään.' } } }; },
  },
  'POST /api/v1/errands/:id/attachments': { allow: ['owner'], sees: ['owner'], who: ERRAND_WHO, target: async () => { const e = await errand('draft'); return { url: `/api/v1/errands/${e.id}/attachments`, id: e.id, payload: { multipart: PDF } }; } },
  'GET /api/v1/errands/:id/attachments/:attachmentId': {
    allow: ERRAND_SEES, sees: ERRAND_SEES, who: ERRAND_WHO,
    target: async () => { const e = await errand('awaiting', true); return { url: `/api/v1/errands/${e.id}/attachments/${e.attachmentId}`, id: e.id }; },
  },
  'DELETE /api/v1/errands/:id/attachments/:attachmentId': {
    allow: ['owner'], sees: ['owner'], who: ERRAND_WHO,
    target: async () => { const e = await errand('draft', true); return { url: `/api/v1/errands/${e.id}/attachments/${e.attachmentId}`, id: e.id }; },
  },
  'GET /api/v1/errands/:id/summary.pdf': { allow: ERRAND_SEES, sees: ERRAND_SEES, who: ERRAND_WHO, target: async () => { const e = await errand('awaiting'); return { url: `/api/v1/errands/${e.id}/summary.pdf`, id: e.id }; } },

  // admins: a municipality's own admin, or the umbrella admin; the common catalogue: the umbrella admin
  'PUT /api/v1/admin/catalogue/services/:serviceCode': {
    allow: ['umbrella-admin'],
    target: async () => {
      const s = await serviceClass('feedback');
      const body = Object.fromEntries(Object.entries(s).filter(([k]) => ['name', 'description', 'subject', 'issues', 'parties', 'policy', 'recommendedMandate'].includes(k) && s[k] !== null));
      return { url: '/api/v1/admin/catalogue/services/feedback', payload: { json: { ...body, note: 'Matrix test' } } };
    },
  },
  'PUT /api/v1/admin/catalogue/issues/:code': { allow: ['umbrella-admin'], target: url('/api/v1/admin/catalogue/issues/boating', { name: { fi: 'Veneily', sv: 'Båtliv', en: 'Boating' } }) },
  'PUT /api/v1/admin/catalogue/bundles/:code': { allow: ['umbrella-admin'], target: url('/api/v1/admin/catalogue/bundles/my-boat', { name: { fi: 'Veneeni', sv: 'Min båt', en: 'My boat' }, issues: ['housing'] }) },
  'PUT /api/v1/admin/municipalities/:code/services/:serviceCode': { allow: ADMINS_HERE, target: url('/api/v1/admin/municipalities/753/services/resident-parking', {}) },
  'PUT /api/v1/admin/municipalities/:code/services/:serviceCode/policy': {
    allow: ADMINS_HERE, target: url('/api/v1/admin/municipalities/753/services/water-connection/policy', { kind: 'mandate' }),
  },
  'DELETE /api/v1/admin/municipalities/:code/services/:serviceCode': {
    allow: ADMINS_HERE, perCaller: true,
    target: async () => {
      await as({ staff: 'umbrella-admin' }, 'PUT', '/api/v1/admin/municipalities/753/services/street-use-permit', {});
      return { url: '/api/v1/admin/municipalities/753/services/street-use-permit' };
    },
  },
  'POST /api/v1/admin/municipalities/:code/ptv-imports': { allow: ADMINS_HERE, target: async () => ({ url: '/api/v1/admin/municipalities/753/ptv-imports', payload: { json: ptvPage() } }) },
  'GET /api/v1/admin/municipalities/:code/ptv-pending': { allow: ADMINS_HERE, target: url('/api/v1/admin/municipalities/753/ptv-pending') },
  'POST /api/v1/admin/municipalities/:code/ptv-links': {
    allow: ADMINS_HERE,
    target: async () => {
      await as({ staff: 'admin-753' }, 'POST', '/api/v1/admin/municipalities/753/ptv-imports', ptvPage());
      return { url: '/api/v1/admin/municipalities/753/ptv-links', payload: { json: { ptvId: PTV_ID, service: 'ece-application' } } };
    },
  },
  'GET /api/v1/admin/municipalities/:code/coverage': { allow: ADMINS_HERE, target: url('/api/v1/admin/municipalities/753/coverage') },
  'GET /api/v1/admin/municipalities/:code/ptv-export': { allow: ADMINS_HERE, target: url('/api/v1/admin/municipalities/753/ptv-export') },
  'GET /api/v1/admin/deliveries': { allow: ADMINS_HERE, target: url('/api/v1/admin/deliveries?municipality=753') },
  'POST /api/v1/admin/deliveries/:id/retry': {
    allow: ADMINS_HERE, sees: ADMINS_HERE, perCaller: true,
    target: async () => {
      await message(); // a message to Markku (Sipoo): its delivery waits in the outbox
      const list = await as({ staff: 'admin-753' }, 'GET', '/api/v1/admin/deliveries?municipality=753');
      const id = (list.deliveries as Json[]).find((d) => d.status === 'pending')?.id;
      if (!id) throw new Error('no delivery in Sipoo');
      // Without the worker nothing is ever sent: the delivery is given up on (dead-lettered) here, as the worker would after its attempts.
      await t.ctx.db.updateTable('deliveries').set({ status: 'dead', finished_at: t.clock.now }).where('id', '=', Number(id)).execute();
      return { url: `/api/v1/admin/deliveries/${id}/retry`, id: String(id), payload: { json: {} } };
    },
  },
};

// ---- the run ------------------------------------------------------------------------------------------

type Outcome = 'allowed-2xx' | 'allowed-4xx-body' | 'refused-401' | 'refused-403' | 'refused-404' | 'allowed-404-no-object' | 'WRONG' | '5xx';
interface Cell { route: string; kind: Kind; status: number; code?: string; outcome: Outcome; problem?: string }
const cells: Cell[] = [];
const failures: string[] = [];

beforeAll(async () => {
  t = await startTestApp();
  const doc = t.app.swagger() as Json;
  examples = new Map();
  for (const [p, ops] of Object.entries<Json>(doc.paths)) {
    for (const [m, op] of Object.entries<Json>(ops)) {
      const media = op.requestBody?.content?.['application/json'];
      const ex0 = media?.schema?.examples?.[0] ?? media?.example ?? media?.schema?.example ?? (media?.examples ? (Object.values(media.examples)[0] as Json)?.value : undefined);
      if (ex0 !== undefined) examples.set(`${m.toUpperCase()} ${p}`, ex0);
    }
  }
  await loginAll();
}, 60_000);
afterAll(async () => { await t?.stop(); });

const routeKeys = () => t.routes.filter((r) => r.method !== 'HEAD' && r.method !== 'OPTIONS').map((r) => `${r.method} ${r.url}`);

describe('authorization matrix: every route × every kind of caller', () => {
  it('has an expectation for every route the app serves (and no stale ones)', () => {
    const served = new Set(routeKeys());
    expect([...served].filter((k) => !SPECS[k]).sort()).toEqual([]);
    expect(Object.keys(SPECS).filter((k) => !served.has(k)).sort()).toEqual([]);
  });

  it('the fingerprint covers the main tables and sees a change', async () => {
    const before = await fingerprint();
    expect(Object.keys(before)).toEqual(expect.arrayContaining(['mandates', 'mandate_uses', 'errands', 'errand_parties', 'errand_attachments', 'audit_log', 'notifications', 'deliveries', 'municipal_services', 'contact_settings']));
    await mandate();
    const after = await fingerprint();
    expect(['mandates', 'audit_log'].filter((k) => before[k] === after[k])).toEqual([]);
  });

  it('allowed callers work; refused ones get 401/403/404 without revealing existence and change nothing', async () => {
    for (const key of routeKeys()) {
      const spec = SPECS[key];
      if (!spec) continue;
      const [method] = key.split(' ') as [string];
      await ensureSession(spec);
      let target: Target;
      try { target = await spec.target(); } catch (e) { failures.push(`${key}: building its objects failed: ${(e as Error).message.slice(0, 300)}`); continue; }
      const denied = KINDS.filter((k) => !spec.allow.includes(k));
      const allowed = KINDS.filter((k) => spec.allow.includes(k));

      const before = await fingerprint();
      for (const kind of denied) {
        const h = headersFor(kind, spec);
        const r = await call(method, target.url, h, payloadOf(target, kind, spec));
        const cell: Cell = { route: key, kind, status: r.status, code: r.code, outcome: r.status >= 500 ? '5xx' : ([401, 403, 404].includes(r.status) ? (`refused-${r.status}` as Outcome) : 'WRONG') };
        if (cell.outcome === 'WRONG' || cell.outcome === '5xx') cell.problem = `refused caller got ${r.status} ${r.code ?? ''}`;
        // Existence: one who may not know the object gets what a random id gets.
        if (!cell.problem && target.id && !(spec.sees ?? []).includes(kind)) {
          const other = target.url.split(target.id).join(lookalike(target.id));
          const m = await call(method, other, h, payloadOf(target, kind, spec));
          if (m.status !== r.status || m.code !== r.code) cell.problem = `existence revealed: ${r.status} ${r.code} for the real id, ${m.status} ${m.code} for a random one`;
        }
        cells.push(cell);
      }
      const after = await fingerprint();
      const changed = Object.keys(before).filter((k) => before[k] !== after[k]);
      if (changed.length) failures.push(`${key}: refused calls changed ${changed.join(', ')}`);

      for (const kind of allowed) {
        if (spec.perCaller && kind !== allowed[0]) {
          try { target = await spec.target(); } catch (e) { failures.push(`${key} [${kind}]: building its objects failed: ${(e as Error).message.slice(0, 300)}`); continue; }
        }
        const r = await call(method, target.url, headersFor(kind, spec), payloadOf(target, kind, spec));
        let outcome: Outcome;
        if (r.status >= 500) outcome = '5xx';
        else if (r.status < 300) outcome = 'allowed-2xx';
        else if ([400, 409, 422].includes(r.status)) outcome = 'allowed-4xx-body';
        else if (r.status === 404 && spec.allowedNotFound) outcome = 'allowed-404-no-object';
        else outcome = 'WRONG';
        const cell: Cell = { route: key, kind, status: r.status, code: r.code, outcome };
        if (outcome === 'WRONG' || outcome === '5xx') cell.problem = `allowed caller got ${r.status} ${r.code ?? ''} ${r.body.slice(0, 200)}`;
        cells.push(cell);
      }
      if (spec.relogin) await loginAll();
    }

    // The summary the closing note quotes.
    const byOutcome: Record<string, number> = {};
    for (const c of cells) byOutcome[c.outcome] = (byOutcome[c.outcome] ?? 0) + 1;
    const bodyish = cells.filter((c) => c.outcome === 'allowed-4xx-body').map((c) => `${c.route} [${c.kind}] ${c.status} ${c.code}`);
    const routes = new Set(cells.map((c) => c.route)).size;
    console.log([
      `authorization matrix: ${routes} routes × ${KINDS.length} kinds of caller = ${cells.length} cells, 5xx ${byOutcome['5xx'] ?? 0}`,
      ...Object.entries(byOutcome).sort().map(([k, v]) => `  ${k}: ${v}`),
      ...(bodyish.length ? ['  allowed, refused for the body or state:', ...bodyish.map((b) => `    ${b}`)] : []),
    ].join('\n'));

    const problems = cells.filter((c) => c.problem).map((c) => `${c.route} [${c.kind}]: ${c.problem}`);
    expect([...problems, ...failures]).toEqual([]);
    expect(cells.filter((c) => c.outcome === '5xx')).toEqual([]);
    // Each route was really exercised: some allowed caller got 2xx (the demo outbox is empty without the worker; a
    // nothing to show), and each object route was probed with strangers against a random id.
    const worked = new Set(cells.filter((c) => c.outcome === 'allowed-2xx').map((c) => c.route));
    expect(routeKeys().filter((k) => !worked.has(k))).toEqual(['GET /api/v1/demo/outbox/:channel/:messageId']);
  }, 120_000);
});
