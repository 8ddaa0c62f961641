/** The Puolesta HTTP API as the UI sees it. The UI never re-implements a rule: it shows what the API says. */

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

interface RawResponse { status: number; text: string }

/** The session's CSRF token (`csrfToken` of GET /api/v1/me), sent as X-CSRF-Token on every change. */
let csrfToken: string | null = null;
export function setCsrfToken(token: string | null) {
  csrfToken = token;
}

/** One HTTP exchange; the session is the HttpOnly cookie. */
async function send(method: string, path: string, body?: unknown): Promise<RawResponse> {
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    // The catalogue is cacheable (ETag): revalidate, so a change made a moment ago shows at once.
    cache: 'no-cache',
    headers: {
      accept: 'application/json',
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(method !== 'GET' && csrfToken ? { 'x-csrf-token': csrfToken } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  return { status: res.status, text: await res.text() };
}

export async function api<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
  let res: RawResponse;
  try {
    res = await send(method, path, body);
  } catch {
    throw new ApiError({ title: 'Network error', status: 0, detail: '' });
  }
  if (res.status === 204) return undefined as T;
  let data: unknown = undefined;
  try {
    data = res.text ? JSON.parse(res.text) : undefined;
  } catch {
    data = undefined;
  }
  if (res.status < 200 || res.status >= 300) {
    const p = (data ?? {}) as Partial<Problem>;
    throw new ApiError({ title: p.title ?? 'Error', status: res.status, detail: p.detail ?? '', code: p.code, params: p.params, field: p.field, errors: p.errors });
  }
  return data as T;
}

export type Lang = 'fi' | 'sv' | 'en';
export type Name3 = Record<Lang, string>;

export interface Issue { code: string; name: Name3 }
export interface Bundle { code: string; name: Name3; issues: string[] }
export interface Municipality { code: string; name: Name3; languages: string[] }

export interface PartyRef { type: 'person' | 'organization'; id: string }
export interface NamedParty { type: string; id: string; name: string }

import type { ListDiff, LogEntryView, MandateStatus, MandateView, PermittedAction, ServiceClassInput } from '@puolesta/server/api-types';

export type { MandateStatus, PermittedAction };
/** One mandate as the API gives it (the server's own type). */
export type Mandate = MandateView;
export interface MandateLists { given: Mandate[]; received: Mandate[]; requestsIn: Mandate[]; requestsOut: Mandate[] }
export type LogEntry = LogEntryView;

export interface Property { id: string; municipality: string; address: string; share: string }

export type Me =
  | {
      kind: 'person';
      csrfToken: string;
      person: { id: string; firstName: string; lastName: string; name: string; birthDate: string; language: string; municipality: string };
      /** What the person may do for each: 'grant', 'request', 'read-mandates' (from the server's access rules). */
      children: { type: 'person'; id: string; name: string; birthDate: string; permittedActions: string[] }[];
      organizations: { type: 'organization'; id: string; name: string; role: string; signing: 'alone' | 'jointly' | 'none'; permittedActions: string[] }[];
      properties: Property[];
      /** What the session may do (the access module's action names); the UI offers only these. */
      permittedActions: string[];
    }
  | { kind: 'staff'; csrfToken: string; staff: { key: string; name: string; municipality: string | null; roles: string[] }; permittedActions: string[] };

export interface AuthConfig { mode: string; demoLogin: boolean }

export interface Personas {
  persons: { key: string; id: string; name: string; birthDate: string; municipality: string }[];
  staff: { key: string; name: string; municipality: string | null; roles: string[] }[];
}

export interface Created { id: string; status: MandateStatus }

export interface CheckResult {
  allowed: boolean;
  basis: string | null;
  mandateId?: string;
  validUntil?: string;
  oneOff?: boolean;
  reason?: string;
  reasonCode?: string;
  actorName: string;
  principalName: string;
}

/** Terms shared by a grant, a request and a paper mandate. */
export interface MandateTerms {
  issues?: string[];
  bundle?: string;
  validFrom?: string;
  validUntil: string;
  oneOff?: boolean;
  target?: { type: 'property'; id: string };
  municipality?: string;
  onBehalfOf?: PartyRef;
}

// ---- the service catalogue ---------------------------------------------------------------------

export type PolicyKind = 'no-need' | 'alone' | 'mandate' | 'multi-signature';
export type Alternative = 'attest' | 'notify' | 'confirm';
export interface Policy { kind: PolicyKind; alternative?: Alternative }

/** A municipality's service with the policy in force there. */
export interface MunicipalService {
  code: string;
  name: Name3;
  title: string;
  subject: string;
  issues: string[];
  parties: string;
  policy: Policy;
  commonPolicy: Policy;
  overridden: boolean;
  recommendedMandate?: string;
  catalogueVersion: number;
  guidance: Name3;
  links?: { url: string; title?: Partial<Name3> }[];
  contact?: { phone?: string; email?: string; address?: string; hours?: string };
  ptvId?: string;
}

/** A class of the common catalogue. */
export interface ServiceClass {
  code: string;
  name: Name3;
  description?: Name3;
  subject: string;
  issues: string[];
  parties: string;
  policy: Policy;
  recommendedMandate?: string;
  version: number;
}

export type { ServiceClassInput, ListDiff };

export interface ClassSaveResult {
  code: string;
  saved: boolean;
  version: number;
  diff: ListDiff;
  impact: { municipality: string; before: Policy; after: Policy; changes: boolean; overrideDropped: boolean }[];
}

/** What saving a mandate issue or a bundle answers. */
export interface TermSaveResult { code: string; saved: boolean; version: number; diff: ListDiff }

export interface CatalogueVersion { version: number; createdAt: string; createdBy: string | null; note: string | null }
export interface VersionComparison { from: number; to: number; services: ListDiff; issues: ListDiff; bundles: ListDiff }

/** One choice on the scale from loosest to strictest: `alone` carries its alternative. */
export const POLICY_CHOICES = ['no-need', 'alone-attest', 'alone-notify', 'alone-confirm', 'mandate', 'multi-signature'] as const;
export type PolicyChoice = (typeof POLICY_CHOICES)[number];
export const policyChoice = (p: Policy): PolicyChoice => (p.kind === 'alone' ? `alone-${p.alternative ?? 'attest'}` : p.kind) as PolicyChoice;
export const choicePolicy = (c: PolicyChoice): Policy =>
  c.startsWith('alone-') ? { kind: 'alone', alternative: c.slice(6) as Alternative } : { kind: c as PolicyKind };

// ---- PTV (the national Service Catalogue) -------------------------------------------------------

export interface PtvImportResult {
  imported: number;
  updated: number;
  unchanged: number;
  suggestions: { ptvId: string; service: string; score: number }[];
  unclassified: { ptvId: string; name: string }[];
}

export interface Coverage {
  municipality: string;
  services: number;
  classified: number;
  unclassified: { ptvId?: string; name: string; suggestion?: { service: string; score: number } }[];
  differences: { service: string; common: Policy; local: Policy }[];
}
