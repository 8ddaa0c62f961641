import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORMS } from '../src/forms/forms.js';
import { O, P, org, person, startTestApp, type TestApp } from './helpers.js';

/** Errands through the API, as the people of the demo data live them: situations A, B and C, caseworkers' decisions. */
let t: TestApp;
beforeAll(async () => { t = await startTestApp(); });
afterAll(async () => { await t?.stop(); });

type Json = Record<string, any>;
async function as(who: { person: string } | { staff: string }) {
  const headers = await t.as(who);
  const call = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object, extra: Record<string, string> = {}) => {
    const r = await t.app.inject({ method, url, headers: { ...headers, ...extra }, ...(payload ? { payload } : {}) });
    return { status: r.statusCode, body: (r.body ? r.json() : {}) as Json };
  };
  return {
    get: (url: string) => call('GET', url),
    post: (url: string, payload: object = {}, extra?: Record<string, string>) => call('POST', url, payload, extra),
    put: (url: string, payload: object) => call('PUT', url, payload),
    inbox: async () => (await call('GET', '/api/v1/me/messages')).body.messages as { event: string; errandId?: string; subject: string; body: string }[],
  };
}
const example = (service: string) => structuredClone((FORMS[service] as unknown as { examples: unknown[] }).examples[0]) as Json;
const citizen = (id: string) => as({ person: id });
const caseworker = (m: string) => as({ staff: `caseworker-${m}` });

async function start(who: Awaited<ReturnType<typeof citizen>>, body: Json) {
  const r = await who.post('/api/v1/errands', body);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  expect(r.body.status).toBe('draft');
  return r.body.id as string;
}

describe('situation C: one guardian applies, the other is told or confirms', () => {
  it('ECE in Sipoo (notify): Sanna sends, Jari is told at once and sees the errand and its decision', async () => {
    const sanna = await citizen(P.sanna);
    const jari = await citizen(P.jari);
    const id = await start(sanna, { municipality: '753', service: 'ece-application', subject: person(P.ella), data: example('ece-application') });
    const draft = (await sanna.get(`/api/v1/errands/${id}`)).body;
    expect(draft.basis).toEqual({ kind: 'guardianship' });
    expect(draft.parties).toMatchObject([{ type: 'person', id: P.jari, name: 'Jari Nyström', response: 'pending' }]);
    expect(draft.permittedActions).toEqual(expect.arrayContaining(['edit', 'submit', 'withdraw']));
    // Jari does not see a draft.
    expect((await jari.get(`/api/v1/errands/${id}`)).status).toBe(404);

    expect((await sanna.post(`/api/v1/errands/${id}/submit`)).body.status).toBe('submitted');
    const seen = (await jari.get(`/api/v1/errands/${id}`)).body;
    expect(seen.status).toBe('submitted');
    expect(seen.parties[0].response).toBe('notified');
    expect(seen.permittedActions).not.toContain('edit');
    expect((await jari.inbox()).some((m) => m.errandId === id && m.event === 'errand.party-notified')).toBe(true);
    expect((await jari.get('/api/v1/me/errands')).body.items.map((e: Json) => e.id)).toContain(id);

    const cw = await caseworker('753');
    expect((await cw.post(`/api/v1/errands/${id}/decision`, { outcome: 'approved', text: 'Paikka Kartanon päiväkodista 1.2.2027 alkaen.' })).body.status).toBe('decided');
    expect((await jari.get(`/api/v1/errands/${id}`)).body.decision).toMatchObject({ outcome: 'approved' });
    expect((await jari.inbox()).some((m) => m.errandId === id && m.event === 'errand.decided')).toBe(true);
    expect((await sanna.inbox()).some((m) => m.errandId === id && m.event === 'errand.decided')).toBe(true);
  });

  it('ECE in Espoo (confirm): the errand waits until Niko confirms', async () => {
    const linnea = await citizen(P.linnea);
    const niko = await citizen(P.niko);
    const id = await start(linnea, { municipality: '049', service: 'ece-application', subject: person(P.saga), data: example('ece-application') });
    expect((await linnea.post(`/api/v1/errands/${id}/submit`)).body.status).toBe('awaiting-confirmations');
    const shown = (await niko.get(`/api/v1/errands/${id}`)).body;
    expect(shown.permittedActions).toEqual(expect.arrayContaining(['confirm', 'decline']));
    expect(shown.expected).toBe('confirm');
    expect((await niko.inbox()).some((m) => m.errandId === id && m.event === 'errand.confirm-requested')).toBe(true);
    // Signing is not what this errand asks.
    expect((await niko.post(`/api/v1/errands/${id}/responses`, { response: 'sign' })).body.code).toBe('errand.wrong-answer');
    expect((await niko.post(`/api/v1/errands/${id}/responses`, { response: 'confirm', hash: shown.hash })).body.status).toBe('submitted');
    expect((await linnea.get(`/api/v1/errands/${id}`)).body.parties[0].response).toBe('confirmed');
    expect((await linnea.inbox()).some((m) => m.errandId === id && m.event === 'errand.submitted')).toBe(true);
  });

  it('attest: sending needs the applicant to confirm the others agree', async () => {
    const elias = await citizen(P.elias);
    const id = await start(elias, { municipality: '753', service: 'waste-interval', subject: { type: 'property', id: '753-401-3-45' }, data: example('waste-interval') });
    const r = await elias.post(`/api/v1/errands/${id}/submit`, {});
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ code: 'errand.attestation-required', field: 'attest' });
    expect((await elias.post(`/api/v1/errands/${id}/submit`, { attest: true })).body.status).toBe('submitted');
    const noora = (await (await citizen(P.noora)).get(`/api/v1/errands/${id}`)).body;
    expect(noora.parties).toMatchObject([{ id: P.noora, response: 'attested' }]);
  });
});

