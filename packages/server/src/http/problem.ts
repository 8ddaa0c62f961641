import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, type DomainErrorCode } from '@puolesta/domain';
import { BasicAuthRequired } from './auth.js';
import { DatabaseUnavailable } from '../db/database.js';

/** The one table from domain error codes to HTTP statuses. */
const STATUS: Record<DomainErrorCode, number> = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
};

const TITLE: Record<number, string> = {
  400: 'Bad request', 401: 'Authentication required', 403: 'Forbidden', 404: 'Not found', 409: 'Conflict',
  413: 'Payload too large', 415: 'Unsupported media type', 429: 'Too many requests', 500: 'Internal server error', 503: 'Service unavailable',
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  /** The input at fault, as a dotted path (e.g. `actor.id`). */
  field?: string;
  errors?: { field: string; message: string }[];
}

export function sendProblem(reply: FastifyReply, status: number, detail: string, extra: Partial<Problem> = {}) {
  const body: Problem = { type: 'about:blank', title: TITLE[status] ?? 'Error', status, detail, ...extra };
  return reply.code(status).type('application/problem+json').send(JSON.stringify(body));
}

const pointerToField = (p: string) => p.replace(/^\//, '').replace(/\//g, '.');

interface AjvError { instancePath: string; keyword: string; params: Record<string, unknown>; message?: string }

function validationProblem(err: FastifyError): { field: string; errors: { field: string; message: string }[] } {
  const list = (err.validation ?? []) as AjvError[];
  const errors = list.map((e) => {
    let field = pointerToField(e.instancePath);
    if (e.keyword === 'required') field = [field, e.params.missingProperty].filter(Boolean).join('.');
    if (e.keyword === 'additionalProperties') field = [field, e.params.additionalProperty].filter(Boolean).join('.');
    const message =
      e.keyword === 'required' ? 'is required'
        : e.keyword === 'additionalProperties' ? 'is not a known field'
          : e.message ?? 'is invalid';
    return { field: field || (err.validationContext ?? 'body'), message };
  });
  return { field: errors[0]?.field ?? 'body', errors };
}

export function errorHandler(err: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  if (err instanceof BasicAuthRequired) reply.header('www-authenticate', 'Basic realm="puolesta", charset="UTF-8"');
  if (err instanceof DomainError) {
    return sendProblem(reply, STATUS[err.code], err.message, err.field ? { field: err.field, errors: [{ field: err.field, message: err.message }] } : {});
  }
  if (err instanceof DatabaseUnavailable) {
    // The database is away (restart, network): nothing was wrong with the request; ask to come back.
    req.log.warn({ err: { message: err.message, cause: String(err.cause) } }, 'database unavailable');
    reply.header('retry-after', String(err.retryAfterSeconds));
    return sendProblem(reply, 503, 'The service cannot reach its database just now. Try again in a few seconds.');
  }
  if (err.validation) {
    const v = validationProblem(err);
    const detail = v.errors.map((e) => `${e.field}: ${e.message}`).join('; ');
    return sendProblem(reply, 400, detail, v);
  }
  if (err.statusCode && err.statusCode < 500) {
    // Fastify's own client errors (malformed JSON, wrong content type, too large).
    return sendProblem(reply, err.statusCode, err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err instanceof SyntaxError ? 'The body is not valid JSON.' : err.message, { field: 'body' });
  }
  req.log.error({ err: { message: err.message, stack: err.stack } }, 'request failed');
  return sendProblem(reply, 500, 'Something went wrong on our side. The request was not completed.');
}
