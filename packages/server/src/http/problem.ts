import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, DomainErrors, englishText, type ErrorCode, type ErrorKind, type ErrorParams } from '@puolesta/domain';
import { BasicAuthRequired } from './auth.js';
import { TooManyLookups } from './rate-limit.js';
import { DatabaseUnavailable } from '../db/database.js';

/** The one table from kinds of refusal to HTTP statuses. */
export const STATUS: Record<ErrorKind, number> = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'rate-limited': 429,
  unavailable: 503,
};

const TITLE: Record<number, string> = {
  400: 'Bad request', 401: 'Authentication required', 403: 'Forbidden', 404: 'Not found', 409: 'Conflict',
  408: 'Request timeout', 413: 'Payload too large', 414: 'URI too long', 415: 'Unsupported media type', 431: 'Request header fields too large', 429: 'Too many requests', 500: 'Internal server error', 503: 'Service unavailable',
};

export interface Problem {
  /** `/problems/<code>` */
  type: string;
  /** Stable code of the refusal (see the OpenAPI document's list); clients say it in their own words. */
  code: ErrorCode;
  /** Values the text of the code refers to. */
  params: ErrorParams;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  /** The input at fault, as a dotted path (e.g. `actor.id`). */
  field?: string;
  errors?: { field: string; code: ErrorCode; params: ErrorParams; message: string }[];
}

export function sendProblem(reply: FastifyReply, status: number, code: ErrorCode, params: ErrorParams = {}, extra: Partial<Problem> = {}) {
  const body: Problem = { type: `/problems/${code}`, title: TITLE[status] ?? 'Error', status, code, params, detail: extra.detail ?? englishText(code, params), ...extra };
  return reply.code(status).type('application/problem+json').send(JSON.stringify(body));
}

const pointerToField = (p: string) => p.replace(/^\//, '').replace(/\//g, '.');

interface AjvError { instancePath: string; keyword: string; params: Record<string, unknown>; message?: string }

function validationProblem(err: FastifyError): { field: string; errors: NonNullable<Problem['errors']> } {
  const list = (err.validation ?? []) as AjvError[];
  const errors = list.map((e) => {
    let field = pointerToField(e.instancePath);
    if (e.keyword === 'required') field = [field, e.params.missingProperty].filter(Boolean).join('.');
    if (e.keyword === 'additionalProperties') field = [field, e.params.additionalProperty].filter(Boolean).join('.');
    field = field || (err.validationContext ?? 'body');
    const code: ErrorCode = e.keyword === 'required' ? 'input.required' : e.keyword === 'additionalProperties' ? 'input.unknown-field' : 'input.schema';
    const params: ErrorParams = code === 'input.schema' ? { field, message: e.message ?? 'is invalid', keyword: e.keyword } : { field };
    const message = e.keyword === 'required' ? 'is required' : e.keyword === 'additionalProperties' ? 'is not a known field' : e.message ?? 'is invalid';
    return { field, code, params, message };
  });
  return { field: errors[0]?.field ?? 'body', errors };
}

export function errorHandler(err: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  if (err instanceof BasicAuthRequired) reply.header('www-authenticate', 'Basic realm="puolesta", charset="UTF-8"');
  if (err instanceof TooManyLookups) return sendProblem(reply.header('retry-after', String(err.retryAfterSeconds)), 429, 'rate.limited', {}, { detail: err.message });
  if (err instanceof DomainErrors) {
    return sendProblem(reply, STATUS[err.kind], err.code, err.params, {
      detail: err.message, field: err.list[0]!.field,
      errors: err.list.map((e) => ({ field: e.field, code: e.code, params: e.params, message: englishText(e.code, e.params) })),
    });
  }
  if (err instanceof DomainError) {
    return sendProblem(reply, STATUS[err.kind], err.code, err.params, {
      detail: err.message,
      ...(err.field ? { field: err.field, errors: [{ field: err.field, code: err.code, params: err.params, message: err.message }] } : {}),
    });
  }
  if (err instanceof DatabaseUnavailable) {
    // The database is away (restart, network): nothing was wrong with the request; ask to come back.
    req.log.warn({ err: { message: err.message, cause: String(err.cause) } }, 'database unavailable');
    reply.header('retry-after', String(err.retryAfterSeconds));
    return sendProblem(reply, 503, 'service.unavailable', {}, { detail: 'The service cannot reach its database just now. Try again in a few seconds.' });
  }
  if (err.validation) {
    const v = validationProblem(err);
    const first = v.errors[0]!;
    const detail = v.errors.map((e) => `${e.field}: ${e.message}`).join('; ');
    return sendProblem(reply, 400, first.code, first.params, { detail, ...v });
  }
  if (err.statusCode && err.statusCode < 500) {
    // Fastify's own client errors (malformed JSON, wrong content type, too large).
    const code: ErrorCode = err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err instanceof SyntaxError ? 'input.not-json'
      : err.statusCode === 413 ? 'input.too-large' : err.statusCode === 415 ? 'input.unsupported-media-type' : 'input.invalid';
    return sendProblem(reply, err.statusCode, code, { field: 'body' }, { field: 'body', ...(code === 'input.invalid' ? { detail: err.message } : {}) });
  }
  req.log.error({ err: { message: err.message, stack: err.stack } }, 'request failed');
  return sendProblem(reply, 500, 'server.error', {}, { detail: 'Something went wrong on our side. The request was not completed.' });
}

/** Whether a raw path carries a percent-encoded NUL or an encoded UTF-16 surrogate half (ED A0..BF xx). */
const UNSTORABLE_ENCODED = /%00|%ED%[AB][0-9A-F]%[89AB][0-9A-F]/i;

/**
 * Errors the router meets before any route (Fastify's `frameworkErrors`): a malformed URL, too
 * long a path parameter. Answered as problem+json like every other refusal, never plain JSON.
 */
export function frameworkErrors(err: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  if (err.code === 'FST_ERR_BAD_URL') {
    // `%00` (or an encoded surrogate half) cannot be stored: the same refusal as in a body.
    if (UNSTORABLE_ENCODED.test(req.raw.url ?? '')) return sendProblem(reply, 400, 'input.unstorable-text', { field: 'path' }, { field: 'path' });
    return sendProblem(reply, 400, 'input.bad-url', {}, { field: 'path' });
  }
  if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') return sendProblem(reply, 414, 'input.path-too-long', {}, { field: 'path' });
  return sendProblem(reply, 400, 'input.bad-request', {});
}

/**
 * Errors Node's HTTP parser meets before Fastify sees a request (headers too large, a timeout, a
 * malformed request line): written straight to the socket, as problem+json.
 */
export function clientErrorHandler(err: Error & { code?: string }, socket: Socket) {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code]: [number, ErrorCode] = err.code === 'HPE_HEADER_OVERFLOW' ? [431, 'input.headers-too-large']
    : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, 'input.bad-request'] : [400, 'input.bad-request'];
  const title = TITLE[status] ?? 'Bad request';
  const body = JSON.stringify({ type: `/problems/${code}`, title, status, code, params: {}, detail: englishText(code, {}) } satisfies Problem);
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${title}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy(err);
}
