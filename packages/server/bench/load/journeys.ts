/**
 * Simulated people doing whole journeys over HTTP, as the portal and an e-service would:
 *   login (demo login + GET /api/v1/me for the CSRF token) → grant (A gives B a mandate) →
 *   request (C asks A for one) → approve (A grants C's request) → check (the e-service asks, over
 *   HTTP Basic, whether B and C may act for A: both must be allowed) → errand.create (owner 1
 *   starts a building permit for the property both own) → errand.submit (awaiting signatures) →
 *   errand.sign (owner 2 reads it and signs the version shown) → errand.decide (the municipality's
 *   caseworker approves).
 * Every journey uses people no other journey uses (no refusals for duplicates or look-up budgets).
 *
 * A small load balancer spreads the requests over the API processes round robin. Like a client
 * behind a real one, a request that meets a refused connection, a timeout or a 503 is sent again
 * (after Retry-After, at most 1 s) to the next process; grant, request, approval and submit carry an Idempotency-Key. Every
 * 2xx write goes into a ledger (entity id → the state it answered), checked against the database
 * at the end.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { addDays, helsinkiDate } from '@puolesta/domain';
import { FORMS } from '../../src/forms/forms.js';
import type { Pools } from './system.js';

export type Step = 'probe' | 'login' | 'grant' | 'request' | 'approve' | 'check' | 'errand.create' | 'errand.submit' | 'errand.sign' | 'errand.decide' | 'caseworker.login';
export const STEPS: Step[] = ['login', 'grant', 'request', 'approve', 'check', 'errand.create', 'errand.submit', 'errand.sign', 'caseworker.login', 'errand.decide', 'probe'];

/** One HTTP answer (or failure to get one), for the timeline. */
export interface Event { t: number; step: Step; port: number; status: number; ms: number; problemOk?: boolean }

export interface StepStats { ok: number[]; status: Map<number, number> }

export class Ledger {
  /** Mandates and errands: id → the status the last 2xx answer gave. */
  mandates = new Map<string, string>();
  errands = new Map<string, string>();
  /**
   * Entities a write of which is in doubt: a try got no answer or 503 and the retry was refused
   * (the first try had been done after all — e.g. the connection was cut during COMMIT). Checked
   * for presence only, not for the state.
   */
  inDoubt = new Set<string>();
  writes = 0;
}

export interface Target { port: number; up: boolean }

export class Driver {
  readonly stats = new Map<Step, StepStats>(STEPS.map((s) => [s, { ok: [], status: new Map() }]));
  readonly events: Event[] = [];
  readonly ledger = new Ledger();
  journeys = 0;
  abandoned = 0;
  unexpected: string[] = [];
  /** 5xx answers other than 503: product failures. */
  serverErrors = 0;
  /** 503 answers without problem+json or without Retry-After. */
  bad503 = 0;
  private rr = 0;
  private nextAdult = 0;
  private nextProperty = 0;
  private readonly t0 = performance.now();
  private readonly today = helsinkiDate(Date.now());
  private readonly caseworkers = new Map<string, Promise<Session>>();
  private readonly permit = structuredClone((FORMS['building-permit'] as unknown as { examples: unknown[] }).examples[0]);

  constructor(readonly targets: Target[], readonly pools: Pools, readonly opts: { retryForMs: number; log: (...a: unknown[]) => void }) {}

  now() { return (performance.now() - this.t0) / 1000; }

  private pick(): Target {
    for (let i = 0; i < this.targets.length; i++) {
      const t = this.targets[this.rr++ % this.targets.length]!;
      if (t.up) return t;
    }
    return this.targets[this.rr++ % this.targets.length]!;
  }

