/**
 * The Puolesta HTTP API as the UI sees it. The UI never re-implements a rule: it shows what the API says.
 *
 * The client and every shape below come from the server's OpenAPI document: `generated/api.d.ts` is
 * made by `npm run generate:client` (openapi-typescript) and the calls go through openapi-fetch. The
 * contract test fails when the generated files are out of date.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './generated/api.js';

/** The document's shared shapes (components.schemas). */
export type Schemas = components['schemas'];

type Method = 'get' | 'post' | 'put' | 'delete';
type Json<R> = R extends { content: { 'application/json': infer T } } ? T : undefined;
type OperationOf<P extends keyof paths, M extends Method> = paths[P][M] extends { responses: unknown } ? paths[P][M] : never;
/** What a successful call of this path and method answers (its 200 or 201 JSON). */
export type Answer<P extends keyof paths, M extends Method> =
  OperationOf<P, M>['responses'] extends infer R ? (R extends { 200: infer S } ? Json<S> : R extends { 201: infer S } ? Json<S> : undefined) : never;
/** The JSON body a call of this path and method sends. */
export type BodyOf<P extends keyof paths, M extends Method> =
  OperationOf<P, M> extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;

/** RFC 9457 problem details, as every error answer carries them (`type` absent for network errors). */
export type ProblemParams = Record<string, string | number | boolean | readonly string[]>;

/**
 * A refusal (application/problem+json). The UI says it from `code` and `params` in the user's
 * language (components/ui.tsx `problemText`); `detail` is English for developers and never shown.
 */
export interface Problem {
  type?: string;
  /** Stable code of the refusal (packages/domain/src/error-codes*.ts). */
  code?: string;
  params?: ProblemParams;
  title: string;
  status: number;
  detail: string;
  field?: string;
  errors?: { field: string; code?: string; params?: ProblemParams; message: string }[];
  /** Only for a refusal the UI makes itself: a text already in the user's language. */
  text?: string;
}


export class ApiError extends Error {
  constructor(public readonly problem: Problem) {
    super(problem.detail || problem.title);
  }
  get status() {
    return this.problem.status;
  }
}

// ---- the client ----------------------------------------------------------------------------------

let csrfToken: string | undefined;
/** The session's CSRF token (from `/api/v1/me`): sent as `X-CSRF-Token` with every state-changing request. */
export function setCsrfToken(token: string | null | undefined): void {
  csrfToken = token || undefined;
}

/** The CSRF header for a state-changing call made outside the typed client (a multipart upload with fetch). */
export function csrfHeaders(): Record<string, string> {
  return csrfToken !== undefined ? { 'X-CSRF-Token': csrfToken } : {};
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const csrf: Middleware = {
  onRequest({ request }) {
    if (csrfToken !== undefined && !SAFE_METHODS.has(request.method)) request.headers.set('X-CSRF-Token', csrfToken);
    return request;
  },
};

/**
 * The typed client (openapi-fetch): `client.GET('/api/v1/mandates/{id}', { params: { path: { id } } })`.
 * The session is the HttpOnly cookie (same origin). The catalogue is cacheable (ETag): revalidate, so
 * a change made a moment ago shows at once.
 */
export const client = createClient<paths>({
  baseUrl: '',
  credentials: 'same-origin',
  cache: 'no-cache',
  headers: { accept: 'application/json' },
});
client.use(csrf);

/** The answer of an openapi-fetch call, or an ApiError carrying the problem. */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let r: { data?: T; error?: unknown; response: Response };
  try {
    r = await call;
  } catch {
    throw new ApiError({ title: 'Network error', status: 0, detail: '' });
  }
  if (!r.response.ok) {
    const p = (r.error && typeof r.error === 'object' ? r.error : {}) as Partial<Problem>;
    throw new ApiError({ ...p, title: p.title ?? 'Error', status: r.response.status, detail: p.detail ?? '' });
  }
  return r.data as T;
}

/**
 * A fresh `Idempotency-Key` for one command (a grant, a request, an answer): sending it again — after a timeout or
 * a network error, or a second click — does the command once (the server answers a repeat with the first answer).
 * From `crypto.getRandomValues`, which browsers offer also outside secure contexts.
 */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * One call by method and (filled-in) path, through the same client: `api<Mandate>('GET', `/api/v1/mandates/${id}`)`.
 * New code may prefer `client` for path-checked calls.
 */