describe('situation B: every party signs the exact version', () => {
  it('two co-owners sign a building permit; a change after the first signature voids it and both sign again', async () => {
    const elias = await citizen(P.elias);
    const noora = await citizen(P.noora);
    const data = example('building-permit');
    const id = await start(elias, { municipality: '753', service: 'building-permit', subject: { type: 'property', id: '753-401-3-45' }, data });
    expect((await elias.post(`/api/v1/errands/${id}/submit`)).body.status).toBe('awaiting-signatures');
    const v1 = (await noora.get(`/api/v1/errands/${id}`)).body;
    expect(v1.parties.map((p: Json) => [p.name, p.response])).toEqual([['Elias Korhonen', 'signed'], ['Noora Korhonen', 'pending']]);
    expect(v1.permittedActions).toContain('sign');
    expect((await noora.inbox()).some((m) => m.errandId === id && m.event === 'errand.sign-requested')).toBe(true);

    // Elias changes the errand after his signature: the signatures are void and Noora is asked again.
    const edited = await elias.put(`/api/v1/errands/${id}`, { data: { ...data, description: `${String(data.description ?? '')} Muutettu.`.trim() } });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body.version).toBe(v1.version + 1);
    // Noora signs what she read: that version is gone.
    const stale = await noora.post(`/api/v1/errands/${id}/responses`, { response: 'sign', hash: v1.hash });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('errand.version-changed');
    const v2 = (await noora.get(`/api/v1/errands/${id}`)).body;
    expect(v2.hash).not.toBe(v1.hash);
    expect((await noora.post(`/api/v1/errands/${id}/responses`, { response: 'sign', hash: v2.hash })).body.status).toBe('submitted');
    const after = (await elias.get(`/api/v1/errands/${id}`)).body;
    expect(after.parties.map((p: Json) => p.response)).toEqual(['signed', 'signed']);

    // Signing twice, or after it was sent: refused.
    expect((await noora.post(`/api/v1/errands/${id}/responses`, { response: 'sign' })).status).toBe(409);
    const cw = await caseworker('753');
    expect((await cw.post(`/api/v1/errands/${id}/decision`, { outcome: 'approved', text: 'Lupa myönnetty.' })).status).toBe(200);
    expect((await noora.get(`/api/v1/errands/${id}`)).body.decision.outcome).toBe('approved');
  });

  it("a party's contact details can be corrected on the draft, for this errand only", async () => {
    const elias = await citizen(P.elias);
    const id = await start(elias, { municipality: '753', service: 'building-permit', subject: { type: 'property', id: '753-401-3-45' }, data: example('building-permit') });
    const before = (await elias.get(`/api/v1/errands/${id}`)).body;
    const r = await elias.put(`/api/v1/errands/${id}`, { data: before.data, parties: [{ type: 'person', id: P.noora, contact: { phone: '+358 40 123 4567' } }] });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const after = (await elias.get(`/api/v1/errands/${id}`)).body;
    expect(after.parties.find((p: Json) => p.id === P.noora).contact).toEqual({ phone: '+358401234567' });
    expect(after.version).toBe(before.version);
    const bad = await elias.put(`/api/v1/errands/${id}`, { data: before.data, parties: [{ type: 'person', id: P.noora, contact: { phone: '123' } }] });
    expect(bad.body).toMatchObject({ code: 'settings.phone-invalid', field: 'parties.0.contact.phone' });
    const stranger = await elias.put(`/api/v1/errands/${id}`, { data: before.data, parties: [{ type: 'person', id: P.stranger, contact: { phone: '+358401234567' } }] });
    expect(stranger.body.code).toBe('errand.parties-not-allowed');
  });

  it('a decline returns the errand to the applicant, who can change it and send again', async () => {
    const elias = await citizen(P.elias);
    const noora = await citizen(P.noora);
    const id = await start(elias, { municipality: '753', service: 'building-permit', subject: { type: 'property', id: '753-401-3-45' }, data: example('building-permit') });
    await elias.post(`/api/v1/errands/${id}/submit`);
    const blank = await noora.post(`/api/v1/errands/${id}/responses`, { response: 'decline', reason: '  ' });
    expect(blank.body).toMatchObject({ code: 'errand.reason-required', field: 'reason' });
    expect((await noora.post(`/api/v1/errands/${id}/responses`, { response: 'decline', reason: 'Piirustukset puuttuvat.' })).body.status).toBe('declined');
    const back = (await elias.get(`/api/v1/errands/${id}`)).body;
    expect(back.parties[1]).toMatchObject({ response: 'declined', declineReason: 'Piirustukset puuttuvat.' });
    expect(back.permittedActions).toEqual(expect.arrayContaining(['edit', 'submit']));
    expect((await elias.inbox()).some((m) => m.errandId === id && m.event === 'errand.declined')).toBe(true);
    expect((await elias.post(`/api/v1/errands/${id}/submit`)).body.status).toBe('awaiting-signatures');
  });

  it("the association's grant needs two joint signatories", async () => {
    const markku = await citizen(P.markku);
    const sanna = await citizen(P.sanna);
    const id = await start(markku, { municipality: '753', service: 'association-grant', subject: org(O.kylayhdistys), data: example('association-grant') });
    expect((await markku.post(`/api/v1/errands/${id}/submit`)).body.status).toBe('awaiting-signatures');
    const shown = (await sanna.get(`/api/v1/errands/${id}`)).body;
    expect(shown.parties).toMatchObject([{ type: 'organization', id: O.kylayhdistys, response: 'pending' }]);
    expect((await sanna.post(`/api/v1/errands/${id}/responses`, { response: 'sign', hash: shown.hash })).body.status).toBe('submitted');
    // Elias is a board member without signing rights: not a party, sees nothing.
    expect((await (await citizen(P.elias)).get(`/api/v1/errands/${id}`)).status).toBe(404);
  });
});

