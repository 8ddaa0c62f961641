import pino from 'pino';
import { trace } from '@opentelemetry/api';
import { withoutIdentityCodes } from '@puolesta/domain';
import { otelEnabled } from './telemetry/enabled.js';

export type Logger = pino.Logger;

/**
 * Identity codes never reach the log: request bodies are not logged, and any field that might
 * carry one is redacted wherever it appears.
 */
export const REDACT_PATHS = [
  'id', '*.id', '*.*.id', 'person', '*.person', 'actor', '*.actor', 'principal', '*.principal', 'agent', '*.agent',
  'req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', 'body', '*.body',
];

/** What an identity code in a logged URL, message or error becomes. */
export const MASK = '[identity code]';

/**
 * A text with every identity-code-shaped part masked. URLs are also read percent-decoded (a careless
 * client's `%2B` or `%2D` in a code): when the decoded text holds a code, the masked decoded text is what is logged.
 */
export function maskIdentityCodes(text: string): string {
  let t = text;
  if (t.includes('%')) {
    try {
      const decoded = decodeURIComponent(t);
      if (withoutIdentityCodes(decoded, MASK) !== decoded) t = decoded;
    } catch {
      // Not valid percent-encoding: mask what is there.
    }
  }
  return withoutIdentityCodes(t, MASK);
}

/** Fastify's request serializer (method, url, host, address), with identity codes in the path or query masked. */
function reqSerializer(req: { method?: string; url?: string; host?: string; ip?: string; headers?: Record<string, unknown>; socket?: { remotePort?: number } }) {
  return {
    method: req.method,
    url: req.url === undefined ? undefined : maskIdentityCodes(req.url),
    version: req.headers?.['accept-version'],
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  };
}

/** Errors as pino writes them, with identity codes in the message and stack masked (a database error may quote a value). */
function errSerializer(err: Error) {
  const e = pino.stdSerializers.err(err) as Record<string, unknown>;
  for (const k of ['message', 'stack', 'detail']) if (typeof e[k] === 'string') e[k] = maskIdentityCodes(e[k] as string);
  return e;
}

/**
 * While traces are on (decision 0018), pino's `mixin`: a line written within a sampled span names its
 * trace and span, so that the trace of a logged request can be found (and the other way, by the
 * span's request id).
 */
export function traceLogFields(): Record<string, string> {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const c = span.spanContext();
  // Not sampled: no trace to find by that id.
  if ((c.traceFlags & 1) === 0) return {};
  return { trace_id: c.traceId, span_id: c.spanId };
}

/** pino options every Puolesta logger uses (the server's and the benchmarks'). */
export const LOGGER_OPTIONS: pino.LoggerOptions = {
  ...(otelEnabled() ? { mixin: traceLogFields } : {}),
  redact: { paths: REDACT_PATHS, censor: '[redacted]' },
  serializers: { req: reqSerializer, err: errSerializer },
  hooks: {
    // The message text itself (`log.info(`… ${something}`)`): identity codes masked there too.
    logMethod(args, method) {
      for (let i = 0; i < args.length; i++) if (typeof args[i] === 'string') args[i] = maskIdentityCodes(args[i] as string);
      return method.apply(this, args as Parameters<typeof method>);
    },
  },
};

/**
 * Where the server's log lines go: stdout (or a file), written asynchronously (pino's sonic-boom: lines
 * written while a write is under way go out together with the next; flushed at exit), so a log line
 * costs no system call of its own on the request's path. No minimum batch size: a line is not held back.
 */
export function logDestination(dest: string | number = 1): pino.DestinationStream {
  return pino.destination({ dest, sync: false });
}

export function createLogger(level = process.env.LOG_LEVEL ?? 'info', destination?: pino.DestinationStream): Logger {
  return destination ? pino({ level, ...LOGGER_OPTIONS }, destination) : pino({ level, ...LOGGER_OPTIONS });
}
