/**
 * OpenTelemetry traces, the part the app itself holds (issue 12 item 5; decision 0018). The SDK is
 * started by the preload `telemetry/otel.ts`, given to `node --import` only when traces are on;
 * without it `@opentelemetry/api` answers with no-op spans and none of this is installed.
 *
 * - One SERVER span per HTTP request, named by the route pattern (`GET /api/v1/mandates/:id`, never
 *   the raw URL), carrying the request id (`puolesta.request_id`, the `reqId` of the log lines and the
 *   `X-Request-Id` of the answer), the status and the path and query with identity codes masked.
 *   An incoming W3C `traceparent` (an e-service's trace) is continued.
 * - Log lines written within a traced request carry `trace_id` and `span_id` (logger.ts).
 */
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { routeOf } from '../http/request-state.js';
import { maskIdentityCodes } from '../logger.js';

/** The span attribute naming the request id. */
export const REQUEST_ID_ATTRIBUTE = 'puolesta.request_id';

const spans = new WeakMap<FastifyRequest, Span>();

/**
 * The request spans, as the first onRequest hook: the rest of the request (hooks, handler, the
 * database calls it makes) runs within the span's context, so their spans are its children and
 * their log lines name it.
 */
export function traceRequests(app: FastifyInstance): void {
  const tracer = trace.getTracer('puolesta');
  app.addHook('onRequest', (req, _reply, done) => {
    const route = routeOf(req).url;
    const url = req.url;
    const q = url.indexOf('?');
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    const span = tracer.startSpan(route ? `${req.method} ${route}` : req.method, {
      kind: SpanKind.SERVER,
      attributes: {
        'http.request.method': req.method,
        ...(route ? { 'http.route': route } : {}),
        'url.path': maskIdentityCodes(q < 0 ? url : url.slice(0, q)),
        ...(q < 0 ? {} : { 'url.query': maskIdentityCodes(url.slice(q + 1)) }),
        'url.scheme': req.protocol,
        [REQUEST_ID_ATTRIBUTE]: req.id,
      },
    }, parent);
    spans.set(req, span);
    context.with(trace.setSpan(parent, span), done);
  });
  app.addHook('onError', (req, _reply, error, done) => {
    const span = spans.get(req);
    // Only the error's kind: its message may quote a value (the redacting span processor masks it anyway).
    span?.setAttribute('error.type', (error as { code?: string }).code ?? error.name);
    done();
  });
  app.addHook('onResponse', (req, reply, done) => {
    const span = spans.get(req);
    if (span) {
      span.setAttribute('http.response.status_code', reply.statusCode);
      if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
      spans.delete(req);
    }
    done();
  });
  app.addHook('onRequestAbort', (req, done) => {
    const span = spans.get(req);
    if (span) {
      span.setAttribute('error.type', 'aborted');
      span.end();
      spans.delete(req);
    }
    done();
  });
}
