import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORMS } from '../src/forms/forms.js';
import { P, person, startTestApp, type TestApp } from './helpers.js';

/**
 * The navigation's pending count (GET /api/v1/me `pending`): what waits for the logged-in user, and
 * nothing of anyone else's. And a property a mandate is limited to carries its address in the views.
 */
let t: TestApp;
beforeAll(async () => { t = await startTestApp(); });
afterAll(async () => { await t?.stop(); });

type Json = Record<string, any>;
async function as(who: { person: string } | { staff: string }) {
  const headers = await t.as(who);
  const call = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) => {
    const r = await t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
    return { status: r.statusCode, body: (r.body ? r.json() : {}) as Json };
  };
  return {
    get: (url: string) => call('GET', url),
    post: (url: string, payload: object = {}) => call('POST', url, payload),
    pending: async () => (await call('GET', '/api/v1/me')).body.pending as { mandates: number; errands: number },
  };
}
const example = (service: string) => structuredClone((FORMS[service] as unknown as { examples: unknown[] }).examples[0]) as Json;

describe('the pending count in the navigation', () => {
  it("a request counts for the principal who must answer it, not for the one who asked, nor for anyone else; answering it takes it away", async () => {
    const veikko = await as({ person: P.veikko });
    const mikael = await as({ person: P.mikael });
    const stranger = await as({ person: P.stranger });
    const before = { veikko: await veikko.pending(), mikael: await mikael.pending(), stranger: await stranger.pending() };
    // The count is exactly the "requests to me" list.
    expect(before.veikko.mandates).toBe((await veikko.get('/api/v1/me/mandates')).body.requestsIn.length);

    const r = await mikael.post('/api/v1/mandate-requests', { principal: person(P.veikko), issues: ['housing'], validUntil: '2027-12-31' });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(await veikko.pending()).toEqual({ ...before.veikko, mandates: before.veikko.mandates + 1 });
    expect(await mikael.pending()).toEqual(before.mikael);
    expect(await stranger.pending()).toEqual(before.stranger);

    expect((await veikko.post(`/api/v1/mandate-requests/${r.body.id}/decision`, { decision: 'reject' })).status).toBe(200);
    expect(await veikko.pending()).toEqual(before.veikko);
  });

  it('a co-owner asked to sign has one errand waiting; the applicant has none; once signed, the caseworker of that municipality has one more in the queue and another municipality none', async () => {
    const elias = await as({ person: P.elias });
    const noora = await as({ person: P.noora });
    const sipoo = await as({ staff: 'caseworker-753' });
    const espoo = await as({ staff: 'caseworker-049' });
    const before = { elias: await elias.pending(), noora: await noora.pending(), sipoo: await sipoo.pending(), espoo: await espoo.pending() };
    expect(before.sipoo.mandates).toBe(0);

    const created = await elias.post('/api/v1/errands', { municipality: '753', service: 'building-permit', subject: { type: 'property', id: '753-401-3-45' }, data: example('building-permit') });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id as string;
    // A draft waits for nobody but its applicant, who is not counted for their own draft.
    expect(await noora.pending()).toEqual(before.noora);
    expect((await elias.post(`/api/v1/errands/${id}/submit`)).body.status).toBe('awaiting-signatures');
    expect(await noora.pending()).toEqual({ ...before.noora, errands: before.noora.errands + 1 });
    expect(await elias.pending()).toEqual(before.elias);
    expect(await sipoo.pending()).toEqual(before.sipoo);

    const shown = (await noora.get(`/api/v1/errands/${id}`)).body;
    expect((await noora.post(`/api/v1/errands/${id}/responses`, { response: 'sign', hash: shown.hash })).body.status).toBe('submitted');
    expect(await noora.pending()).toEqual(before.noora);
    expect(await sipoo.pending()).toEqual({ mandates: 0, errands: before.sipoo.errands + 1 });
    expect(await espoo.pending()).toEqual(before.espoo);

    expect((await sipoo.post(`/api/v1/errands/${id}/decision`, { outcome: 'approved', text: 'Lupa myönnetty.' })).status).toBe(200);
    expect(await sipoo.pending()).toEqual(before.sipoo);
  });

  it('a staff member without the queue has nothing counted', async () => {
    const admin = await as({ staff: 'admin-753' });
    expect(await admin.pending()).toEqual({ mandates: 0, errands: 0 });
  });
});

describe('a property in a mandate is shown by its address', () => {
  it("a mandate limited to Veikko's house carries the house's street address beside its id, for both sides", async () => {
    const veikko = await as({ person: P.veikko });
    const markku = await as({ person: P.markku });
    const r = await veikko.post('/api/v1/mandates', { agent: person(P.markku), issues: ['property-matters'], validUntil: '2027-12-31', target: { type: 'property', id: '753-416-2-33' } });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const target = { type: 'property', id: '753-416-2-33', address: 'Myllytie 8, 04130 Sipoo' };
    expect((await veikko.get(`/api/v1/mandates/${r.body.id}`)).body.target).toEqual(target);
    const received = (await markku.get('/api/v1/me/mandates')).body.received as Json[];
    expect(received.find((m) => m.id === r.body.id)?.target).toEqual(target);
  });
});
