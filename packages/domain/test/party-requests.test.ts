import { describe, expect, it } from 'vitest';
import { ACCESS, errandActions, expectedOf, partyRequestDeadlineOk, partyRequestInvolvement, refusalOf, type ErrandFacts, type LocalDate } from '../src/index.js';

const today = '2026-12-01' as LocalDate;
const d = (s: string) => s as LocalDate;

describe('party requests', () => {
  it('a deadline runs from tomorrow up to 90 days ahead', () => {
    expect(partyRequestDeadlineOk(d('2026-12-01'), today)).toBe(false);
    expect(partyRequestDeadlineOk(d('2026-12-02'), today)).toBe(true);
    expect(partyRequestDeadlineOk(d('2027-03-01'), today)).toBe(true);
    expect(partyRequestDeadlineOk(d('2027-03-02'), today)).toBe(false);
  });

  it("asks the service's signatures or confirmations, and a confirmation (a consent) where the service asks neither", () => {
    expect(partyRequestInvolvement('sign')).toBe('sign');
    expect(partyRequestInvolvement('confirm')).toBe('confirm');
    for (const i of ['notify', 'attest', 'none'] as const) expect(partyRequestInvolvement(i)).toBe('confirm');
  });

  const facts = (o: Partial<ErrandFacts>): ErrandFacts => ({
    kind: 'party-request', status: 'awaiting-signatures', municipality: '753', involvement: 'sign',
    applicant: false, principalSide: false, party: true, answerPending: true, ...o,
  });
  const caseworker = { kind: 'staff', key: 'cw', municipality: '753', roles: ['caseworker'] } as const;

  it('a party is asked to answer; once complete nothing more is expected, and nobody decides it', () => {
    expect(expectedOf(facts({}))).toBe('sign');
    expect(expectedOf(facts({ status: 'submitted', answerPending: false }))).toBe('nothing');
    expect(expectedOf(facts({ kind: 'errand', status: 'submitted', answerPending: false }))).toBe('wait-for-decision');
    const done = facts({ status: 'submitted', party: false, answerPending: false });
    expect(refusalOf('errand.decide', caseworker as never, done)?.code).toBe('errand.wrong-status');
    expect(refusalOf('errand.decide', caseworker as never, { ...done, kind: 'errand' })).toBeNull();
    expect(errandActions(caseworker as never, done)).not.toContain('decide');
  });

  it("only the requesting municipality's clients read a request", () => {
    expect(ACCESS['party-request.read'].actors).toEqual(['api-client']);
    expect(refusalOf('party-request.read', { kind: 'api-client', id: 'x', municipality: '753' } as never, { municipality: '245' } as never)?.code).toBe('party-request.not-found');
    expect(refusalOf('party-request.read', { kind: 'api-client', id: 'x', municipality: '753' } as never, { municipality: '753' } as never)).toBeNull();
  });
});