export async function api<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown, opts: { idempotencyKey?: string } = {}): Promise<T> {
  const init = {
    ...(body !== undefined ? { body } : {}),
    ...(opts.idempotencyKey ? { headers: { 'Idempotency-Key': opts.idempotencyKey } } : {}),
    signal: AbortSignal.timeout(30_000),
  };
  return unwrap<T>(client.request(method.toLowerCase() as never, path as never, init as never) as never);
}

// ---- shapes ----------------------------------------------------------------------------------------

export type Lang = 'fi' | 'sv' | 'en';
export type Name3 = Schemas['Name3'];

export type Issue = Answer<'/api/v1/catalogue/issues', 'get'>['issues'][number];
export type Bundle = Answer<'/api/v1/catalogue/bundles', 'get'>['bundles'][number];
export type Municipality = Answer<'/api/v1/municipalities', 'get'>['municipalities'][number];

export type PartyRef = Schemas['PartyRef'];
export type NamedParty = Schemas['NamedParty'];

/** One mandate as the API gives it. */
export type Mandate = Schemas['MandateView'];
export type MandateStatus = Mandate['status'];
export type PermittedAction = Mandate['permittedActions'][number];
export type MandateLists = Schemas['MandateLists'];
/** My own lists, and per child, ward and organisation I decide for, its lists (views). */
export type MyMandates = Schemas['MyMandates'];
export type PartyMandates = Schemas['PartyMandates'];
export type LogEntry = Schemas['LogEntry'];

export type Me = Answer<'/api/v1/me', 'get'>;
export type Property = Extract<Me, { kind: 'person' }>['properties'][number];

/** How one logs in (the UI falls back to a plain production config when it cannot ask). */
export type AuthConfig = Omit<Answer<'/auth/config', 'get'>, 'mode'> & { mode: string };
export type Personas = Answer<'/auth/demo-personas', 'get'>;

export type Created = Schemas['Created'];
export type CheckResult = Answer<'/api/v1/staff/checks', 'post'>;

/** Terms shared by a grant, a request and a paper mandate. */
export type MandateTerms = Omit<BodyOf<'/api/v1/mandates', 'post'>, 'agent'>;

// ---- the service catalogue ---------------------------------------------------------------------

export type Policy = Schemas['Policy'];
export type PolicyKind = Policy['kind'];
export type Alternative = NonNullable<Policy['alternative']>;

/** A municipality's service with the policy in force there. */
export type MunicipalService = Schemas['MunicipalService'];
/** One municipal service in full, with its errand `form` (a JSON Schema; see forms.ts). */
export type MunicipalServiceDetail = Schemas['MunicipalServiceDetail'];
/** A class of the common catalogue. */
export type ServiceClass = Schemas['ServiceClass'];
export type ServiceClassInput = BodyOf<'/api/v1/admin/catalogue/services/{serviceCode}', 'put'>;
export type ListDiff = Schemas['ListDiff'];
export type ClassSaveResult = Answer<'/api/v1/admin/catalogue/services/{serviceCode}', 'put'>;
/** What saving a mandate issue or a bundle answers. */
export type TermSaveResult = Answer<'/api/v1/admin/catalogue/issues/{code}', 'put'>;
export type CatalogueVersion = Answer<'/api/v1/catalogue/versions', 'get'>['versions'][number];
export type VersionComparison = Answer<'/api/v1/catalogue/versions/{from}/compare/{to}', 'get'>;

/** One choice on the scale from loosest to strictest: `alone` carries its alternative. */
export const POLICY_CHOICES = ['no-need', 'alone-attest', 'alone-notify', 'alone-confirm', 'mandate', 'multi-signature'] as const;
export type PolicyChoice = (typeof POLICY_CHOICES)[number];
export const policyChoice = (p: Policy): PolicyChoice => (p.kind === 'alone' ? `alone-${p.alternative ?? 'attest'}` : p.kind) as PolicyChoice;
export const choicePolicy = (c: PolicyChoice): Policy =>
  c.startsWith('alone-') ? { kind: 'alone', alternative: c.slice(6) as Alternative } : { kind: c as PolicyKind };

// ---- PTV (the national Service Catalogue) -------------------------------------------------------

export type PtvImportResult = Answer<'/api/v1/admin/municipalities/{code}/ptv-imports', 'post'>;
export type Coverage = Answer<'/api/v1/admin/municipalities/{code}/coverage', 'get'>;
