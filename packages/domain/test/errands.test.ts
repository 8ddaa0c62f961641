import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  errandActions, errandRecipientsOf, expectedOf, involvementOf, partyAnswered, recommendedMandateTerms, refusalOf, responseOf, statusAfterAnswer,
  statusOnSending, type Actor, type ErrandFacts, type ErrandPartyFacts, type LocalDate, type Signing,
} from '../src/index.js';

const d = (s: string) => s as LocalDate;
const person = (id: string, answeredBy: string[] = [], extra: Partial<ErrandPartyFacts> = {}): ErrandPartyFacts =>
  ({ ref: { type: 'person', id }, side: { kind: 'person' }, answeredBy, representedByApplicant: false, declined: false, ...extra });
const organization = (signing: Record<string, Signing>, answeredBy: string[] = []): ErrandPartyFacts =>
  ({ ref: { type: 'organization', id: 'o' }, side: { kind: 'organization', signing: new Map(Object.entries(signing)) }, answeredBy, representedByApplicant: false, declined: false });

describe('what a policy asks of the parties', () => {
  it('B signs, C attests / notifies / confirms, a mandate service tells, no-need asks nothing', () => {
    expect(involvementOf({ kind: 'multi-signature' })).toBe('sign');
    expect(involvementOf({ kind: 'alone', alternative: 'confirm' })).toBe('confirm');
    expect(involvementOf({ kind: 'alone', alternative: 'attest' })).toBe('attest');
    expect(involvementOf({ kind: 'mandate' })).toBe('notify');
    expect(involvementOf({ kind: 'no-need' })).toBe('none');
  });
});

describe('when a party has answered', () => {
  it('a person by their own answer, or the applicant for them', () => {
    expect(partyAnswered(person('a'))).toBe(false);
    expect(partyAnswered(person('a', ['a']))).toBe(true);
    expect(partyAnswered(person('a', ['b']))).toBe(false);
    expect(partyAnswered(person('a', [], { representedByApplicant: true }))).toBe(true);
  });
  it('an organisation by its signing rule: one who signs alone, or two joint signatories', () => {
    const org = { x: 'jointly', y: 'jointly', z: 'none', w: 'alone' } as const;
    expect(partyAnswered(organization(org, ['x']))).toBe(false);
    expect(partyAnswered(organization(org, ['x', 'z']))).toBe(false);
    expect(partyAnswered(organization(org, ['x', 'y']))).toBe(true);
    expect(partyAnswered(organization(org, ['w']))).toBe(true);
  });
});

describe('the status an errand takes', () => {
  it('no basis waits for the mandate, whatever the policy', () => {
    for (const involvement of ['sign', 'confirm', 'notify', 'attest', 'none'] as const) {
      expect(statusOnSending({ hasBasis: false, involvement, parties: [] })).toBe('awaiting-mandate');
    }
  });
  it('signatures and confirmations wait for every party; a decline goes back; told or attested goes on at once', () => {
    expect(statusOnSending({ hasBasis: true, involvement: 'sign', parties: [person('a', ['a']), person('b')] })).toBe('awaiting-signatures');
    expect(statusOnSending({ hasBasis: true, involvement: 'confirm', parties: [person('b')] })).toBe('awaiting-confirmations');
    expect(statusAfterAnswer('sign', [person('a', ['a']), person('b', ['b'])])).toBe('submitted');
    expect(statusAfterAnswer('sign', [person('a', ['a']), person('b', [], { declined: true })])).toBe('declined');
    expect(statusOnSending({ hasBasis: true, involvement: 'notify', parties: [person('b')] })).toBe('submitted');
    expect(statusOnSending({ hasBasis: true, involvement: 'attest', parties: [person('b')] })).toBe('submitted');
  });
  it('is submitted exactly when every party has answered and none declined (any parties)', () => {
    const party = fc.record({ answered: fc.boolean(), declined: fc.boolean() });
    fc.assert(fc.property(fc.array(party, { maxLength: 6 }), fc.constantFrom('sign' as const, 'confirm' as const), (ps, inv) => {
      const parties = ps.map((p, i) => person(`p${i}`, p.answered ? [`p${i}`] : [], { declined: p.declined }));
      const s = statusAfterAnswer(inv, parties);
      if (ps.some((p) => p.declined)) return s === 'declined';
      return (s === 'submitted') === ps.every((p) => p.answered);
    }));
  });
  it('the response shown follows the answer and the policy', () => {
    expect(responseOf(person('a', ['a']), 'sign', 'awaiting-signatures')).toBe('signed');
    expect(responseOf(person('a', ['a']), 'confirm', 'submitted')).toBe('confirmed');
    expect(responseOf(person('a'), 'notify', 'submitted')).toBe('notified');
    expect(responseOf(person('a'), 'attest', 'submitted')).toBe('attested');
    expect(responseOf(person('a', [], { declined: true }), 'sign', 'declined')).toBe('declined');
  });
});

