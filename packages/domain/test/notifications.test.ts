import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { channelChain, missingContactDetail, recipientsOf, retryDelayMs, tellsSomeone, type NotifiedSide } from '../src/index.js';

const terms = { issues: ['housing'], validFrom: '2026-12-01', validUntil: '2027-06-30', oneOff: false } as never;
const base = { mandateId: 'm1', principal: { type: 'person' as const, id: 'P' }, agent: { type: 'person' as const, id: 'A' } };
const person = (id: string): NotifiedSide => ({ kind: 'person', id });

describe('recipientsOf', () => {
  it('a request goes to the principal; for a child to every guardian; for an organisation to its signatories; never to the asker', () => {
    expect(recipientsOf({ type: 'mandate.requested', ...base, terms }, { principal: person('P'), agent: person('A') }, 'A'))
      .toEqual([{ personId: 'P', role: 'principal', event: 'mandate.requested' }]);
    expect(recipientsOf({ type: 'mandate.requested', ...base, terms }, { principal: { kind: 'child', id: 'C', guardians: ['G1', 'G2'] }, agent: person('A') }, 'A').map((r) => [r.personId, r.role]))
      .toEqual([['G1', 'principal-guardian'], ['G2', 'principal-guardian']]);
    expect(recipientsOf({ type: 'mandate.requested', ...base, terms }, { principal: { kind: 'organization', id: 'O', signatories: ['S1', 'A'] }, agent: person('A') }, 'A').map((r) => r.personId))
      .toEqual(['S1']);
  });

  it('a narrowed grant tells the agent what was left out; the granting principal is not told of their own act', () => {
    const r = recipientsOf({ type: 'mandate.granted', ...base, terms, narrowedTo: terms }, { principal: person('P'), agent: person('A') }, 'P');
    expect(r).toEqual([{ personId: 'A', role: 'agent', event: 'mandate.narrowed' }]);
  });

  it('a use of a lasting mandate is told only to principals who asked; a one-off\'s always', () => {
    const used = (consumed: boolean) => recipientsOf({ type: 'mandate.used', ...base, errandRef: 'E1', municipality: '753' as never, apiClient: 'c', consumed }, { principal: person('P'), agent: person('A') }, 'A');
    expect(used(false)).toEqual([{ personId: 'P', role: 'principal', event: 'mandate.used', onlyIfEveryUse: true }]);
    expect(used(true)).toEqual([{ personId: 'P', role: 'principal', event: 'mandate.used' }]);
  });

  it('nobody hears twice and the actor never hears of their own act (property)', () => {
    const id = fc.constantFrom('P', 'A', 'G1', 'G2', 'S1', 'S2');
    const side = fc.oneof(
      id.map((x): NotifiedSide => ({ kind: 'person', id: x })),
      fc.uniqueArray(id, { maxLength: 3 }).map((g): NotifiedSide => ({ kind: 'child', id: 'C', guardians: g })),
      fc.uniqueArray(id, { maxLength: 3 }).map((s): NotifiedSide => ({ kind: 'organization', id: 'O', signatories: s })),
    );
    const type = fc.constantFrom('mandate.revoked', 'mandate.renounced', 'mandate.rejected', 'mandate.expiring', 'mandate.expired') as fc.Arbitrary<'mandate.revoked'>;
    fc.assert(fc.property(side, side, fc.option(id, { nil: null }), type, (p, a, actor, t) => {
      const r = recipientsOf({ type: t, ...base }, { principal: p, agent: a }, actor);
      const ids = r.map((x) => x.personId);
      return new Set(ids).size === ids.length && (actor === null || !ids.includes(actor));
    }));
  });
});

describe('recipientsOf, co-approval (views)', () => {
  it("one guardian's yes to a request asks the other guardian for theirs, as a grant waiting for approval; not the one who said yes, nor the agent", () => {
    expect(recipientsOf({ type: 'mandate.approved', ...base }, { principal: { kind: 'child', id: 'C', guardians: ['G1', 'G2'] }, agent: person('A') }, 'G1'))
      .toEqual([{ personId: 'G2', role: 'principal-guardian', event: 'mandate.awaiting-approval' }]);
  });
});

describe('tellsSomeone', () => {
  it('mandate events and scheduled notices tell someone; catalogue, register and settings events nobody', () => {
    // mandate.approved: one guardian or joint signatory said yes to a request; the others are asked for theirs.
    for (const type of ['mandate.requested', 'mandate.approved', 'mandate.granted', 'mandate.used', 'mandate.expiring', 'mandate.expired']) expect(tellsSomeone({ type }), type).toBe(true);
    for (const type of ['catalogue.issue-saved', 'register.guardianship-ended', 'person.contact-settings-changed', 'delivery.retried']) expect(tellsSomeone({ type }), type).toBe(false);
  });
});

describe('channelChain', () => {
  it('the preferred channel when it has its address, then Suomi.fi Messages, then paper', () => {
    expect(channelChain({ preferredChannel: 'email', email: 'a@b.fi', phone: null })).toEqual(['email', 'suomifi', 'paper']);
    expect(channelChain({ preferredChannel: 'email', email: null, phone: null })).toEqual(['suomifi', 'paper']);
    expect(channelChain({ preferredChannel: 'sms', email: null, phone: '+358401234567' })).toEqual(['sms', 'suomifi', 'paper']);
    // Paper first for those who chose it; Suomi.fi Messages should no print service take it.
    expect(channelChain({ preferredChannel: 'paper', email: null, phone: null })).toEqual(['paper', 'suomifi']);
    expect(channelChain({ preferredChannel: 'suomifi', email: 'a@b.fi', phone: null })).toEqual(['suomifi', 'paper']);
  });
  it('a channel without its address is refused in settings', () => {
    expect(missingContactDetail({ preferredChannel: 'sms', email: 'a@b.fi', phone: null })).toBe('phone');
    expect(missingContactDetail({ preferredChannel: 'email', email: null, phone: null })).toBe('email');
    expect(missingContactDetail({ preferredChannel: 'paper', email: null, phone: null })).toBeNull();
  });
});

describe('retryDelayMs', () => {
  it('grows exponentially, stays within the cap, and is spread by jitter', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 40 }), fc.double({ min: 0, max: 0.999, noNaN: true }), (attempt, r) => {
      const d = retryDelayMs(attempt, 1000, 60_000, r);
      const window = Math.min(60_000, 1000 * 2 ** (attempt - 1));
      return d >= window / 2 - 1 && d <= window;
    }));
    expect(retryDelayMs(1, 1000, 60_000, 0)).toBe(500);
    expect(retryDelayMs(4, 1000, 60_000, 0.999)).toBeGreaterThan(retryDelayMs(3, 1000, 60_000, 0.999));
  });
});
