/**
 * Everything a request passes before its route is chosen to run, in one root `onRequest` hook:
 * security headers, request id and storable text, cookies, CSRF, access, the API client's rate limit.
 *
 * Each step stays in its own module (security-headers.ts, text-input.ts, csrf.ts, access-hook.ts,
 * rate-limit.ts); only their running is shared. Fastify runs every hook through its hook runner,
 * and six hooks that do nothing took about 15 % off a bare route's throughput on this machine: one
 * hook that runs the steps in a loop costs one (decision 0018, third round).
 *
 * A step returns nothing when it is done, a promise when it has to wait (a session read, a rate
 * limit's lease), throws to refuse (the error handler answers), or answers itself (`reply.send`) and
 * so ends the request. Steps run in order; the first refusal ends it.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';

export type GateStep = (req: FastifyRequest, reply: FastifyReply) => void | Promise<void>;

function run(steps: readonly GateStep[], from: number, req: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
  for (let i = from; i < steps.length; i++) {
    let waiting: void | Promise<void>;
    try {
      waiting = steps[i]!(req, reply);
    } catch (e) {
      return done(e as Error);
    }
    if (reply.sent) return;
    if (waiting) {
      waiting.then(() => { if (!reply.sent) run(steps, i + 1, req, reply, done); }, done);
      return;
    }
  }
  done();
}

/** Registers the steps, in this order, as one `onRequest` hook on the root (before the routes). */
export function registerRequestGate(app: FastifyInstance, steps: readonly GateStep[]): void {
  app.addHook('onRequest', (req, reply, done) => run(steps, 0, req, reply, done));
}
