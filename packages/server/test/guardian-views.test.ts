/**
 * Guardians, court guardians and signatories see the mandates of those they decide for, as the
 * access rules let them, with the actions their role allows; and each pending item tells its story:
 * who started it, whom it waits for, and only the actions that apply.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { O, P, person, org, startTestApp, type TestApp } from './helpers.js';

let t: TestApp;
beforeAll(async () => { t = await startTestApp(); });
afterAll(async () => { await t?.stop(); });

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const as = (who: string) => t.session({ person: who });
type Who = Awaited<ReturnType<typeof as>>;
const lists = async (who: Who) => (await who.get('/api/v1/me/mandates')).json() as Json;
const partyOf = (l: Json, id: string) => (l.parties as Json[]).find((p) => p.party.id === id)!;
const where = (l: Json, id: string): string[] => {
  const out: string[] = [];
  for (const k of ['given', 'received', 'requestsIn', 'requestsOut']) if ((l[k] as Json[]).some((m) => m.id === id)) out.push(k);
  for (const p of l.parties as Json[]) for (const k of ['given', 'received', 'requestsIn', 'requestsOut']) if ((p.lists[k] as Json[]).some((m: Json) => m.id === id)) out.push(`${p.party.id}.${k}`);
  return out;
};
const find = (l: Json[], id: string) => l.find((m) => m.id === id)!;

describe("two guardians and a grandparent: a mandate in the child's matters", () => {
  it('the guardian who starts it reads that it waits for the other guardian, who reads who started it; once in force both see it, read its log and either may revoke', async () => {
    const sanna = await as(P.sanna);
    const jari = await as(P.jari);
    const { id } = (await sanna.post('/api/v1/mandates', { onBehalfOf: person(P.ella), agent: person(P.veikko), issues: ['early-childhood-education'], validUntil: '2027-12-31' })).json();

    // Sanna started it: pending in Ella's section, waiting for Jari by name; she may withdraw it, not "revoke" or renounce it.
    const s1 = await lists(sanna);
    expect(where(s1, id)).toEqual([`${P.ella}.requestsOut`]);
    const mine = find(partyOf(s1, P.ella).lists.requestsOut, id);
    expect(partyOf(s1, P.ella)).toMatchObject({ party: { name: 'Ella Nyström' }, relation: 'guardian' });
    expect(mine).toMatchObject({ status: 'requested', side: 'principal', onBehalfOf: { id: P.ella, name: 'Ella Nyström' }, startedBy: { name: 'Sanna Lindholm' } });
    expect(mine.waitingFor.map((p: Json) => p.name)).toEqual(['Jari Nyström']);
    expect([...mine.permittedActions].sort()).toEqual(['download-receipt', 'read-log', 'withdraw']);

    // Jari: it waits for his answer; Sanna started it for Ella, to Veikko; he may approve (yes or no), not revoke.
    const j1 = await lists(jari);
    expect(where(j1, id)).toEqual(['requestsIn', `${P.ella}.requestsIn`]);
    const his = find(j1.requestsIn, id);
    expect(his).toMatchObject({ side: 'principal', onBehalfOf: { name: 'Ella Nyström' }, startedBy: { name: 'Sanna Lindholm' }, agent: { name: 'Veikko Lindholm' }, source: 'electronic' });
    expect(his.approvedBy.map((p: Json) => p.name)).toEqual(['Sanna Lindholm']);
    expect([...his.permittedActions].sort()).toEqual(['approve', 'download-receipt', 'read-log']);

    expect((await jari.post(`/api/v1/mandate-requests/${id}/decision`, { decision: 'grant' })).json().status).toBe('active');

    // In force: each guardian sees it in Ella's section with its log and revoke; the grandparent as received.
    for (const g of [sanna, jari]) {
      const l = await lists(g);
      expect(where(l, id)).toEqual([`${P.ella}.given`]);
      expect([...find(partyOf(l, P.ella).lists.given, id).permittedActions].sort()).toEqual(['download-receipt', 'read-log', 'revoke']);
      const one = await g.get(`/api/v1/mandates/${id}`);
      expect(one.statusCode).toBe(200);
      expect(one.json()).toMatchObject({ side: 'principal', onBehalfOf: { id: P.ella }, status: 'active' });
      const log = await g.get(`/api/v1/mandates/${id}/log`);
      expect(log.statusCode).toBe(200);
      expect(log.json().entries.map((e: Json) => e.event)).toEqual(expect.arrayContaining(['grant-awaiting-approval', 'granted']));
    }
    expect(where(await lists(await as(P.veikko)), id)).toEqual(['received']);
    // The messages say a guardian gave it (Jari, whose approval made it take effect), never the child.
    const granted = async (who: Who) => ((await who.get('/api/v1/me/messages')).json().messages as Json[]).find((m) => m.mandateId === id && m.event === 'mandate.granted')!;
    for (const m of [await granted(sanna), await granted(await as(P.veikko))]) {
      expect(`${m.subject}\n${m.body}`).toContain('Jari Nyström');
      expect(`${m.subject}\n${m.body}`).not.toMatch(/Ella Nyström (antoi|gav|har gett|gave)/);
    }
    expect((await jari.post(`/api/v1/mandates/${id}/revoke`)).json().status).toBe('revoked');
    expect(find(partyOf(await lists(sanna), P.ella).lists.given, id)).toMatchObject({ status: 'revoked', permittedActions: ['read-log', 'download-receipt'] });
    expect(find(partyOf(await lists(sanna), P.ella).lists.given, id).endedWhilePending).toBeUndefined();
  });

  it('a request from the grandparent: the first guardian decides it and still sees it waiting for the other; the grandparent may cancel, not give up, his request', async () => {
    const sanna = await as(P.sanna);
    const jari = await as(P.jari);
    const veikko = await as(P.veikko);
    const { id } = (await veikko.post('/api/v1/mandate-requests', { principal: person(P.ella), issues: ['culture-and-leisure'], validUntil: '2027-06-30' })).json();

    const v1 = find((await lists(veikko)).requestsOut, id);
    expect(v1).toMatchObject({ side: 'agent', startedBy: { name: 'Veikko Lindholm' }, awaitingApprovalFrom: 'principal' });
    expect(v1.waitingFor.map((p: Json) => p.name).sort()).toEqual(['Jari Nyström', 'Sanna Lindholm']);
    expect([...v1.permittedActions].sort()).toEqual(['cancel', 'download-receipt', 'read-log']);

    // To the guardians it is a request to answer: decide (approve or refuse), never revoke.
    const s1 = find((await lists(sanna)).requestsIn, id);
    expect([...s1.permittedActions].sort()).toEqual(['decide', 'download-receipt', 'read-log']);
    expect(s1).toMatchObject({ side: 'principal', startedBy: { name: 'Veikko Lindholm' } });

    expect((await sanna.post(`/api/v1/mandate-requests/${id}/decision`, { decision: 'grant' })).json().status).toBe('requested');
    // Sanna still sees it, waiting for Jari; Jari is asked to approve what Sanna approved.
    const s2 = await lists(sanna);
    expect(where(s2, id)).toEqual([`${P.ella}.requestsOut`]);
    expect(find(partyOf(s2, P.ella).lists.requestsOut, id).waitingFor.map((p: Json) => p.name)).toEqual(['Jari Nyström']);
    // Jari is told, by message, that Sanna approved it and that it now waits for him — not only that Veikko asked.
    const told = ((await jari.get('/api/v1/me/messages')).json().messages as Json[]).filter((m) => m.mandateId === id).map((m) => m.event);
    expect(told).toEqual(expect.arrayContaining(['mandate.requested', 'mandate.awaiting-approval']));
    const waits = ((await jari.get('/api/v1/me/messages')).json().messages as Json[]).find((m) => m.mandateId === id && m.event === 'mandate.awaiting-approval')!;
    expect(waits.subject).toContain('Sanna Lindholm');
    expect(waits.body).toContain('Veikko');
    // Sanna, who approved it, is not told of her own approval.
    expect(((await sanna.get('/api/v1/me/messages')).json().messages as Json[]).filter((m) => m.mandateId === id && m.event === 'mandate.awaiting-approval')).toEqual([]);
    const j2 = find((await lists(jari)).requestsIn, id);
    expect(j2.approvedBy.map((p: Json) => p.name)).toEqual(['Sanna Lindholm']);
    expect([...j2.permittedActions].sort()).toEqual(['approve', 'download-receipt', 'read-log']);

    // The grandparent withdraws his request (the renounce endpoint); it ends for everyone.
    expect((await veikko.post(`/api/v1/mandates/${id}/renounce`)).json().status).toBe('renounced');
    expect(where(await lists(jari), id)).toEqual([`${P.ella}.given`]);
    // It never took effect, and says so (not "given up by the agent"); a mandate that was in force does not.
    expect(find(partyOf(await lists(jari), P.ella).lists.given, id)).toMatchObject({ status: 'renounced', endedWhilePending: true });
    expect(find((await lists(veikko)).received, id)).toMatchObject({ status: 'renounced', endedWhilePending: true });
  });
});

describe('organisations and wards', () => {
  it('an organisation where the person has two roles is listed once with both', async () => {
    const me = (await (await as(P.elias)).get('/api/v1/me')).json();
    const puutyo = (me.organizations as Json[]).filter((o) => o.id === O.puutyo);
    expect(puutyo).toHaveLength(1);
    expect([...puutyo[0]!.roles].sort()).toEqual(['board-chair', 'ceo']);
    expect(puutyo[0]).toMatchObject({ signing: 'alone', permittedActions: expect.arrayContaining(['grant', 'read-mandates']) });
  });

  it("a signatory sees the organisation's mandates in its own section, each titled from the organisation's side", async () => {
    const elias = await as(P.elias);
    const l = await lists(elias);
    const p = partyOf(l, O.puutyo);
    expect(p).toMatchObject({ relation: 'signatory', party: { name: 'Eliaksen Puutyö Oy' } });
    expect(find(p.lists.given, 'puutyo-noora')).toMatchObject({ side: 'principal', onBehalfOf: { id: O.puutyo }, agent: { name: 'Noora Korhonen' } });
    expect(where(l, 'puutyo-noora')).toEqual([`${O.puutyo}.given`]);
    // A board member without signing rights has no such section.
    expect((l.parties as Json[]).map((x) => x.party.id)).not.toContain(O.kylayhdistys);
  });

  it("a joint signatory's pending grant waits for a second signatory and offers withdraw", async () => {
    const markku = await as(P.markku);
    const { id } = (await markku.post('/api/v1/mandates', { onBehalfOf: org(O.kylayhdistys), agent: person(P.noora), issues: ['financial-support'], validUntil: '2027-12-31' })).json();
    const m = find(partyOf(await lists(markku), O.kylayhdistys).lists.requestsOut, id);
    expect(m).toMatchObject({ awaitingApprovalFrom: 'second-signatory', startedBy: { name: 'Markku Lindholm' }, waitingFor: [] });
    expect([...m.permittedActions].sort()).toEqual(['download-receipt', 'read-log', 'withdraw']);
    expect([...find((await lists(await as(P.sanna))).requestsIn, id).permittedActions].sort()).toEqual(['approve', 'download-receipt', 'read-log']);
  });
});