describe('the mandate situation A asks for', () => {
  it('a year, or a one-off for 90 days; in a minor\'s matters not past their 18th birthday', () => {
    expect(recommendedMandateTerms({ issues: ['housing'], recommended: 'long-term', today: d('2026-12-01'), minorUntil: null }))
      .toEqual({ issues: ['housing'], validFrom: '2026-12-01', validUntil: '2027-12-01', oneOff: false });
    expect(recommendedMandateTerms({ issues: ['housing'], recommended: 'one-off', today: d('2026-12-01'), minorUntil: null }).validUntil).toBe('2027-03-01');
    expect(recommendedMandateTerms({ issues: ['x'], recommended: undefined, today: d('2026-12-01'), minorUntil: d('2027-04-11') }).validUntil).toBe('2027-04-11');
  });
});

const facts = (f: Partial<ErrandFacts>): ErrandFacts => ({
  kind: 'errand', status: 'draft', municipality: '753', involvement: 'sign', applicant: false, principalSide: false, party: false, answerPending: false, ...f,
} as ErrandFacts);
const me: Actor = { kind: 'person', id: 'p' as never };
const caseworker = (m: string): Actor => ({ kind: 'staff', key: 'k', municipality: m as never, roles: ['caseworker'] });

describe('who may do what with an errand', () => {
  it('nobody but the applicant sees a draft; a caseworker sees the municipality\'s sent errands only', () => {
    expect(refusalOf('errand.read', me, facts({ party: true }))?.code).toBe('errand.not-found');
    expect(refusalOf('errand.read', me, facts({ applicant: true }))).toBeNull();
    expect(refusalOf('errand.read', me, facts({ party: true, status: 'submitted' }))).toBeNull();
    expect(refusalOf('errand.read', caseworker('753'), facts({}))?.code).toBe('errand.not-found');
    expect(refusalOf('errand.read', caseworker('753'), facts({ status: 'submitted' }))).toBeNull();
    expect(refusalOf('errand.read', caseworker('245'), facts({ status: 'submitted' }))?.code).toBe('errand.not-found');
  });
  it('a party waited for signs or declines; the applicant edits, sends and withdraws; a caseworker decides a sent one', () => {
    expect(errandActions(me, facts({ party: true, answerPending: true, status: 'awaiting-signatures' }))).toEqual(expect.arrayContaining(['sign', 'decline']));
    expect(errandActions(me, facts({ applicant: true }))).toEqual(expect.arrayContaining(['edit', 'submit', 'withdraw']));
    expect(errandActions(me, facts({ applicant: true, status: 'decided' }))).not.toContain('withdraw');
    expect(errandActions(caseworker('753'), facts({ status: 'submitted' }))).toEqual(expect.arrayContaining(['decide', 'request-information']));
    expect(errandActions(caseworker('753'), facts({ status: 'awaiting-signatures' }))).not.toContain('decide');
    expect(expectedOf(facts({ party: true, answerPending: true, status: 'awaiting-confirmations', involvement: 'confirm' }))).toBe('confirm');
  });
});

describe('who is told', () => {
  const base = { errandId: 'e', municipality: '753', service: 's' };
  const people = { applicant: 'a', principalReaders: ['p'], partyReaders: ['b', 'c'] };
  it('a decision reaches the applicant and every party, and the principal hears it was done on their behalf; never the actor, nobody twice', () => {
    const r = errandRecipientsOf({ type: 'errand.decided', ...base, outcome: 'approved' }, { ...people, partyReaders: ['b', 'p'] }, 'staff');
    expect(r).toEqual([{ personId: 'p', event: 'errand.processed-for-you' }, { personId: 'a', event: 'errand.decided' }, { personId: 'b', event: 'errand.decided' }]);
    expect(errandRecipientsOf({ type: 'errand.parties-asked', ...base, persons: ['b', 'a'], ask: 'sign', again: false, deadline: null }, people, 'a'))
      .toEqual([{ personId: 'b', event: 'errand.sign-requested' }]);
    expect(errandRecipientsOf({ type: 'errand.withdrawn', ...base, wasSent: false }, people, 'a')).toEqual([]);
  });
});