describe('situation A: no basis → the mandate is asked for, and the errand goes on by itself', () => {
  it('Kari applies for resident parking for his mother Aino; Aino grants; the caseworker decides; Aino is told', async () => {
    const kari = await citizen(P.kari);
    const aino = await citizen(P.aino);
    const id = await start(kari, { municipality: '245', service: 'resident-parking', subject: person(P.aino), data: example('resident-parking') });
    const draft = (await kari.get(`/api/v1/errands/${id}`)).body;
    expect(draft.basis).toBeNull();
    // The form says which mandate is needed: the service's issue, for a year (the service recommends a long-term one).
    expect(draft.neededMandate).toEqual({ issues: ['parking-and-streets'], validFrom: '2026-12-01', validUntil: '2027-12-01', oneOff: false });
    expect((await kari.post(`/api/v1/errands/${id}/submit`)).body.status).toBe('awaiting-mandate');
    const waiting = (await kari.get(`/api/v1/errands/${id}`)).body;
    const mandateId = waiting.mandateRequest.id as string;
    expect(waiting.expected).toBe('wait-for-mandate');
    expect((await kari.post(`/api/v1/errands/${id}/submit`)).status).toBe(409);
    // Aino reads what the request is for: Kari's errand in Kerava.
    expect((await aino.get(`/api/v1/mandates/${mandateId}`)).body.forErrand).toMatchObject({ id, ref: waiting.ref, service: 'resident-parking', municipality: '245' });

    expect((await aino.post(`/api/v1/mandate-requests/${mandateId}/decision`, { decision: 'grant' })).status).toBe(200);
    const going = (await kari.get(`/api/v1/errands/${id}`)).body;
    expect(going.status).toBe('submitted');
    expect(going.basis).toMatchObject({ kind: 'mandate', mandateId });
    // The use is in the mandate's log, with the errand's reference.
    const log = (await aino.get(`/api/v1/mandates/${mandateId}/log`)).body.entries as Json[];
    expect(log.some((e) => e.event === 'used' && e.errandRef === going.ref)).toBe(true);
    // It names the service and the e-service (the portal, in Kerava).
    expect(log.find((e) => e.event === 'used' && e.errandRef === going.ref)).toMatchObject({ service: { code: 'resident-parking' }, eService: { id: 'puolesta-portal', municipality: '245' } });

    const cw = await caseworker('245');
    expect((await cw.get('/api/v1/staff/errands')).body.items.map((e: Json) => e.id)).toContain(id);
    expect((await cw.post(`/api/v1/errands/${id}/decision`, { outcome: 'approved', text: 'Asukaspysäköintitunnus myönnetty.' })).status).toBe(200);
    expect((await aino.inbox()).some((m) => m.errandId === id && m.event === 'errand.processed-for-you')).toBe(true);
  });

  it('a rejected mandate brings the errand back to the applicant, who is told', async () => {
    const kari = await citizen(P.kari);
    const aino = await citizen(P.aino);
    const id = await start(kari, { municipality: '245', service: 'employment-plan', subject: person(P.aino), data: example('employment-plan') });
    await kari.post(`/api/v1/errands/${id}/submit`);
    const mandateId = (await kari.get(`/api/v1/errands/${id}`)).body.mandateRequest.id;
    await aino.post(`/api/v1/mandate-requests/${mandateId}/decision`, { decision: 'reject' });
    expect((await kari.get(`/api/v1/errands/${id}`)).body.status).toBe('draft');
    expect((await kari.inbox()).some((m) => m.errandId === id && m.event === 'errand.mandate-rejected')).toBe(true);
  });

  it('an expired mandate is no basis: the errand asks for a new one', async () => {
    const elias = await citizen(P.elias);
    const id = await start(elias, { municipality: '049', service: 'resident-parking', subject: person(P.noora), data: example('resident-parking') });
    expect((await elias.post(`/api/v1/errands/${id}/submit`)).body.status).toBe('awaiting-mandate');
  });

  it('a mandate in another issue is no basis either', async () => {
    const tuomas = await citizen(P.tuomas);
    const id = await start(tuomas, { municipality: '245', service: 'employment-plan', subject: person(P.emily), data: example('employment-plan') });
    expect((await tuomas.post(`/api/v1/errands/${id}/submit`)).body.status).toBe('awaiting-mandate');
  });

  it('a one-off mandate is consumed on submission (Laura for Ritva and Pentti, building permit in Espoo)', async () => {
    const laura = await citizen(P.laura);
    const id = await start(laura, { municipality: '049', service: 'building-permit', subject: { type: 'property', id: '049-12-34-5' }, data: example('building-permit') });
    const draft = (await laura.get(`/api/v1/errands/${id}`)).body;
    expect(draft.parties.every((p: Json) => p.represented)).toBe(true);
    expect((await laura.post(`/api/v1/errands/${id}/submit`)).body.status).toBe('submitted');
    const ritva = await citizen(P.ritva);
    const mandates = (await ritva.get('/api/v1/me/mandates')).body.given as Json[];
    expect(mandates.find((m) => m.oneOff)?.status).toBe('consumed');
  });
});

