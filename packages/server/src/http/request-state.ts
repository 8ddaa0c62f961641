/**
 * What the access hook learns about a request's caller, kept on the request itself (Fastify request
 * decorations, null until set). Not in WeakMaps keyed by the request: every entry of a WeakMap is an
 * ephemeron the garbage collector has to trace specially at each young-generation collection, one
 * per request per map — on the check's hot path that was a visible share of the scavenger's time
 * (decision 0018, third round).
 */
import type { FastifyContextConfig, FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor } from '@puolesta/domain';
import type { Caller } from '../services/access.js';
import type { SessionSubject } from '../db/schema.js';
import type { ApiClient } from './auth.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated actor (access hook). */
    puolestaActor: Actor | null;
    /** The API client of an HTTP Basic call (access hook). */
    puolestaClient: ApiClient | null;
    /** The session's subject of a cookie call (access hook). */
    puolestaSession: SessionSubject | null;
    /** The logged-in person with the facts of whom they stand for, loaded once (callerOf). */
    puolestaCaller: Promise<Caller> | null;
    /** The matched route's config, read once (routeOf). */
    puolestaRoute: RouteConfig | null;
  }
}

/** A route's config as Fastify keeps it: our keys (access, requestLog) and the route's `url` (none when no route matched). */
export type RouteConfig = FastifyContextConfig & { url?: string };

const NO_ROUTE: RouteConfig = Object.freeze({});

/**
 * The matched route's config, read once per request. Fastify's `request.routeOptions` getter builds
 * a new object of a dozen fields (and asks the router for its constraint strategies) on every read;
 * the gate's steps and the request telemetry read the route six times per request.
 */
export function routeOf(req: FastifyRequest): RouteConfig {
  return req.puolestaRoute ??= ((req.routeOptions.config as RouteConfig | undefined) ?? NO_ROUTE);
}

/** Declares the fields on the root instance, before any route: every request starts with them null. */
export function registerRequestState(app: FastifyInstance): void {
  app.decorateRequest('puolestaActor', null);
  app.decorateRequest('puolestaClient', null);
  app.decorateRequest('puolestaSession', null);
  app.decorateRequest('puolestaCaller', null);
  app.decorateRequest('puolestaRoute', null);
}
