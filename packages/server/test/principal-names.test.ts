import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../src/db/database.js';
import { NAME_CACHE } from '../src/services/parties.js';
import { client, P, person, startTestApp, type TestApp } from './helpers.js';

// Names in an agent's list of principals come from the registers; a process keeps those it read
// lately for a few minutes (decision 0018, principals). What an e-service relies on: the names are
// the registers', and a name changed in the register shows within the cache's time.
let t: TestApp;
beforeAll(async () => { t = await startTestApp(); });
afterAll(async () => { await t?.stop(); });

const principals = async () => {
  const r = await t.app.inject({ method: 'POST', url: '/api/v1/authorizations/principals', headers: { authorization: client('753') }, payload: { actor: person(P.markku), issue: 'housing' } });
  expect(r.statusCode).toBe(200);
  return (r.json().principals as { id: string; name: string }[]).map((p) => [p.id, p.name]);
};
// The population register changes a name (the registers are read-only to Puolesta's commands).
const renameInRegister = (id: string, first: string) => sql`update persons set first_name = ${first} where id = ${id}`.execute(t.ctx.db);

describe('names in the list of principals', () => {
  it("shows the registers' names, and a name changed in the register within the cache's time", async () => {
    expect(await principals()).toEqual([[P.onni, 'Onni Lindholm'], [P.veikko, 'Veikko Lindholm']]);
    await renameInRegister(P.veikko, 'Veikko Johannes');
    // Read lately: the list is answered without the registers (a minute later, the name read before).
    t.clock.now = new Date(t.clock.now.getTime() + 60_000);
    expect(await principals()).toEqual([[P.onni, 'Onni Lindholm'], [P.veikko, 'Veikko Lindholm']]);
    // Past the cache's time the register's new name shows.
    t.clock.now = new Date(t.clock.now.getTime() + NAME_CACHE.ttlMs);
    expect(await principals()).toEqual([[P.onni, 'Onni Lindholm'], [P.veikko, 'Veikko Johannes Lindholm']]);
  });
});
