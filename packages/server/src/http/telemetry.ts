/**
 * Per-request telemetry (issue 12, items 1 and 5; decision 0018): request ids, the request log
 * lines and the request metrics, in the one place Fastify calls for every request — its log
 * controller — instead of hooks of their own.
 *
 * - Request id: Fastify's `req.id`, on every log line of the request (`reqId`). An incoming
 *   `X-Request-Id` is taken when it is a short safe token (a proxy's or the e-service's own id, so
 *   their logs and ours meet), else a fresh UUID; it is echoed in the answer's `X-Request-Id`.
 * - Log lines: routes marked `config.requestLog: 'sampled'` (the e-services' hot routes: the check,
 *   principals) log one "request completed" line (with method, masked URL, status, time) for every
 *   refusal or error, and for a sample (`PUOLESTA_LOG_SAMPLE`) of the successful calls — every call
 *   at log level debug. Every other route logs "incoming request" and "request completed" as
 *   Fastify does.
 * - Metrics: every answered request is observed in `puolesta_http_request_duration_seconds` by
 *   method, route pattern and status class.
 * - The request's child logger is made only when a line is written (`lazyChildLogger`): a pino
 *   child per request is most of the cost of a request that logs nothing.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { LogController, type FastifyBaseLogger, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Bindings, ChildLoggerOptions, LevelWithSilent } from 'pino';
import type { HttpMetrics } from '../notifications/metrics.js';
import { routeOf } from './request-state.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `sampled`: a hot route whose successful calls are logged only in part (see http/telemetry.ts). */
    requestLog?: 'sampled';
  }
}

export const REQUEST_ID_HEADER = 'x-request-id';
/** What an incoming request id may be: letters, digits and `._:-`, 1–64 characters (nothing an identity code's `+` fits, no spaces or control characters). */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** Fastify's `genReqId`: the caller's `X-Request-Id` if it is a short safe token, else a fresh UUID. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && SAFE_REQUEST_ID.test(given) && !looksLikeIdentityCode(given) ? given : randomUUID();
}

/** A Finnish identity code's shape (ddmmyy, century sign, 3 digits, check character): never taken as a request id. */
const looksLikeIdentityCode = (s: string) => /\d{6}[-A-FU-Y]\d{3}[0-9A-Y]/i.test(s);

export interface RequestTelemetryOptions {
  metrics: HttpMetrics;
  /** Share (0…1) of the successful calls of sampled routes that are logged. */
  sampleRate: number;
  random?: () => number;
}

const isSampledRoute = (request: FastifyRequest) => routeOf(request).requestLog === 'sampled';

/** Fastify's log controller, with the request log and metrics described above. */
export class RequestTelemetry extends LogController {
  private readonly metrics: HttpMetrics;
  private readonly sampleRate: number;
  private readonly random: () => number;

  constructor(opts: RequestTelemetryOptions) {
    super({});
    this.metrics = opts.metrics;
    this.sampleRate = opts.sampleRate;
    this.random = opts.random ?? Math.random;
  }

  override incomingRequest(request: FastifyRequest, reply: FastifyReply, metadata?: Record<string, unknown>): void {
    if (isSampledRoute(request)) return;
    super.incomingRequest(request, reply, metadata);
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply, metadata?: Record<string, unknown>): void {
    const status = reply.raw.statusCode;
    this.metrics.observe(request.method, routeOf(request).url ?? 'unmatched', status, reply.elapsedTime / 1000);
    if (!isSampledRoute(request)) return super.requestCompleted(error, request, reply, metadata);
    // Refusals and errors always; successes in part (all at debug).
    if (error) return reply.log.error({ req: request, res: reply, err: error, responseTime: reply.elapsedTime }, 'request errored');
    if (status < 400 && !(this.sampleRate > 0 && this.random() < this.sampleRate) && !levelEnabled(reply.log, 'debug')) return;
    reply.log.info({ req: request, res: reply, responseTime: reply.elapsedTime, ...(status < 400 ? { sampled: this.sampleRate } : {}) }, 'request completed');
  }
}

