import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, P, person, startTestApp, type TestApp } from './helpers.js';

/** The in-app inbox and one's contact settings: every mandate event reaches the right people, in their language. */
let t: TestApp;
beforeAll(async () => { t = await startTestApp(); });
afterAll(async () => { await t?.stop(); });

async function as(who: string) {
  const s = await t.session({ person: who });
  return {
    ...s,
    inbox: async () => (await s.get('/api/v1/me/messages')).json() as { unread: number; messages: { id: string; event: string; subject: string; body: string; mandateId?: string; readAt?: string; channels: { channel: string; status: string }[] }[] },
  };
}
/** Any identity code of the register (a pattern would also match inside random UUIDs). */
const IDENTITY_CODE = new RegExp(Object.values(P).join('|'));

describe('inbox', () => {
  it('a request reaches the principal (paper for Aino), not the agent who sent it; granting tells the agent', async () => {
    const kari = await as(P.kari);
    const aino = await as(P.aino);
    const before = (await kari.inbox()).messages.length;
    const r = await kari.post('/api/v1/mandate-requests', { principal: person(P.aino), issues: ['housing'], validUntil: '2027-06-30' });
    expect(r.statusCode).toBe(201);
    const id = r.json().id as string;
    const box = await aino.inbox();
    const msg = box.messages.find((m) => m.mandateId === id)!;
    expect(msg.event).toBe('mandate.requested');
    expect(msg.subject).toContain('Kari Mäkelä');
    expect(msg.body).toMatch(/valtuu/i); // Finnish, Aino's language
    expect(msg.channels).toEqual([{ channel: 'inbox', status: 'delivered' }, { channel: 'paper', status: 'pending' }]);
    expect(box.unread).toBeGreaterThan(0);
    expect((await aino.get('/api/v1/me/messages/unread')).json()).toEqual({ unread: box.unread });
    expect(JSON.stringify(box)).not.toMatch(IDENTITY_CODE);
    expect((await kari.inbox()).messages.length).toBe(before);

    expect((await aino.post(`/api/v1/mandate-requests/${id}/decision`, { decision: 'grant' })).statusCode).toBe(200);
    const granted = (await kari.inbox()).messages.find((m) => m.mandateId === id)!;
    expect(granted.event).toBe('mandate.granted');
    // Kari prefers Suomi.fi Messages.
    expect(granted.channels[1]).toEqual({ channel: 'suomifi', status: 'pending' });
  });

  it('a request in a child\'s matters reaches every guardian, each in their own language', async () => {
    const veikko = await as(P.veikko);
    const r = await veikko.post('/api/v1/mandate-requests', { principal: person(P.ella), issues: ['early-childhood-education'], validUntil: '2027-06-30' });
    expect(r.statusCode, r.body).toBe(201);
    const id = r.json().id as string;
    const sanna = (await (await as(P.sanna)).inbox()).messages.find((m) => m.mandateId === id)!;
    const jari = (await (await as(P.jari)).inbox()).messages.find((m) => m.mandateId === id)!;
    expect(sanna.event).toBe('mandate.requested');
    expect(jari.event).toBe('mandate.requested');
    expect(sanna.subject).not.toBe(jari.subject); // sv and fi
    expect(sanna.body).toMatch(/fullmakt/i);
    expect(jari.body).toMatch(/valtuu/i);
    expect(sanna.channels[1]).toEqual({ channel: 'email', status: 'pending' });
    // The child is not told; only the guardians read for her.
    expect((await t.ctx.db.selectFrom('notifications').select('id').where('recipient_id', '=', P.ella).execute()).length).toBe(0);
  });

  it('marks a message read once; someone else\'s message is not found', async () => {
    const aino = await as(P.aino);
    const [m] = (await aino.inbox()).messages;
    const r1 = await aino.post(`/api/v1/me/messages/${m!.id}/read`);
    expect(r1.statusCode).toBe(200);
    const r2 = await aino.post(`/api/v1/me/messages/${m!.id}/read`);
    expect(r2.json().readAt).toBe(r1.json().readAt);
    const other = await (await as(P.stranger)).post(`/api/v1/me/messages/${m!.id}/read`);
    expect(other.statusCode).toBe(404);
    expect(other.json().code).toBe('message.not-found');
    expect((await (await as(P.stranger)).post('/api/v1/me/messages/no-such/read')).json().code).toBe('message.not-found');
  });
});

describe('who is told', () => {
  it('a guardian\'s grant in a child\'s matters asks the other guardian; completing it tells the first guardian and the agent', async () => {
    const petra = await as(P.petra);
    const g = await petra.post('/api/v1/mandates', { onBehalfOf: person(P.alva), agent: person(P.kari), issues: ['early-childhood-education'], validUntil: '2027-06-30' });
    expect(g.statusCode, g.body).toBe(201);
    const id = g.json().id as string;
    const mikael = await as(P.mikael);
    const ask = (await mikael.inbox()).messages.find((m) => m.mandateId === id)!;
    expect(ask.event).toBe('mandate.awaiting-approval');
    expect(ask.body).toContain('Petra Sjöberg');
    expect((await (await as(P.kari)).inbox()).messages.some((m) => m.mandateId === id)).toBe(false);
    expect((await mikael.post(`/api/v1/mandate-requests/${id}/decision`, { decision: 'grant' })).statusCode).toBe(200);
    expect((await petra.inbox()).messages.find((m) => m.mandateId === id)?.event).toBe('mandate.granted');
    expect((await (await as(P.kari)).inbox()).messages.find((m) => m.mandateId === id)?.event).toBe('mandate.granted');
  });

  it('a use of a lasting mandate is told only to a principal who asked to hear of every use', async () => {
    const uses = async () => (await (await as(P.veikko)).inbox()).messages.filter((m) => m.event === 'mandate.used').length;
    const use = (ref: string) => t.app.inject({ method: 'POST', url: '/api/v1/mandates/veikko-markku/uses', headers: { authorization: client('753') }, payload: { errandRef: ref, actor: person(P.markku) } });
    expect((await use('SIP-1')).statusCode).toBe(201);
    expect(await uses()).toBe(0);
    const veikko = await as(P.veikko);
    expect((await veikko.put('/api/v1/me/settings', { preferredChannel: 'suomifi', language: 'fi', notifyEveryUse: true })).statusCode).toBe(200);
    expect((await use('SIP-2')).statusCode).toBe(201);
    const box = await veikko.inbox();
    expect(box.messages.filter((m) => m.event === 'mandate.used')).toHaveLength(1);
    expect(box.messages.find((m) => m.event === 'mandate.used')!.body).toContain('SIP-2');
  });
});

