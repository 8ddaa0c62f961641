/**
 * SMS through an HTTP gateway in the shape of GatewayAPI's REST API: `POST {baseUrl}/rest/mtsms`,
 * `Authorization: Token <token>`, JSON `{ sender, message, recipients: [{ msisdn }], userref }` →
 * 200 `{ ids: [number] }`; 4xx `{ code, message }`. Sends the message's one-line `sms` text.
 */
import type { ChannelAdapter, DeliveryResult, OutgoingMessage } from '../types.js';

type Fetch = typeof globalThis.fetch;

export interface SmsChannelOptions {
  baseUrl: string;
  token: string;
  /** Sender name (≤ 11 letters/digits) or number. */
  sender: string;
  fetch?: Fetch;
  /** Milliseconds per request (default 15 s). */
  timeoutMs?: number;
}

/**
 * A phone number as an MSISDN integer: `+358 40 123 4914`, `00358401234914` and `040 123 4914`
 * (a Finnish national number) all become 358401234914. Null when it is not a number.
 */
export function toMsisdn(phone: string): number | null {
  let digits = phone.replace(/[\s\-().]/g, '');
  if (digits.startsWith('+')) digits = digits.slice(1);
  else if (digits.startsWith('00')) digits = digits.slice(2);
  else if (digits.startsWith('0')) digits = `358${digits.slice(1)}`;
  if (!/^[1-9][0-9]{7,14}$/.test(digits)) return null;
  return Number(digits);
}

export function createSmsChannel(opts: SmsChannelOptions): ChannelAdapter {
  const doFetch: Fetch = opts.fetch ?? globalThis.fetch;
  const base = opts.baseUrl.replace(/\/+$/, '');
  return {
    channel: 'sms',
    async deliver(m: OutgoingMessage): Promise<DeliveryResult> {
      if (!m.recipient.phone?.trim()) return { status: 'unavailable', reason: 'NO_PHONE_NUMBER' };
      const msisdn = toMsisdn(m.recipient.phone);
      if (msisdn === null) return { status: 'unavailable', reason: 'INVALID_PHONE_NUMBER' };
      let res: Response;
      try {
        res = await doFetch(`${base}/rest/mtsms`, {
          method: 'POST',
          headers: { authorization: `Token ${opts.token}`, 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({ sender: opts.sender, message: m.sms, recipients: [{ msisdn }], userref: m.idempotencyKey }),
          signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000),
        });
      } catch (e) {
        const code = (e as { cause?: { code?: unknown } })?.cause?.code;
        return { status: 'retry', reason: `NETWORK_ERROR (${typeof code === 'string' ? code : (e as Error)?.name ?? 'fetch failed'})` };
      }
      const body = (await res.json().catch(() => null)) as { ids?: unknown; code?: unknown } | null;
      if (res.status === 200) {
        const id = Array.isArray(body?.ids) ? body.ids[0] : undefined;
        if (typeof id === 'number' || typeof id === 'string') return { status: 'delivered', providerId: String(id) };
        return { status: 'retry', reason: 'MALFORMED_RESPONSE (HTTP 200 without ids)' };
      }
      const code = typeof body?.code === 'string' ? `: ${body.code}` : '';
      // 400/422: this number or message will not go through; 401/403/429/5xx pass (or are ours to fix).
      if (res.status === 400 || res.status === 422) return { status: 'unavailable', reason: `REJECTED (HTTP ${res.status}${code})` };
      return { status: 'retry', reason: `HTTP ${res.status}${code}` };
    },
  };
}