const levelEnabled = (log: FastifyBaseLogger, level: string) => (log as unknown as { isLevelEnabled(level: string): boolean }).isLevelEnabled(level);

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;

/**
 * A child logger made when first written to (Fastify's `childLoggerFactory`). Until then it answers
 * from its parent (level, isLevelEnabled); its own children are lazy too. A child with options of
 * its own (a route's logLevel) is made at once.
 */
export function lazyChildLogger(parent: FastifyBaseLogger, bindings: Bindings, opts: ChildLoggerOptions = {}): FastifyBaseLogger {
  if (hasOwnKeys(opts)) return parent.child(bindings, opts);
  return new LazyChild(parent, bindings) as unknown as FastifyBaseLogger;
}

/** Whether the options say anything (without the array `Object.keys` makes, on every request). */
function hasOwnKeys(o: object): boolean {
  for (const k in o) if (Object.hasOwn(o, k)) return true;
  return false;
}

class LazyChild {
  /** The real pino child, once one was needed (a level of its own, bindings() asked for). */
  made: FastifyBaseLogger | undefined;
  declare fatal: FastifyBaseLogger['fatal'];
  declare error: FastifyBaseLogger['error'];
  declare warn: FastifyBaseLogger['warn'];
  declare info: FastifyBaseLogger['info'];
  declare debug: FastifyBaseLogger['debug'];
  declare trace: FastifyBaseLogger['trace'];

  constructor(private readonly parent: FastifyBaseLogger | LazyChild, private readonly own: Bindings) {}

  /** The real pino child. */
  real(): FastifyBaseLogger {
    if (!this.made) {
      const p = this.parent instanceof LazyChild ? this.parent.real() : this.parent;
      this.made = p.child(this.own);
    }
    return this.made;
  }

  get level(): string { return this.made ? this.made.level : this.parent.level; }
  set level(level: string) { this.real().level = level as LevelWithSilent; }
  isLevelEnabled(level: string): boolean {
    const l = this.made ?? this.parent;
    return (l as unknown as { isLevelEnabled(level: string): boolean }).isLevelEnabled(level);
  }
  silent(): void {}
  child(bindings: Bindings, opts: ChildLoggerOptions = {}): FastifyBaseLogger {
    if (hasOwnKeys(opts)) return this.real().child(bindings, opts);
    return new LazyChild(this, bindings) as unknown as FastifyBaseLogger;
  }
  bindings(): Bindings { return (this.real() as unknown as { bindings(): Bindings }).bindings(); }
  flush(): void { (this.parent as unknown as { flush?: () => void }).flush?.(); }

  /** The nearest logger that exists (a child made for a reason of its own, or the root) and the bindings of the lazy children below it, outermost first. */
  target(): [FastifyBaseLogger, Bindings] {
    if (this.made) return [this.made, {}];
    if (!(this.parent instanceof LazyChild)) return [this.parent, this.own];
    const [logger, above] = this.parent.target();
    return [logger, { ...above, ...this.own }];
  }
}
/**
 * A line of a lazy child is written by the nearest existing logger with the children's bindings in
 * its object: the same fields as a pino child writes, without making one (pino builds a child's
 * level methods and serialised bindings anew for each child — three times the cost of the line
 * itself, for the request id's child and the API client's below it).
 */
for (const level of LEVELS) {
  Object.defineProperty(LazyChild.prototype, level, {
    value(this: LazyChild, ...args: unknown[]) {
      if (!this.isLevelEnabled(level)) return;
      const [logger, bindings] = this.target();
      const write = logger[level] as (...a: unknown[]) => void;
      if (logger === this.made) return write.apply(logger, args);
      const first = args[0];
      if (first instanceof Error) return write.call(logger, { ...bindings, err: first }, ...(args.length > 1 ? args.slice(1) : [first.message]));
      if (first !== null && typeof first === 'object') return write.call(logger, { ...bindings, ...first }, ...args.slice(1));
      return write.call(logger, bindings, ...args);
    },
  });
}
