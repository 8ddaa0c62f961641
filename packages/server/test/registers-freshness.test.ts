/**
 * Register changes (guardianships, court guardianships, organisation roles) reach the
 * authorization index at once, in one process, on PGlite and on PostgreSQL. The two-process
 * case is in registers-new-enemy.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckQuery } from '@puolesta/domain';
import { DomainError } from '@puolesta/domain';
import { AuthorizationIndex } from '../src/services/authorization-index.js';
import { loadRelations } from '../src/repositories/registers.repository.js';
import { asMunicipalityCode, decide } from '@puolesta/domain';
import {
  endCourtGuardianship,
  endGuardianship,
  recordCourtGuardianship,
  recordGuardianship,
  removeOrganizationRole,
  setOrganizationRole,
} from '../src/services/registers.service.js';
import { client, O, P, person, org, startTestApp, type TestApp } from './helpers.js';

let t: TestApp;
beforeAll(async () => { t = await startTestApp(); });
afterAll(async () => { await t?.stop(); });

async function check(actor: { type: string; id: string }, principal: { type: string; id: string }, issue: string) {
  const r = await t.app.inject({ method: 'POST', url: '/api/v1/authorizations/check', headers: { authorization: client('753') }, payload: { actor, principal, issue } });
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as { allowed: boolean; basis: string | null; reasonCode?: string; validUntil?: string };
}

async function refused(p: Promise<unknown>): Promise<DomainError> {
  const e = await p.then(() => null, (x: unknown) => x);
  expect(e).toBeInstanceOf(DomainError);
  return e as DomainError;
}

describe('register changes take effect at once', () => {
  it('an ended guardianship no longer lets the guardian act; recorded again, it does', async () => {
    expect(await check(person(P.sanna), person(P.ella), 'basic-education')).toMatchObject({ allowed: true, basis: 'guardianship' });
    expect(await endGuardianship(t.ctx, { guardian: P.sanna, child: P.ella })).toEqual({ ended: true });
    expect(await check(person(P.sanna), person(P.ella), 'basic-education')).toMatchObject({ allowed: false, reasonCode: 'no-basis' });
    // The other guardian is untouched.
    expect(await check(person(P.jari), person(P.ella), 'basic-education')).toMatchObject({ allowed: true, basis: 'guardianship' });
    expect(await endGuardianship(t.ctx, { guardian: P.sanna, child: P.ella })).toEqual({ ended: false });
    await recordGuardianship(t.ctx, { guardian: P.sanna, child: P.ella });
    expect(await check(person(P.sanna), person(P.ella), 'basic-education')).toMatchObject({ allowed: true, basis: 'guardianship' });
  });

  it('an ended court guardianship ends at once; a new one counts within its scope and term', async () => {
    expect(await check(person(P.harri), person(P.matti), 'housing')).toMatchObject({ allowed: true, basis: 'court-guardianship' });
    expect(await endCourtGuardianship(t.ctx, { guardian: P.harri, ward: P.matti })).toEqual({ ended: 1 });
    expect(await check(person(P.harri), person(P.matti), 'housing')).toMatchObject({ allowed: false, reasonCode: 'no-basis' });
    const { id } = await recordCourtGuardianship(t.ctx, { guardian: P.harri, ward: P.matti, scope: ['employment-services'], validUntil: '2027-06-30' });
    expect(id).toBeGreaterThan(0);
    expect(await check(person(P.harri), person(P.matti), 'employment-services')).toMatchObject({ allowed: true, basis: 'court-guardianship', validUntil: '2027-06-30' });
    expect(await check(person(P.harri), person(P.matti), 'housing')).toMatchObject({ allowed: false, reasonCode: 'outside-court-scope' });
  });

  it('a signing right changed or a role removed is in force at once; a new role counts at once', async () => {
    expect(await check(person(P.jari), org(O.keravaLampo), 'waste-and-water')).toMatchObject({ allowed: true, basis: 'organization-role' });
    await setOrganizationRole(t.ctx, { organization: O.keravaLampo, person: P.jari, role: 'ceo', signing: 'jointly' });
    expect(await check(person(P.jari), org(O.keravaLampo), 'waste-and-water')).toMatchObject({ allowed: false, reasonCode: 'joint-signing-required' });
    expect(await removeOrganizationRole(t.ctx, { organization: O.keravaLampo, person: P.jari, role: 'ceo' })).toEqual({ removed: true });
    expect(await check(person(P.jari), org(O.keravaLampo), 'waste-and-water')).toMatchObject({ allowed: false, reasonCode: 'no-basis' });
    expect(await removeOrganizationRole(t.ctx, { organization: O.keravaLampo, person: P.jari, role: 'ceo' })).toEqual({ removed: false });

    expect(await check(person(P.stranger), org(O.taloyhtio), 'housing')).toMatchObject({ allowed: false });
    await setOrganizationRole(t.ctx, { organization: O.taloyhtio, person: P.stranger, role: 'property-manager', signing: 'alone' });
    expect(await check(person(P.stranger), org(O.taloyhtio), 'housing')).toMatchObject({ allowed: true, basis: 'organization-role' });
  });

  it('other indexes catch up, also many changes at once in version order (removed, then recorded again), and agree with the database', async () => {
    // A second process's index on the same database: its lease makes every writer wait for it.
    const other = new AuthorizationIndex(t.ctx.h, undefined, { heartbeatMs: 50 });
    await other.start();
    // And one that hears nothing (no notifications, no heartbeat): it catches up on everything in one go below.
    const deaf = { ...t.ctx.h, newListener: async () => ({ listen: async () => {}, close: async () => {} }) };
    const behind = new AuthorizationIndex(deaf, undefined, { heartbeatMs: 3_600_000, leaseMs: 400 });
    await behind.start();
    const start = behind.appliedVersion;
    try {
      await endGuardianship(t.ctx, { guardian: P.petra, child: P.alva });
      await recordGuardianship(t.ctx, { guardian: P.petra, child: P.alva });
      await endGuardianship(t.ctx, { guardian: P.mikael, child: P.alva });
      await endCourtGuardianship(t.ctx, { guardian: P.harri, ward: P.matti });
      await recordCourtGuardianship(t.ctx, { guardian: P.harri, ward: P.matti, scope: ['housing'], validUntil: null });
      await setOrganizationRole(t.ctx, { organization: O.puutyo, person: P.elias, role: 'ceo', signing: 'none' });
      await removeOrganizationRole(t.ctx, { organization: O.puutyo, person: P.elias, role: 'board-chair' });
      await setOrganizationRole(t.ctx, { organization: O.puutyo, person: P.noora, role: 'procuration', signing: 'alone' });
      expect(other.appliedVersion).toBe(t.ctx.index.appliedVersion);
      expect(behind.appliedVersion).toBe(start);
      await behind.refresh();
      expect(behind.appliedVersion).toBe(t.ctx.index.appliedVersion);

      // And one that loads everything afresh.
      const fresh = new AuthorizationIndex(t.ctx.h);
      await fresh.start();
      const date = '2026-12-01' as CheckQuery['date'];
      const queries: CheckQuery[] = [
        [person(P.petra), person(P.alva)], [person(P.mikael), person(P.alva)], [person(P.harri), person(P.matti)],
        [person(P.elias), org(O.puutyo)], [person(P.noora), org(O.puutyo)], [person(P.jari), org(O.keravaLampo)],
      ].flatMap(([actor, principal]) => ['housing', 'employment-services'].map((issue) => ({ actor: actor!, principal: principal!, issue, target: null, municipality: asMunicipalityCode('753'), date })));
      try {
        const expected = [true, true, false, false, true, false, false, false, true, true];
        const truth = await Promise.all(queries.map(async (q) => decide(q, await loadRelations(t.ctx.db, q.actor, q.principal)).allowed));
        expect(truth.slice(0, expected.length)).toEqual(expected);
        // From memory only (relations), so that no index can pass by falling back to the database.
        for (const idx of [t.ctx.index, other, behind, fresh]) {
          expect(queries.map((q) => decide(q, idx.relations(q.actor, q.principal)).allowed)).toEqual(truth);
        }
      } finally {
        await fresh.stop();
      }
    } finally {
      await other.stop();
      await behind.stop();
    }
  });

  it('refuses bad register input naming the field, and changes nothing', async () => {
    const before = t.ctx.index.appliedVersion;
    expect((await refused(recordGuardianship(t.ctx, { guardian: 'not-a-code', child: P.ella }))).field).toBe('guardian');
    expect((await refused(recordGuardianship(t.ctx, { guardian: P.sanna, child: P.sanna }))).field).toBe('child');
    const unknown = await refused(recordGuardianship(t.ctx, { guardian: P.sanna, child: '010101-0101' }));
    expect([unknown.kind, unknown.code, unknown.field]).toEqual(['not-found', 'party.unknown', 'child']);
    expect((await refused(recordCourtGuardianship(t.ctx, { guardian: P.harri, ward: P.matti, scope: ['no-such-issue'] }))).field).toBe('scope');
    expect((await refused(recordCourtGuardianship(t.ctx, { guardian: P.harri, ward: P.matti, scope: ['housing'], validUntil: '2027-02-30' }))).field).toBe('validUntil');
    expect((await refused(setOrganizationRole(t.ctx, { organization: O.puutyo, person: P.elias, role: 'ceo', signing: 'maybe' }))).field).toBe('signing');
    expect((await refused(setOrganizationRole(t.ctx, { organization: '1234567-0', person: P.elias, role: 'ceo', signing: 'alone' }))).field).toBe('organization');
    expect(t.ctx.index.appliedVersion).toBe(before);
  });
});
