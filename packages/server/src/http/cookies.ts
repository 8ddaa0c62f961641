/**
 * Cookies: read by a step of the request gate, written as `Set-Cookie` headers by the few routes that
 * start or end a session or a login flow, with jshttp's `cookie` (what @fastify/cookie wraps). The plugin
 * itself added an `onSend` hook to every route to write the cookies a route had set: the e-services'
 * check, which never sets one, paid for it on every call (decision 0018, fifth round).
 */
import type { FastifyReply } from 'fastify';
import { parse, serialize, type SerializeOptions } from 'cookie';

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's cookies by name, read by the request gate before access and CSRF (app.ts). */
    cookies: Readonly<Record<string, string | undefined>>;
  }
}

const NONE: Readonly<Record<string, string>> = Object.freeze({});

/** The cookies of a `Cookie` header (none when there is none). */
export const readCookies = (header: string | undefined): Readonly<Record<string, string | undefined>> => (header ? parse(header) : NONE);

/** Sets a cookie on the answer (Fastify keeps every `Set-Cookie` header given). */
export function setCookie(reply: FastifyReply, name: string, value: string, opts: SerializeOptions): void {
  reply.header('set-cookie', serialize(name, value, opts));
}

/** Ends a cookie: empty, expired long ago (as @fastify/cookie's clearCookie). */
export function clearCookie(reply: FastifyReply, name: string, opts: Omit<SerializeOptions, 'expires' | 'maxAge'>): void {
  setCookie(reply, name, '', { ...opts, expires: new Date(1) });
}