  /**
   * One request through the balancer, retried on refused connections, timeouts and 503.
   * `ambiguous` tells the caller that an earlier try may have been done by the server.
   */
  async call(step: Step, method: string, path: string, o: { session?: Session; body?: unknown; basic?: string; headers?: Record<string, string>; port?: number } = {}):
    Promise<{ status: number; body: any; setCookie: string[]; ambiguous: boolean }> {
    const until = performance.now() + this.opts.retryForMs;
    let ambiguous = false;
    for (let attempt = 0; ; attempt++) {
      // A write retried after a 503 may have been done by the try that answered 503 (in doubt).
      if (attempt > 0 && method !== 'GET') ambiguous = true;
      const port = o.port ?? this.pick().port;
      const headers: Record<string, string> = { ...o.headers };
      if (o.body !== undefined) headers['content-type'] = 'application/json';
      if (o.session) { headers.cookie = o.session.cookie; if (method !== 'GET') headers['x-csrf-token'] = o.session.csrf; }
      if (o.basic) headers.authorization = `Basic ${Buffer.from(o.basic).toString('base64')}`;
      const started = performance.now();
      let status = 0;
      let body: any = null;
      let setCookie: string[] = [];
      let retryAfter = 0;
      try {
        const r = await fetch(`http://127.0.0.1:${port}${path}`, { method, headers, body: o.body === undefined ? undefined : JSON.stringify(o.body), signal: AbortSignal.timeout(15_000) });
        status = r.status;
        setCookie = r.headers.getSetCookie();
        const text = await r.text();
        body = text ? JSON.parse(text) : null;
        if (status === 503) {
          const ok = (r.headers.get('content-type') ?? '').startsWith('application/problem+json') && r.headers.get('retry-after') !== null;
          if (!ok) this.bad503++;
          retryAfter = Number(r.headers.get('retry-after') ?? 1) * 1000;
        }
      } catch (e) {
        // Refused (process down: nothing done) or timed out / reset (perhaps done).
        const code = (e as { cause?: { code?: string } }).cause?.code;
        if (code !== 'ECONNREFUSED') ambiguous = true;
        status = 0;
      }
      const ms = performance.now() - started;
      this.events.push({ t: this.now(), step, port, status, ms });
      const s = this.stats.get(step)!;
      s.status.set(status, (s.status.get(status) ?? 0) + 1);
      if (status >= 200 && status < 300) { s.ok.push(ms); return { status, body, setCookie, ambiguous }; }
      if (status >= 500 && status !== 503) {
        this.serverErrors++;
        if (this.unexpected.length < 50) this.unexpected.push(`${step} ${method} ${path.replace(/[0-9a-f-]{36}/g, ':id')} → ${status} ${JSON.stringify(body).slice(0, 300)}`);
      }
      const retriable = status === 0 || status === 503 || (status >= 500);
      if (!retriable || performance.now() > until || o.port !== undefined) return { status, body, setCookie, ambiguous };
      await sleep(status === 0 ? 100 : Math.min(1000, Math.max(100, retryAfter)));
    }
  }

  async login(who: { person: string } | { staff: string }, step: Step = 'login'): Promise<Session | null> {
    const r = await this.call(step, 'POST', '/auth/demo-login', { body: who });
    if (r.status !== 200) return this.fail(step, r);
    const c = r.setCookie.map((x) => x.split(';')[0]!).find((x) => x.startsWith('puolesta_session='));
    if (!c) return this.fail(step, r);
    const me = await this.call(step, 'GET', '/api/v1/me', { session: { cookie: c, csrf: '' } });
    if (me.status !== 200) return this.fail(step, me);
    return { cookie: c, csrf: me.body.csrfToken };
  }

