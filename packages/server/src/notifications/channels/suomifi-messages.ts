/**
 * Suomi.fi Messages (Suomi.fi-viestit) over its REST API (docs NATIONAL-APIS.md): a token from
 * `POST /v1/token`, kept until shortly before it expires (refreshed once on a 401); the recipient's
 * active mailbox checked with `POST /v1/mailboxes/active`; the message sent with
 * `POST /v2/messages/electronic`, `externalId` = the idempotency key (a 409 with the earlier
 * `messageId` is a success). The recipient's identity code goes only into the request bodies; no
 * reason this adapter returns carries it or any free text from the API.
 */
import type { ChannelAdapter, DeliveryResult, OutgoingMessage } from '../types.js';

type Fetch = typeof globalThis.fetch;

export interface SuomifiChannelOptions {
  baseUrl: string;
  username: string;
  password: string;
  serviceId: string;
  fetch?: Fetch;
  /** Milliseconds per HTTP request (default 15 s). */
  timeoutMs?: number;
}

export interface SuomifiChannel extends ChannelAdapter {
  /** Of `ids`, those with an active Suomi.fi mailbox (batches of 10 000). */
  activeMailboxes(ids: Iterable<string>): Promise<Set<string>>;
}

/** A passing fault inside the adapter (network, 5xx, 429, token refused): the delivery is retried. */
class RetryableError extends Error {}

interface ApiResponse {
  status: number;
  body: unknown;
}

function errorCodes(body: unknown): string[] {
  const errs = (body as { validationErrors?: unknown } | null)?.validationErrors;
  if (!Array.isArray(errs)) return [];
  return errs.map((e) => (e as { errorCode?: unknown })?.errorCode).filter((c): c is string => typeof c === 'string');
}

export function createSuomifiChannel(opts: SuomifiChannelOptions): SuomifiChannel {
  const doFetch: Fetch = opts.fetch ?? globalThis.fetch;
  const base = opts.baseUrl.replace(/\/+$/, '');
  const timeoutMs = opts.timeoutMs ?? 15_000;
  let token: { value: string; refreshAt: number } | null = null;
  let pending: Promise<string> | null = null;

  async function post(path: string, body: unknown, accessToken?: string): Promise<ApiResponse> {
    let res: Response;
    try {
      res = await doFetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}) },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (e) {
      const code = (e as { cause?: { code?: unknown } })?.cause?.code;
      const name = (e as { name?: unknown })?.name;
      throw new RetryableError(`NETWORK_ERROR (${typeof code === 'string' ? code : typeof name === 'string' ? name : 'fetch failed'})`);
    }
    const text = await res.text().catch(() => '');
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = null;
    }
    return { status: res.status, body: parsed };
  }

  async function fetchToken(): Promise<string> {
    const r = await post('/v1/token', { username: opts.username, password: opts.password });
    const b = r.body as { access_token?: unknown; expires_in?: unknown } | null;
    if (r.status !== 200 || typeof b?.access_token !== 'string') throw new RetryableError(`TOKEN_REFUSED (HTTP ${r.status})`);
    const lifetimeMs = (typeof b.expires_in === 'number' && b.expires_in > 0 ? b.expires_in : 60) * 1000;
    // Refresh a little before the API would: a tenth of the lifetime, at most 30 s.
    token = { value: b.access_token, refreshAt: Date.now() + lifetimeMs - Math.min(30_000, lifetimeMs / 10) };
    return b.access_token;
  }

  function currentToken(): Promise<string> {
    if (token && token.refreshAt > Date.now()) return Promise.resolve(token.value);
    // Callers at the same moment share one token request.
    pending ??= fetchToken().finally(() => {
      pending = null;
    });
    return pending;
  }

  /** An authorised call: on a 401 the token is fetched again and the call made once more. */
  async function call(path: string, body: unknown): Promise<ApiResponse> {
    const first = await currentToken();
    const r = await post(path, body, first);
    if (r.status !== 401) return r;
    if (token?.value === first) token = null;
    return post(path, body, await currentToken());
  }

  function passing(r: ApiResponse): RetryableError {
    return new RetryableError(r.status === 401 ? 'UNAUTHORIZED (HTTP 401 after a new token)' : `HTTP ${r.status}`);
  }

  async function activeMailboxes(ids: Iterable<string>): Promise<Set<string>> {
    const all = [...new Set(ids)];
    const active = new Set<string>();
    for (let i = 0; i < all.length; i += 10_000) {
      const r = await call('/v1/mailboxes/active', { endUsers: all.slice(i, i + 10_000).map((id) => ({ id })) });
      if (r.status !== 200) throw passing(r);
      const list = (r.body as { endUsersWithActiveMailbox?: unknown } | null)?.endUsersWithActiveMailbox;
      if (Array.isArray(list)) for (const u of list) if (typeof u?.id === 'string') active.add(u.id);
    }
    return active;
  }

  async function deliver(m: OutgoingMessage): Promise<DeliveryResult> {
    const id = m.recipient.personId;
    if (!id) return { status: 'unavailable', reason: 'NO_PERSON_ID' };
    try {
      if (!(await activeMailboxes([id])).has(id)) return { status: 'unavailable', reason: 'MAILBOX_NOT_IN_USE' };
      const r = await call('/v2/messages/electronic', {
        externalId: m.idempotencyKey,
        recipient: { id },
        sender: { serviceId: opts.serviceId },
        electronic: {
          title: m.subject.slice(0, 256),
          body: m.text.slice(0, 40_000),
          bodyFormat: 'Text',
          messageServiceType: 'Normal',
          replyAllowedBy: 'No one',
          visibility: 'Normal',
          notifications: {
            senderDetailsInNotifications: 'Organisation and service name',
            unreadMessageNotification: { reminder: 'Default reminder' },
          },
        },
      });
      const messageId = (r.body as { messageId?: unknown } | null)?.messageId;
      if ((r.status === 200 || r.status === 201 || r.status === 409) && typeof messageId === 'string') {
        return { status: 'delivered', providerId: messageId };
      }
      if (r.status === 400) {
        const codes = errorCodes(r.body);
        if (codes.includes('MAILBOX_NOT_IN_USE')) return { status: 'unavailable', reason: 'MAILBOX_NOT_IN_USE' };
        // The message itself was refused: sending it again would be refused again.
        return { status: 'unavailable', reason: `REJECTED (HTTP 400${codes.length ? `: ${codes.join(', ')}` : ''})` };
      }
      throw passing(r);
    } catch (e) {
      if (e instanceof RetryableError) return { status: 'retry', reason: e.message };
      return { status: 'retry', reason: 'UNEXPECTED_ERROR' };
    }
  }

  return { channel: 'suomifi', deliver, activeMailboxes };
}