describe('refusals', () => {
  it('nobody else sees an errand; a caseworker of another municipality neither', async () => {
    const sanna = await citizen(P.sanna);
    const id = await start(sanna, { municipality: '753', service: 'ece-application', subject: person(P.ella), data: example('ece-application') });
    await sanna.post(`/api/v1/errands/${id}/submit`);
    for (const who of [await citizen(P.stranger), await caseworker('245'), await as({ staff: 'admin-753' })]) {
      const r = await who.get(`/api/v1/errands/${id}`);
      expect(r.status).toBe(404);
      expect(r.body.code).toBe('errand.not-found');
    }
    expect((await (await caseworker('245')).post(`/api/v1/errands/${id}/decision`, { outcome: 'approved', text: 'x' })).status).toBe(404);
    // A non-party cannot sign what they cannot see.
    expect((await (await citizen(P.stranger)).post(`/api/v1/errands/${id}/responses`, { response: 'confirm' })).status).toBe(404);
  });

  it('a double submit sends once; the same Idempotency-Key gets the same answer', async () => {
    const sanna = await citizen(P.sanna);
    const id = await start(sanna, { municipality: '753', service: 'ece-application', subject: person(P.ella), data: example('ece-application') });
    const key = { 'idempotency-key': `k-${id}` };
    const first = await sanna.post(`/api/v1/errands/${id}/submit`, {}, key);
    const again = await sanna.post(`/api/v1/errands/${id}/submit`, {}, key);
    expect(first.body).toEqual(again.body);
    expect(first.status).toBe(200);
    expect((await sanna.post(`/api/v1/errands/${id}/submit`)).status).toBe(409);
    const events = (await sanna.get(`/api/v1/errands/${id}`)).body.events as Json[];
    expect(events.filter((e) => e.type === 'errand.sent')).toHaveLength(1);
  });

  it('the form is checked: a draft may be incomplete, sending needs every required field, named in the problem', async () => {
    const sanna = await citizen(P.sanna);
    const id = await start(sanna, { municipality: '753', service: 'ece-application', subject: person(P.ella), data: {} });
    const r = await sanna.post(`/api/v1/errands/${id}/submit`);
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('form.required');
    expect(r.body.errors.every((e: Json) => String(e.field).startsWith('data.'))).toBe(true);
    const bad = await sanna.put(`/api/v1/errands/${id}`, { data: { nonsense: true } });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('form.not-allowed');
  });

  it('the subject must fit the service', async () => {
    const sanna = await citizen(P.sanna);
    const r = await sanna.post('/api/v1/errands', { municipality: '753', service: 'building-permit', subject: person(P.ella), data: {} });
    expect(r.body).toMatchObject({ code: 'errand.subject-type', field: 'subject.type' });
    const notOwner = await sanna.post('/api/v1/errands', { municipality: '753', service: 'building-permit', subject: { type: 'property', id: '753-401-3-45' }, data: {} });
    expect(notOwner.body).toMatchObject({ code: 'errand.not-owner' });
    const notOffered = await sanna.post('/api/v1/errands', { municipality: '245', service: 'association-grant', subject: org(O.kylayhdistys), data: {} });
    expect(notOffered.body).toMatchObject({ code: 'errand.unknown-service', field: 'service' });
  });

  it('a caseworker asks for more information: the errand returns to the applicant, the answer comes back', async () => {
    const sanna = await citizen(P.sanna);
    const jari = await citizen(P.jari);
    const cw = await caseworker('753');
    const id = await start(sanna, { municipality: '753', service: 'ece-application', subject: person(P.ella), data: example('ece-application') });
    await sanna.post(`/api/v1/errands/${id}/submit`);
    expect((await cw.post(`/api/v1/errands/${id}/information-requests`, { text: '   ' })).body).toMatchObject({ code: 'errand.information-text-required', field: 'text' });
    expect((await cw.post(`/api/v1/errands/${id}/information-requests`, { text: 'Lisää toivottu aloituspäivä.' })).body.status).toBe('returned');
    const back = (await sanna.get(`/api/v1/errands/${id}`)).body;
    expect(back).toMatchObject({ status: 'returned', expected: 'answer-information-request', informationRequest: { text: 'Lisää toivottu aloituspäivä.' } });
    expect((await sanna.inbox()).some((m) => m.errandId === id && m.event === 'errand.information-requested')).toBe(true);
    // Nobody decides while the applicant has it; a party cannot change it.
    expect((await cw.post(`/api/v1/errands/${id}/decision`, { outcome: 'approved', text: 'x' })).body.code).toBe('errand.wrong-status');
    expect((await jari.put(`/api/v1/errands/${id}`, { data: back.data })).body.code).toBe('errand.not-applicant');
    expect((await sanna.put(`/api/v1/errands/${id}`, { data: { ...back.data } })).status).toBe(200);
    expect((await sanna.post(`/api/v1/errands/${id}/submit`)).body.status).toBe('submitted');
    const answered = (await cw.get(`/api/v1/errands/${id}`)).body;
    expect(answered.informationRequest.answeredAt).toBeDefined();
    expect(answered.events.map((e: Json) => e.type)).toEqual(expect.arrayContaining(['errand.information-requested', 'errand.information-provided']));
    expect((await cw.post(`/api/v1/errands/${id}/decision`, { outcome: 'rejected', text: '  ' })).body.code).toBe('errand.decision-text-required');
    expect((await cw.post(`/api/v1/errands/${id}/decision`, { outcome: 'rejected', text: 'Ei paikkaa.' })).body.status).toBe('decided');
    // After the decision nothing more: no withdrawal, no second decision.
    expect((await sanna.post(`/api/v1/errands/${id}/withdraw`)).body.code).toBe('errand.wrong-status');
    expect((await cw.post(`/api/v1/errands/${id}/decision`, { outcome: 'approved', text: 'x' })).body.code).toBe('errand.wrong-status');
  });

  it('the applicant withdraws before the decision; the parties are told; an admin is not a caseworker', async () => {
    const linnea = await citizen(P.linnea);
    const niko = await citizen(P.niko);
    const id = await start(linnea, { municipality: '049', service: 'ece-application', subject: person(P.saga), data: example('ece-application') });
    await linnea.post(`/api/v1/errands/${id}/submit`);
    expect((await niko.post(`/api/v1/errands/${id}/withdraw`)).body.code).toBe('errand.not-applicant');
    const admin = await as({ staff: 'admin-049' });
    expect((await admin.post(`/api/v1/errands/${id}/decision`, { outcome: 'approved', text: 'x' })).status).toBe(403);
    expect((await linnea.post(`/api/v1/errands/${id}/withdraw`)).body.status).toBe('withdrawn');
    expect((await niko.inbox()).some((m) => m.errandId === id && m.event === 'errand.withdrawn')).toBe(true);
    expect((await niko.post(`/api/v1/errands/${id}/responses`, { response: 'confirm' })).body.code).toBe('errand.wrong-status');
  });

  it('the queue pages by keyset, oldest first, and filters by status and service', async () => {
    const sanna = await citizen(P.sanna);
    for (let i = 0; i < 3; i++) {
      const id = await start(sanna, { municipality: '753', service: 'ece-application', subject: person(P.ella), data: example('ece-application') });
      await sanna.post(`/api/v1/errands/${id}/submit`);
    }
    const cw = await caseworker('753');
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = (await cw.get(`/api/v1/staff/errands?service=ece-application&limit=2${cursor ? `&cursor=${cursor}` : ''}`)).body;
      expect(page.items, JSON.stringify(page)).toBeDefined();
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((e: Json) => e.id));
      expect(page.items.every((e: Json) => e.service === 'ece-application' && e.status === 'submitted' && e.municipality === '753')).toBe(true);
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect((await cw.get('/api/v1/staff/errands?status=bogus')).status).toBe(400);
    expect((await cw.get('/api/v1/staff/errands?cursor=xyz')).status).toBe(400);
    // Another municipality's caseworker sees none of these.
    const other = (await (await caseworker('245')).get('/api/v1/staff/errands?service=ece-application')).body.items as Json[];
    expect(other.some((e) => seen.includes(e.id))).toBe(false);
  });
});

