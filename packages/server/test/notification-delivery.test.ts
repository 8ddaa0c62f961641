import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, P, person, startTestApp, type TestApp } from './helpers.js';

/**
 * Every mandate event reaches the right people through their own channel and in their own language:
 * the assertions read what the local SMTP server, Suomi.fi Messages, the SMS gateway and the print
 * service actually received, through the same adapters production uses.
 */
let t: TestApp;
const sims = () => t.simulators!;
beforeAll(async () => {
  t = await startTestApp({ simulators: true, config: { notify: { ...(await import('../src/config.js')).configFromEnv({}).notify, maxAttempts: 3, retryBaseMs: 1000, retryMaxMs: 4000 } } });
});
afterAll(async () => { await t?.stop(); });

const as = (who: string) => t.session({ person: who });
const staff = async (key: string) => {
  const headers = await t.as({ staff: key });
  return {
    get: (url: string) => t.app.inject({ method: 'GET', url, headers }),
    post: (url: string) => t.app.inject({ method: 'POST', url, headers, payload: {} }),
  };
};
const deliver = () => t.worker.drain();
const later = (ms: number) => { t.clock.now = new Date(t.clock.now.getTime() + ms); };
/** Any identity code of the register (a pattern would also match inside random UUIDs). */
const IDENTITY_CODE = new RegExp(Object.values(P).join('|'));
const mailsTo = (address: string) => sims().smtp.messages().filter((m) => m.to.includes(address));

