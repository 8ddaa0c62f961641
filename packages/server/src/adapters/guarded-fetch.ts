import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import type { Config } from '../config.js';

/**
 * One guarded client for every request the server makes to an address it was given (PTV imports
 * today). Built on node:http/https rather than the global fetch: they take a `lookup` per request
 * (so the address actually connected to is the one checked), and the undici Agent that would give
 * the global fetch the same is not importable without a new dependency.
 *
 * Every hop of a redirect chain (at most `maxRedirects`) must be on the allow-list; every address a
 * name resolves to (and every IP literal) must be public unless the exact origin is a named demo
 * simulator; the body is streamed and cut off past `maxBytes`; connecting and the whole exchange
 * have time limits. Any failure is an {@link OutboundFetchError} whose `reason` is for the server
 * log only: callers answer one generic refusal, so a caller cannot tell a closed port from a
 * refused address, a timeout or an oversized answer.
 */

export interface OutboundPolicy {
  /** URL prefixes that may be fetched (origin + path prefix, e.g. `https://api.palvelutietovaranto.suomi.fi/api/v11`). */
  allow: readonly string[];
  /** Exact origins (demo simulators) that may be on loopback or private addresses; they must still be on `allow` to be fetched. Everything else must resolve to public addresses only. */
  simulators?: readonly string[];
}

export interface OutboundLimits {
  /** Redirects followed at most (default 3). */
  maxRedirects?: number;
  /** Body bytes at most (default 10 MiB). */
  maxBytes?: number;
  /** Milliseconds to connect, per hop (default 5 s). */
  connectTimeoutMs?: number;
  /** Milliseconds for the whole exchange, redirects and body included (default 15 s). */
  timeoutMs?: number;
}

export interface GuardedFetchOptions extends OutboundLimits {
  /** Name resolution (tests inject one); default `dns.lookup`. */
  lookup?: typeof dnsLookup;
  /** Where the details of a failure go (the server log); never to the caller. */
  log?: { warn(obj: object, msg: string): void };
}

export type OutboundFailure =
  | 'not-allowed' // the URL (first or a redirect's) is not on the allow-list
  | 'address-refused' // a loopback, private, link-local… address outside the named simulators
  | 'too-many-redirects'
  | 'bad-redirect' // a redirect without a usable Location
  | 'connect-timeout'
  | 'timeout'
  | 'too-large'
  | 'network'; // refused, reset, DNS failure, TLS failure…

export class OutboundFetchError extends Error {
  constructor(readonly reason: OutboundFailure, readonly url: string, detail?: string) {
    super(`outbound fetch ${reason}: ${url}${detail ? ` (${detail})` : ''}`);
    this.name = 'OutboundFetchError';
  }
}

export interface GuardedResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The URL that answered (after redirects). */
  url: string;
  body: Buffer;
  text(): string;
  json(): unknown;
}

export interface GuardedRequest {
  headers?: Record<string, string>;
}

export interface GuardedFetch {
  (url: string | URL, init?: GuardedRequest): Promise<GuardedResponse>;
  /** Is this URL on the allow-list (or a named simulator)? A check on the text alone, before any request. */
  allows(url: string | URL): boolean;
}

export const OUTBOUND_DEFAULTS: Required<OutboundLimits> = { maxRedirects: 3, maxBytes: 10 * 1024 * 1024, connectTimeoutMs: 5_000, timeoutMs: 15_000 };

// ---------------------------------------------------------------- addresses

const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128], ['::1', 128], ['::', 96] /* IPv4-compatible */, ['64:ff9b:1::', 48], ['100::', 64], ['2001::', 23], ['2001:db8::', 32],
  ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
] as const) blocked.addSubnet(net, prefix, 'ipv6');

/** The IPv4 address inside an IPv6 one that carries it (NAT64 64:ff9b::/96, 6to4 2002::/16), if any. */
function embeddedIpv4(v6: string): string | null {
  const groups = expandIpv6(v6);
  if (!groups) return null;
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  if (groups[0] === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((g) => g === 0)) return v4(groups[6]!, groups[7]!);
  if (groups[0] === 0x2002) return v4(groups[1]!, groups[2]!);
  return null;
}

function expandIpv6(v6: string): number[] | null {
  let s = v6.split('%')[0]!;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (dotted) {
    const p = dotted[1]!.split('.').map(Number);
    s = s.slice(0, -dotted[1]!.length) + `${((p[0]! << 8) | p[1]!).toString(16)}:${((p[2]! << 8) | p[3]!).toString(16)}`;
  }
  const [head, tail] = s.split('::') as [string, string | undefined];
  const part = (x: string) => (x ? x.split(':').map((h) => parseInt(h, 16)) : []);
  const h = part(head);
  const t = tail === undefined ? [] : part(tail);
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill(0), ...t];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}