  private fail(step: Step, r: { status: number; body: any; ambiguous: boolean }, entity?: string): null {
    if (r.ambiguous && entity) this.ledger.inDoubt.add(entity);
    if (r.ambiguous && r.status >= 400 && r.status < 500) { this.abandoned++; return null; }
    if (r.status === 0 || r.status === 503) { this.abandoned++; return null; }
    if (r.status < 500 && this.unexpected.length < 50) this.unexpected.push(`${step} → ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
    this.abandoned++;
    return null;
  }

  private record(kind: 'mandates' | 'errands', id: string, status: string) {
    this.ledger[kind].set(id, status);
    this.ledger.writes++;
  }

  private adult(): string {
    const a = this.pools.adults[this.nextAdult++ % this.pools.adults.length]!;
    if (this.nextAdult === this.pools.adults.length) this.opts.log('warning: every adult of the population has been used once; people are reused from now on');
    return a;
  }

  /** One whole journey; false when it had to be abandoned. */
  async journey(): Promise<boolean> {
    const A = this.adult(), B = this.adult(), C = this.adult();
    const until = addDays(this.today, 365);
    const a = await this.login({ person: A });
    if (!a) return false;
    const g = await this.call('grant', 'POST', '/api/v1/mandates', { session: a, body: { agent: { type: 'person', id: B }, issues: ['housing'], validUntil: until }, headers: { 'idempotency-key': randomUUID() } });
    if (g.status !== 201) return !!this.fail('grant', g);
    this.record('mandates', g.body.id, g.body.status);
    const c = await this.login({ person: C });
    if (!c) return false;
    const rq = await this.call('request', 'POST', '/api/v1/mandate-requests', { session: c, body: { principal: { type: 'person', id: A }, issues: ['housing'], validUntil: until }, headers: { 'idempotency-key': randomUUID() } });
    if (rq.status !== 201) return !!this.fail('request', rq);
    this.record('mandates', rq.body.id, rq.body.status);
    const ap = await this.call('approve', 'POST', `/api/v1/mandate-requests/${rq.body.id}/decision`, { session: a, body: { decision: 'grant' }, headers: { 'idempotency-key': randomUUID() } });
    if (ap.status !== 200) return !!this.fail('approve', ap, rq.body.id);
    this.record('mandates', ap.body.id, ap.body.status);
    for (const agent of [B, C]) {
      const ck = await this.call('check', 'POST', '/api/v1/authorizations/check', { basic: 'demo-245:demo-secret-245', body: { actor: { type: 'person', id: agent }, principal: { type: 'person', id: A }, issue: 'housing' } });
      if (ck.status !== 200) return !!this.fail('check', ck);
      if (ck.body.allowed !== true && this.unexpected.length < 50) this.unexpected.push(`check after grant/approve → not allowed: ${JSON.stringify(ck.body)}`);
    }

    const prop = this.pools.properties[this.nextProperty++ % this.pools.properties.length]!;
    const o1 = await this.login({ person: prop.owners[0] });
    if (!o1) return false;
    const cr = await this.call('errand.create', 'POST', '/api/v1/errands', { session: o1, body: { municipality: prop.municipality, service: 'building-permit', subject: { type: 'property', id: prop.id }, data: this.permit } });
    if (cr.status !== 201) return !!this.fail('errand.create', cr);
    const id = cr.body.id as string;
    this.record('errands', id, cr.body.status);
    const sb = await this.call('errand.submit', 'POST', `/api/v1/errands/${id}/submit`, { session: o1, body: {}, headers: { 'idempotency-key': randomUUID() } });
    if (sb.status !== 200) return !!this.fail('errand.submit', sb, id);
    this.record('errands', id, sb.body.status);
    const o2 = await this.login({ person: prop.owners[1] });
    if (!o2) return false;
    const seen = await this.call('errand.sign', 'GET', `/api/v1/errands/${id}`, { session: o2 });
    if (seen.status !== 200) return !!this.fail('errand.sign', seen);
    const sg = await this.call('errand.sign', 'POST', `/api/v1/errands/${id}/responses`, { session: o2, body: { response: 'sign', hash: seen.body.hash } });
    if (sg.status !== 200) return !!this.fail('errand.sign', sg, id);
    this.record('errands', id, sg.body.status);
    const cw = await this.caseworker(prop.municipality);
    if (!cw) return false;
    const dc = await this.call('errand.decide', 'POST', `/api/v1/errands/${id}/decision`, { session: cw, body: { outcome: 'approved', text: 'Myönnetty.' } });
    if (dc.status !== 200) return !!this.fail('errand.decide', dc, id);
    this.record('errands', id, dc.body.status);
    this.journeys++;
    return true;
  }

  /** One caseworker session per municipality, shared by the journeys (as a service point has). */
  private async caseworker(municipality: string): Promise<Session | null> {
    let s = this.caseworkers.get(municipality);
    if (!s) {
      s = this.login({ staff: `caseworker-${municipality}` }, 'caseworker.login').then((x) => { if (!x) throw new Error('no caseworker session'); return x; });
      this.caseworkers.set(municipality, s);
      s.catch(() => this.caseworkers.delete(municipality));
    }
    return s.catch(() => null);
  }

  /** `users` simulated people at once, journey after journey, until `stop()` says so. */
  async run(users: number, stop: () => boolean): Promise<void> {
    await Promise.all(Array.from({ length: users }, async () => {
      while (!stop()) await this.journey().catch((e) => { this.unexpected.push(`journey threw: ${(e as Error).message}`); });
    }));
  }
}

export interface Session { cookie: string; csrf: string }

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function quantiles(ms: number[]) {
  const s = Float64Array.from(ms).sort();
  const q = (p: number) => (s.length ? Math.round(s[Math.min(s.length - 1, Math.floor(p * s.length))]! * 10) / 10 : null);
  return { n: s.length, p50: q(0.5), p95: q(0.95), p99: q(0.99), max: s.length ? Math.round(s[s.length - 1]! * 10) / 10 : null };
}