describe('each person through their own channel, in their own language', () => {
  it('a request in a child\'s matters: Sanna by e-mail in Swedish (text and HTML), Jari by Suomi.fi Messages in Finnish', async () => {
    const r = await (await as(P.veikko)).post('/api/v1/mandate-requests', { principal: person(P.ella), issues: ['early-childhood-education'], validUntil: '2027-06-30' });
    expect(r.statusCode).toBe(201);
    await deliver();
    const [mail] = mailsTo('sanna.lindholm@example.fi');
    expect(mail).toBeDefined();
    expect(mail!.language).toBe('sv');
    expect(mail!.subject).toContain('Veikko Lindholm');
    expect(mail!.text).toMatch(/fullmakt/i);
    expect(mail!.html).toMatch(/<html lang="sv"/);
    expect(mail!.html).toContain('/mandates/');
    const jari = sims().suomifi.messagesFor(P.jari);
    expect(jari).toHaveLength(1);
    expect(jari[0]!.body).toMatch(/valtuu/i);
    // Nothing any channel received carries an identity code.
    expect(JSON.stringify(await sims().received())).not.toMatch(IDENTITY_CODE);
    expect(mail!.text + mail!.html).not.toMatch(IDENTITY_CODE);
    expect(jari[0]!.body).not.toMatch(IDENTITY_CODE);
  });

  it('Aino, who has no electronic channel, gets a printed letter (PDF) from the print service', async () => {
    const r = await (await as(P.kari)).post('/api/v1/mandate-requests', { principal: person(P.aino), issues: ['housing'], validUntil: '2027-06-30' });
    expect(r.statusCode).toBe(201);
    await deliver();
    const jobs = sims().print.jobs().filter((j) => j.recipientName === 'Aino Mäkelä');
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.language).toBe('fi');
    expect(jobs[0]!.pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(jobs[0]!.subject).toContain('Kari Mäkelä');
  });

  it('Noora prefers text messages: the SMS gateway gets a short message with the link', async () => {
    const r = await (await as(P.elias)).post('/api/v1/mandate-requests', { principal: person(P.noora), issues: ['housing'], validUntil: '2027-06-30' });
    expect(r.statusCode).toBe(201);
    await deliver();
    const sms = sims().sms.messages().filter((m) => m.to === '+358401234914');
    expect(sms).toHaveLength(1);
    expect(sms[0]!.message.length).toBeLessThanOrEqual(160);
    expect(sms[0]!.message).toContain('/mandates/');
  });

  it('the principal narrows a request: the agent is told what was left out; Emily reads English e-mail', async () => {
    const tuomas = await as(P.tuomas);
    const r = await (await as(P.emily)).post('/api/v1/mandate-requests', { principal: person(P.tuomas), issues: ['housing', 'waste-and-water'], validUntil: '2027-06-30' });
    await deliver();
    const d = await tuomas.post(`/api/v1/mandate-requests/${r.json().id}/decision`, { decision: 'grant', issues: ['housing'] });
    expect(d.statusCode, d.body).toBe(200);
    await deliver();
    const mails = mailsTo('emily.laine@example.fi');
    const narrowed = mails.find((m) => /waste/i.test(m.text));
    expect(narrowed, mails.map((m) => m.subject).join(' | ')).toBeDefined();
    expect(narrowed!.language).toBe('en');
    const inbox = (await (await as(P.emily)).get('/api/v1/me/messages')).json();
    expect(inbox.messages[0].event).toBe('mandate.narrowed');
  });

  it('revoked, renounced, rejected and a one-off\'s use are told to the other side', async () => {
    const petra = await as(P.petra);
    const g = await petra.post('/api/v1/mandates', { agent: person(P.mikael), issues: ['housing'], validUntil: '2027-06-30', oneOff: true });
    expect(g.statusCode, g.body).toBe(201);
    const id = g.json().id as string;
    const used = await t.app.inject({ method: 'POST', url: `/api/v1/mandates/${id}/uses`, headers: { authorization: client('445') }, payload: { errandRef: 'PAR-2026-1', actor: person(P.mikael) } });
    expect(used.statusCode, used.body).toBe(201);
    const g2 = await petra.post('/api/v1/mandates', { agent: person(P.mikael), issues: ['parking-and-streets'], validUntil: '2027-06-30' });
    expect((await petra.post(`/api/v1/mandates/${g2.json().id}/revoke`)).statusCode).toBe(200);
    const g3 = await petra.post('/api/v1/mandates', { agent: person(P.mikael), issues: ['waste-and-water'], validUntil: '2027-06-30' });
    expect((await (await as(P.mikael)).post(`/api/v1/mandates/${g3.json().id}/renounce`)).statusCode).toBe(200);
    const req = await (await as(P.mikael)).post('/api/v1/mandate-requests', { principal: person(P.petra), issues: ['housing'], validUntil: '2027-06-30' });
    expect((await petra.post(`/api/v1/mandate-requests/${req.json().id}/decision`, { decision: 'reject' })).statusCode).toBe(200);
    await deliver();
    const events = async (who: string) => (await (await as(who)).get('/api/v1/me/messages')).json().messages.map((m: { event: string }) => m.event);
    expect(await events(P.petra)).toEqual(expect.arrayContaining(['mandate.used', 'mandate.renounced', 'mandate.requested']));
    expect(await events(P.mikael)).toEqual(expect.arrayContaining(['mandate.granted', 'mandate.revoked', 'mandate.rejected']));
    // Both prefer Suomi.fi Messages and have a mailbox; Swedish.
    const toPetra = sims().suomifi.messagesFor(P.petra);
    expect(toPetra.some((m) => m.body.includes('PAR-2026-1'))).toBe(true);
  });

  it('with no Suomi.fi mailbox, the message goes on to paper; the inbox shows the way it took', async () => {
    sims().suomifi.setMailbox(P.harri, false);
    const r = await (await as(P.matti)).post('/api/v1/mandate-requests', { principal: person(P.harri), issues: ['housing'], validUntil: '2027-06-30' });
    await deliver();
    await deliver();
    expect(sims().print.jobs().filter((j) => j.recipientName === 'Harri Salonen')).toHaveLength(1);
    const msg = (await (await as(P.harri)).get('/api/v1/me/messages')).json().messages.find((m: { mandateId?: string }) => m.mandateId === r.json().id);
    expect(msg.channels).toEqual([{ channel: 'inbox', status: 'delivered' }, { channel: 'suomifi', status: 'unavailable' }, { channel: 'paper', status: 'delivered' }]);
  });

  it('delivers each message once: draining again sends nothing more', async () => {
    const before = (await sims().received()).length;
    await deliver();
    expect((await sims().received()).length).toBe(before);
    expect(sims().smtp.duplicates() + sims().suomifi.duplicates() + sims().sms.duplicates() + sims().print.duplicates()).toBe(0);
  });
});

