import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORMS } from '../src/forms/forms.js';
import { runErrandDeadlineJob } from '../src/notifications/scheduler.js';
import { P, startTestApp, type TestApp } from './helpers.js';

/** The daily errand job: a reminder before the deadline to those who have not answered, then the errand expires and everyone is told. */
let t: TestApp;
beforeAll(async () => { t = await startTestApp(); });
afterAll(async () => { await t?.stop(); });

const day = (n: number) => new Date(Date.parse('2026-12-01T10:00:00+02:00') + n * 86_400_000);
async function as(id: string) {
  // Sessions end with time: each call logs in afresh on the moved clock.
  return {
    req: async (method: 'GET' | 'POST', url: string, payload?: object) => {
      const r = await t.app.inject({ method, url, headers: await t.as({ person: id }), ...(payload ? { payload } : {}) });
      return r.json() as Record<string, any>;
    },
    inbox: async (errandId: string) => ((await t.app.inject({ method: "GET", url: "/api/v1/me/messages", headers: await t.as({ person: id }) })).json().messages as { event: string; errandId?: string }[])
      .filter((m) => m.errandId === errandId).map((m) => m.event),
  };
}

describe('deadlines', () => {
  it('reminds the party who has not signed three days before, once; after the deadline the errand expires', async () => {
    t.clock.now = day(0);
    const elias = await as(P.elias);
    const noora = await as(P.noora);
    const data = structuredClone((FORMS['building-permit'] as unknown as { examples: unknown[] }).examples[0]);
    const { id } = await elias.req('POST', '/api/v1/errands', { municipality: '753', service: 'building-permit', subject: { type: 'property', id: '753-401-3-45' }, data });
    await elias.req('POST', `/api/v1/errands/${id}/submit`);
    const sent = await elias.req('GET', `/api/v1/errands/${id}`);
    expect(sent.deadline).toBe('2026-12-15');

    t.clock.now = day(10);
    expect(await runErrandDeadlineJob(t.ctx, 'node-a')).toBe(0);
    expect(await noora.inbox(id)).not.toContain('errand.reminder');

    t.clock.now = day(11);
    expect(await runErrandDeadlineJob(t.ctx, 'node-a')).toBe(1);
    // Another node the same day does nothing; a forced rerun reminds nobody twice.
    expect(await runErrandDeadlineJob(t.ctx, 'node-b')).toBeNull();
    expect(await runErrandDeadlineJob(t.ctx, 'node-a', { force: true })).toBe(0);
    expect((await noora.inbox(id)).filter((e) => e === 'errand.reminder')).toHaveLength(1);
    expect(await elias.inbox(id)).not.toContain('errand.reminder');

    t.clock.now = day(14);
    await runErrandDeadlineJob(t.ctx, 'node-a');
    expect((await elias.req('GET', `/api/v1/errands/${id}`)).status).toBe('awaiting-signatures');

    t.clock.now = day(15);
    await runErrandDeadlineJob(t.ctx, 'node-a');
    const expired = await elias.req('GET', `/api/v1/errands/${id}`);
    expect(expired.status).toBe('expired');
    expect(expired.permittedActions).not.toContain('withdraw');
    expect(await elias.inbox(id)).toContain('errand.expired');
    expect(await noora.inbox(id)).toContain('errand.expired');
    // Nobody can sign an expired errand.
    expect((await noora.req('POST', `/api/v1/errands/${id}/responses`, { response: 'sign' })).code).toBe('errand.wrong-status');
  });
});