/**
 * May the server connect to this IP address? Not loopback, private (10/8, 172.16/12, 192.168/16,
 * fc00::/7), link-local (169.254/16, fe80::/10), unspecified, carrier-grade NAT, documentation,
 * benchmarking, multicast or reserved ranges, also when written as IPv4 inside IPv6
 * (`::ffff:127.0.0.1`, NAT64, 6to4).
 */
export function isPublicAddress(address: string): boolean {
  const a = address.replace(/^\[|\]$/g, '');
  const family = isIP(a);
  if (family === 4) return !blocked.check(a, 'ipv4');
  if (family !== 6) return false;
  if (blocked.check(a, 'ipv6')) return false; // also checks ::ffff:a.b.c.d against the IPv4 ranges
  const inner = embeddedIpv4(a);
  return inner === null || !blocked.check(inner, 'ipv4');
}

// ---------------------------------------------------------------- the allow-list

const parse = (u: string | URL): URL | null => {
  try {
    return new URL(u);
  } catch {
    return null;
  }
};

/** The allow-list as a predicate: http(s), no credentials, the origin of a prefix and a path at or below its path (`/api/v11` allows `/api/v11/x`, not `/api/v11x`). */
export function urlAllowed(policy: OutboundPolicy): (url: string | URL) => boolean {
  const prefixes = policy.allow.map((p) => parse(p)).filter((p): p is URL => p !== null)
    .map((p) => ({ origin: p.origin, path: p.pathname.replace(/\/+$/, '') }));
  return (raw) => {
    const u = parse(raw);
    if (!u || (u.protocol !== 'https:' && u.protocol !== 'http:') || u.username || u.password) return false;
    return prefixes.some((p) => p.origin === u.origin && (p.path === '' || u.pathname === p.path || u.pathname.startsWith(`${p.path}/`)));
  };
}

// ---------------------------------------------------------------- the client