describe('faults and operations', () => {
  it('the SMTP server down: messages wait, retry with backoff, dead-letter after the last try; an admin sends again', async () => {
    await sims().smtp.stop();
    const r = await (await as(P.laura)).post('/api/v1/mandate-requests', { principal: person(P.sanna), issues: ['housing'], validUntil: '2027-06-30' });
    expect(r.statusCode).toBe(201);
    await deliver();
    const row = async () => t.ctx.db.selectFrom('deliveries as d').innerJoin('notifications as n', 'n.id', 'd.notification_id')
      .select(['d.id', 'd.status', 'd.attempts', 'd.next_attempt_at']).where('n.mandate_id', '=', r.json().id).where('d.channel', '=', 'email').executeTakeFirstOrThrow();
    let d = await row();
    expect(d).toMatchObject({ status: 'pending', attempts: 1 });
    expect(new Date(d.next_attempt_at).getTime()).toBeGreaterThan(t.clock.now.getTime());
    // Not yet due: nothing happens.
    await deliver();
    expect((await row()).attempts).toBe(1);
    later(5000); await deliver();
    later(5000); await deliver();
    d = await row();
    expect(d).toMatchObject({ status: 'dead', attempts: 3 });

    // The municipality admin of Sipoo (Sanna lives there) sees it; Kerava's does not.
    const sipoo = await staff('admin-753');
    const list = (await sipoo.get('/api/v1/admin/deliveries')).json().deliveries;
    const dead = list.find((x: { id: string }) => x.id === String(d.id));
    expect(dead).toMatchObject({ status: 'dead', channel: 'email', permittedActions: ['retry'] });
    const kerava = await staff('admin-245');
    expect((await kerava.get('/api/v1/admin/deliveries')).json().deliveries.some((x: { id: string }) => x.id === String(d.id))).toBe(false);
    // To Kerava's admin the Sipoo message does not exist: the same answer as a missing id (ids are sequential).
    const foreign = await kerava.post(`/api/v1/admin/deliveries/${d.id}/retry`);
    expect([foreign.statusCode, foreign.json().code]).toEqual([404, 'delivery.not-found']);
    const missing = await kerava.post('/api/v1/admin/deliveries/999999/retry');
    expect([missing.statusCode, missing.json().code]).toEqual([404, 'delivery.not-found']);
    expect((await (await staff('caseworker-753')).get('/api/v1/admin/deliveries')).statusCode).toBe(403);
    expect((await (await staff('umbrella-admin')).get('/api/v1/admin/deliveries')).json().deliveries.some((x: { id: string }) => x.id === String(d.id))).toBe(true);

    await sims().smtp.restart();
    expect((await sipoo.post(`/api/v1/admin/deliveries/${d.id}/retry`)).statusCode).toBe(200);
    expect((await sipoo.post(`/api/v1/admin/deliveries/${d.id}/retry`)).json().code).toBe('delivery.not-retryable');
    await deliver();
    expect((await row()).status).toBe('delivered');
    expect(mailsTo('sanna.lindholm@example.fi').some((m) => m.subject.includes('Laura Heikkinen'))).toBe(true);
  });

  it('the daily job warns both sides 30 days before the end and tells them when it ended; a rerun sends nothing twice; one node a day', async () => {
    const { runExpiryJob } = await import('../src/notifications/scheduler.js');
    // Petra → Mikael in the fixture ends 2027-06-30: 30 days before is 2027-05-31.
    t.clock.now = new Date('2027-05-31T09:00:00+03:00');
    const n = await runExpiryJob(t.ctx, 'node-a');
    expect(n).toBeGreaterThan(0);
    expect(await runExpiryJob(t.ctx, 'node-b')).toBeNull();
    expect(await runExpiryJob(t.ctx, 'node-b', { force: true })).toBe(0);
    const petra = (await (await as(P.petra)).get('/api/v1/me/messages')).json().messages;
    expect(petra.some((m: { event: string }) => m.event === 'mandate.expiring')).toBe(true);
    t.clock.now = new Date('2027-07-01T09:00:00+03:00');
    expect(await runExpiryJob(t.ctx, 'node-a')).toBeGreaterThan(0);
    const mikael = (await (await as(P.mikael)).get('/api/v1/me/messages')).json().messages;
    expect(mikael.some((m: { event: string }) => m.event === 'mandate.expired')).toBe(true);
  });

  it('/metrics counts deliveries by channel and the oldest undelivered', async () => {
    const m = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(m.statusCode).toBe(200);
    expect(m.body).toMatch(/puolesta_notifications_delivered_total\{channel="email"\} [1-9]/);
    expect(m.body).toMatch(/puolesta_notifications_oldest_undelivered_seconds \d/);
    expect(m.body).toMatch(/puolesta_notifications_queued/);
  });
});