describe('settings', () => {
  it('start from the register, refuse a channel without its address naming the field, and steer the next message', async () => {
    const noora = await as(P.noora);
    const s = (await noora.get('/api/v1/me/settings')).json();
    expect(s).toMatchObject({ preferredChannel: 'sms', phone: '+358401234914', language: 'fi', fromRegister: true, permittedActions: ['edit'] });

    const bad = await noora.put('/api/v1/me/settings', { preferredChannel: 'email', email: null, language: 'fi' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'settings.channel-needs-detail', field: 'email' });
    for (const [body, code, field] of [
      [{ preferredChannel: 'pigeon', language: 'fi' }, 'settings.unknown-channel', 'preferredChannel'],
      [{ preferredChannel: 'suomifi', language: 'de' }, 'settings.unknown-language', 'language'],
      [{ preferredChannel: 'suomifi', language: 'fi', email: 'not-an-address' }, 'settings.email-invalid', 'email'],
      [{ preferredChannel: 'suomifi', language: 'fi', phone: '0401234' }, 'settings.phone-invalid', 'phone'],
    ] as const) {
      const r = await noora.put('/api/v1/me/settings', body);
      expect(r.statusCode).toBe(400);
      expect(r.json()).toMatchObject({ code, field });
    }
    expect((await noora.get('/api/v1/me/settings')).json().fromRegister).toBe(true);

    const ok = await noora.put('/api/v1/me/settings', { preferredChannel: 'email', email: 'noora@example.fi', phone: '+358 40 1234914', language: 'en', notifyEveryUse: true });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ preferredChannel: 'email', email: 'noora@example.fi', phone: '+358401234914', language: 'en', notifyEveryUse: true, fromRegister: false });

    const elias = await as(P.elias);
    const r = await elias.post('/api/v1/mandate-requests', { principal: person(P.noora), issues: ['housing'], validUntil: '2027-06-30' });
    const msg = (await noora.inbox()).messages.find((m) => m.mandateId === r.json().id)!;
    expect(msg.body).toMatch(/mandate/i); // English now
    expect(msg.channels[1]).toEqual({ channel: 'email', status: 'pending' });
  });
});

describe('hostile use', () => {
  it('refuses strangers, staff, missing CSRF tokens and unstorable text with coded 4xx, changing nothing', async () => {
    const anon = await t.app.inject({ method: 'GET', url: '/api/v1/me/messages' });
    expect(anon.statusCode).toBe(401);
    const staffHeaders = await t.as({ staff: 'admin-753' });
    const staff = await t.app.inject({ method: 'GET', url: '/api/v1/me/settings', headers: staffHeaders });
    expect(staff.statusCode).toBe(403);
    expect(staff.json().code).toBe('access.citizens-only');
    const cookieOnly = { cookie: (await t.as({ person: P.kari })).cookie };
    const noCsrf = await t.app.inject({ method: 'PUT', url: '/api/v1/me/settings', headers: cookieOnly, payload: { preferredChannel: 'paper', language: 'fi' } });
    expect(noCsrf.statusCode).toBe(403);
    const kari = await as(P.kari);
    const nul = await kari.put('/api/v1/me/settings', { preferredChannel: 'email', email: 'a\u0000@example.fi', language: 'fi' });
    expect(nul.statusCode).toBe(400);
    const extra = await kari.put('/api/v1/me/settings', { preferredChannel: 'email', email: 'k@example.fi', language: 'fi', admin: true });
    expect(extra.statusCode).toBe(400);
    expect((await kari.get('/api/v1/me/settings')).json()).toMatchObject({ preferredChannel: 'suomifi', fromRegister: true });
    // Citizens cannot reach the operators' view, nor retry anything.
    expect((await kari.get('/api/v1/admin/deliveries')).statusCode).toBe(403);
    expect((await kari.post('/api/v1/admin/deliveries/1/retry')).statusCode).toBe(403);
    // The demo outbox's content route names nothing it does not hold.
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/demo/outbox/email/..%2F..%2Fetc' })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/demo/outbox/sms/x' })).statusCode).toBe(400);
  });

  it('the demo outbox does not exist in production mode', async () => {
    const prod = await startTestApp({ config: { mode: 'production' } });
    try {
      expect((await prod.app.inject({ method: 'GET', url: '/api/v1/demo/outbox' })).statusCode).toBe(404);
    } finally {
      await prod.stop();
    }
  });
});
