/**
 * HTTP glue of the access module: every route declares its action (`config.access`); this hook
 * authenticates the caller the way that action's rule admits (session cookie or HTTP Basic) and
 * applies the rule's actor part before anything else runs (an anonymous caller learns nothing from
 * validation). Object rules are applied by the use case with the object's facts (services/access.ts).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ACCESS, actorRefusal, asMunicipalityCode, refuse, type Action, type Actor, type ClientActor, type PersonActor, type PersonId, type StaffActor } from '@puolesta/domain';
import type { Context } from '../services/context.js';
import { loadPersonFacts, staffActor, type Caller } from '../services/access.js';
import { findStaff } from '../repositories/sessions.repository.js';
import { sessionOf, type ApiClient, type ApiClients } from './auth.js';
import { registerRequestState, routeOf } from './request-state.js';
import type { GateStep } from './request-gate.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The action this route performs, by the access module's name. Every route has one (a test checks). */
    access?: Action;
  }
}

/**
 * The caller as the action's rule admits them. An API client (HTTP Basic, checked against the
 * process's verified-credentials cache) and the anonymous are known at once: no promise on the
 * e-services' hot path. A session needs the database.
 */
function authenticate(ctx: Context, clients: ApiClients, req: FastifyRequest, action: Action): Actor | Promise<Actor> {
  const kinds: readonly string[] = ACCESS[action].actors;
  if (kinds.includes('anonymous')) return ANONYMOUS;
  if (kinds.includes('api-client')) return clientActor(clients.authenticate(req));
  return sessionActor(ctx, req);
}

const ANONYMOUS: Actor = Object.freeze({ kind: 'anonymous' });

/** One actor object per API client (immutable), not one per call. Bounded by the configured clients. */
const clientActors = new Map<string, ClientActor>();
function clientActor(c: ApiClient): ClientActor {
  let a = clientActors.get(c.id);
  if (!a || a.municipality !== c.municipality) {
    if (clientActors.size > 10_000) clientActors.clear();
    clientActors.set(c.id, (a = Object.freeze({ kind: 'api-client', id: c.id, municipality: asMunicipalityCode(c.municipality) })));
  }
  return a;
}

async function sessionActor(ctx: Context, req: FastifyRequest): Promise<Actor> {
  const s = await sessionOf(ctx, req);
  if (s.kind === 'person') return { kind: 'person', id: s.id as PersonId };
  const row = await findStaff(ctx.db, s.key);
  if (!row) throw refuse('auth.session-ended');
  return staffActor(row);
}

/**
 * The access step of the request gate: authenticates the caller the way the route's action admits
 * and applies the rule's actor part. An API client's call is decided without a promise. Declares the
 * request fields it fills (request-state.ts) on `app`.
 */
export function accessStep(app: FastifyInstance, ctx: Context, clients: ApiClients): GateStep {
  registerRequestState(app);
  const admit = (req: FastifyRequest, action: Action, actor: Actor) => {
    const r = actorRefusal(action, actor);
    if (r) throw refuse(r.code, r.params ?? {});
    req.puolestaActor = actor;
  };
  return (req) => {
    // No route matched: the not-found handler answers.
    const route = routeOf(req);
    if (route.url === undefined) return;
    const action = route.access;
    if (!action) throw refuse('access.forbidden');
    const actor = authenticate(ctx, clients, req, action);
    if (actor instanceof Promise) return actor.then((a) => admit(req, action, a));
    admit(req, action, actor);
  };
}

/** The authenticated actor of this request (after the hook). */
export function actorOf(req: FastifyRequest): Actor {
  const a = req.puolestaActor;
  if (!a) throw refuse('auth.login-required');
  return a;
}

export function personActorOf(req: FastifyRequest): PersonActor {
  const a = actorOf(req);
  if (a.kind !== 'person') throw refuse('access.citizens-only');
  return a;
}

export function staffActorOf(req: FastifyRequest): StaffActor {
  const a = actorOf(req);
  if (a.kind !== 'staff') throw refuse('access.staff-only');
  return a;
}

export function clientOf(req: FastifyRequest): ClientActor {
  const a = actorOf(req);
  if (a.kind !== 'api-client') throw refuse('auth.basic-required');
  return a;
}

/** The logged-in person with whom they may stand for (three queries, once per request). */
export function callerOf(ctx: Context, req: FastifyRequest): Promise<Caller> {
  let c = req.puolestaCaller;
  if (!c) {
    const actor = personActorOf(req);
    c = loadPersonFacts(ctx.db, actor.id).then((facts) => ({ actor, facts }));
    req.puolestaCaller = c;
  }
  return c;
}