describe('errands through the same channels', () => {
  const example = async (service: string) => structuredClone(((await import('../src/forms/forms.js')).FORMS[service] as unknown as { examples: unknown[] }).examples[0]);
  it("a co-owner's phone number corrected for the errand is where her request to sign goes (she prefers text messages)", async () => {
    const elias = await as(P.elias);
    const r = await elias.post('/api/v1/errands', {
      municipality: '753', service: 'building-permit', subject: { type: 'property', id: '753-401-3-45' }, data: await example('building-permit'),
      parties: [{ type: 'person', id: P.noora, contact: { phone: '+358 40 999 8877' } }],
    });
    expect(r.statusCode, r.body).toBe(201);
    const id = r.json().id as string;
    expect((await elias.post(`/api/v1/errands/${id}/submit`)).json().status).toBe('awaiting-signatures');
    await deliver();
    const sms = sims().sms.messages().filter((m) => m.to === '+358409998877');
    expect(sms).toHaveLength(1);
    expect(sms[0]!.message).toContain('/errands/');
    expect(sms[0]!.message).not.toMatch(IDENTITY_CODE);
  });

  it('Aino, for whom Kari acted, reads on paper that the errand was processed', async () => {
    const kari = await as(P.kari);
    const aino = await as(P.aino);
    const id = (await kari.post('/api/v1/errands', { municipality: '245', service: 'employment-plan', subject: person(P.aino), data: await example('employment-plan') })).json().id as string;
    await kari.post(`/api/v1/errands/${id}/submit`);
    const mandate = (await kari.get(`/api/v1/errands/${id}`)).json().mandateRequest.id as string;
    expect((await aino.post(`/api/v1/mandate-requests/${mandate}/decision`, { decision: 'grant' })).statusCode).toBe(200);
    const cw = await t.as({ staff: 'caseworker-245' });
    const d = await t.app.inject({ method: 'POST', url: `/api/v1/errands/${id}/decision`, headers: cw, payload: { outcome: 'approved', text: 'Suunnitelma päivitetty.' } });
    expect(d.statusCode).toBe(200);
    await deliver();
    const letters = sims().print.jobs().filter((j) => j.recipientName === 'Aino Mäkelä' && /Puolestasi hoidettu/.test(j.subject));
    expect(letters.length).toBeGreaterThanOrEqual(1);
  });
});