export function createGuardedFetch(policy: OutboundPolicy, opts: GuardedFetchOptions = {}): GuardedFetch {
  const limits = { ...OUTBOUND_DEFAULTS, ...Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)) } as Required<OutboundLimits> & GuardedFetchOptions;
  const allows = urlAllowed(policy);
  const simulators = new Set((policy.simulators ?? []).map((s) => parse(s)?.origin).filter(Boolean));
  const resolve = opts.lookup ?? dnsLookup;

  /** Resolves every address of the name and refuses the connection if any one of them is not public. */
  const publicOnly: LookupFunction = (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      const list = Array.isArray(addresses) ? addresses : [];
      const bad = list.find((a) => !isPublicAddress(a.address));
      if (bad || list.length === 0) {
        return callback(Object.assign(new Error(`${hostname} resolves to ${bad?.address ?? 'nothing'}`), { code: 'EADDRREFUSED' }) as NodeJS.ErrnoException, '', 0);
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      return callback(null, list[0]!.address, list[0]!.family);
    });
  };

  async function guarded(input: string | URL, init: GuardedRequest = {}): Promise<GuardedResponse> {
    const first = String(input);
    const deadline = AbortSignal.timeout(limits.timeoutMs);
    let url = parse(input);
    try {
      for (let hop = 0; ; hop++) {
        if (!url || !allows(url)) throw new OutboundFetchError('not-allowed', url?.href ?? first);
        const res = await once(url, init, deadline);
        if (res.status >= 300 && res.status < 400 && res.status !== 304) {
          res.message.resume();
          const location = res.message.headers.location;
          if (!location) throw new OutboundFetchError('bad-redirect', url.href, `${res.status} without Location`);
          if (hop >= limits.maxRedirects) throw new OutboundFetchError('too-many-redirects', url.href, `more than ${limits.maxRedirects}`);
          const next = parse(new URL(location, url).href);
          if (!next) throw new OutboundFetchError('bad-redirect', url.href, 'Location is not a URL');
          url = next;
          continue;
        }
        const body = await readBody(res.message, url, deadline);
        const finalUrl = url.href;
        return {
          status: res.status, headers: res.message.headers, url: finalUrl, body,
          text: () => body.toString('utf8'),
          json: () => JSON.parse(body.toString('utf8')),
        };
      }
    } catch (e) {
      const err = e instanceof OutboundFetchError ? e
        : deadline.aborted ? new OutboundFetchError('timeout', url?.href ?? first, `over ${limits.timeoutMs} ms`)
          : new OutboundFetchError((e as NodeJS.ErrnoException)?.code === 'EADDRREFUSED' ? 'address-refused' : 'network', url?.href ?? first, (e as Error)?.message);
      opts.log?.warn({ outbound: { reason: err.reason, url: err.url, requested: first }, err: { message: err.message } }, 'outbound fetch failed');
      throw err;
    }
  }

  function once(url: URL, init: GuardedRequest, deadline: AbortSignal): Promise<{ status: number; message: IncomingMessage }> {
    const trusted = simulators.has(url.origin);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    // An IP literal is connected to without a lookup: check it here.
    if (isIP(host) && !trusted && !isPublicAddress(host)) return Promise.reject(new OutboundFetchError('address-refused', url.href, host));
    return new Promise((resolvePromise, reject) => {
      const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
      // agent: false — a fresh connection per request, so no pooled socket skips the address check.
      const req = request(url, {
        method: 'GET', agent: false, headers: { ...init.headers, 'accept-encoding': 'identity' },
        ...(trusted ? {} : { lookup: publicOnly }),
      });
      let connectTimer: NodeJS.Timeout | undefined;
      req.on('error', (err) => {
        clearTimeout(connectTimer);
        deadline.removeEventListener('abort', onAbort);
        reject(err);
      });
      const fail = (err: Error) => {
        reject(err);
        req.destroy(err);
      };
      const onAbort = () => fail(new OutboundFetchError('timeout', url.href, `over ${limits.timeoutMs} ms`));
      if (deadline.aborted) return onAbort();
      deadline.addEventListener('abort', onAbort, { once: true });
      connectTimer = setTimeout(() => fail(new OutboundFetchError('connect-timeout', url.href, `over ${limits.connectTimeoutMs} ms`)), limits.connectTimeoutMs);
      req.on('socket', (socket) => {
        socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', () => clearTimeout(connectTimer));
      });
      req.on('response', (message) => {
        clearTimeout(connectTimer);
        deadline.removeEventListener('abort', onAbort);
        resolvePromise({ status: message.statusCode ?? 0, message });
      });
      req.end();
    });
  }

  function readBody(message: IncomingMessage, url: URL, deadline: AbortSignal): Promise<Buffer> {
    return new Promise((resolveBody, reject) => {
      let settled = false;
      const chunks: Buffer[] = [];
      let size = 0;
      // Settle first, then close the connection: closing emits events of its own.
      const finish = (err: Error | null) => {
        if (settled) return;
        settled = true;
        deadline.removeEventListener('abort', onAbort);
        if (err) {
          reject(err);
          message.destroy();
        } else {
          resolveBody(Buffer.concat(chunks));
        }
      };
      const tooLarge = () => new OutboundFetchError('too-large', url.href, `over ${limits.maxBytes} bytes`);
      const onAbort = () => finish(new OutboundFetchError('timeout', url.href, `over ${limits.timeoutMs} ms`));
      const declared = Number(message.headers['content-length']);
      if (Number.isFinite(declared) && declared > limits.maxBytes) return finish(tooLarge());
      if (deadline.aborted) return onAbort();
      deadline.addEventListener('abort', onAbort, { once: true });
      message.on('data', (chunk: Buffer) => {
        if (settled) return;
        size += chunk.length;
        if (size > limits.maxBytes) return finish(tooLarge());
        chunks.push(chunk);
      });
      message.on('end', () => finish(null));
      message.on('error', (err) => finish(err));
      message.on('aborted', () => finish(new OutboundFetchError('network', url.href, 'connection closed mid-body')));
      message.on('close', () => finish(new OutboundFetchError('network', url.href, 'connection closed mid-body')));
    });
  }

  return Object.assign(guarded, { allows });
}

/** The server's guarded client from its configuration: the PTV base URLs, and in demo mode the named simulators. */
export function outboundClient(config: Pick<Config, 'ptvBaseUrls' | 'outbound' | 'mode'>, log?: GuardedFetchOptions['log']): GuardedFetch {
  const { simulatorUrls, ...limits } = config.outbound;
  const simulators = config.mode === 'demo' ? simulatorUrls : [];
  // A named simulator is fetched from as a whole origin, and may be on a loopback or private address.
  return createGuardedFetch({ allow: [...config.ptvBaseUrls, ...simulators], simulators }, { ...limits, ...(log ? { log } : {}) });
}
