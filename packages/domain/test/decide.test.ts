import { describe, expect, it } from 'vitest';
import { asMunicipalityCode, decide, NO_RELATIONS, type CheckQuery, type Mandate, type MandateId, type LocalDate, type Relations } from '../src/index.js';

const d = (s: string) => s as LocalDate;
const markku = { type: 'person' as const, id: '210170-904K' };
const veikko = { type: 'person' as const, id: '050844-9057' };

const mandate = (over: Partial<Mandate> = {}): Mandate => ({
  id: 'm1' as MandateId,
  principal: veikko,
  agent: markku,
  issues: ['housing', 'parking-and-streets'],
  validFrom: d('2025-01-01'),
  validUntil: d('2027-06-30'),
  status: 'active',
  oneOff: false,
  target: null,
  municipality: null,
  ...over,
});
const q = (over: Partial<CheckQuery> = {}): CheckQuery => ({ actor: markku, principal: veikko, issue: 'housing', date: d('2026-12-01'), ...over });
const withMandates = (...mandates: Mandate[]): Relations => ({ ...NO_RELATIONS, mandates });

describe('decide: mandates', () => {
  it('allows within issue and dates, naming the mandate', () => {
    expect(decide(q(), withMandates(mandate()))).toEqual({ allowed: true, basis: 'mandate', mandateId: 'm1', validUntil: '2027-06-30', oneOff: false });
  });
  it('acting for oneself needs no basis', () => {
    expect(decide(q({ principal: markku }), NO_RELATIONS)).toMatchObject({ allowed: true, basis: 'self' });
  });
  it('refuses without any basis, saying so', () => {
    expect(decide(q(), NO_RELATIONS)).toMatchObject({ allowed: false, basis: null, reasonCode: 'no-basis' });
  });
  it('is valid for the whole last day and not a day longer', () => {
    expect(decide(q({ date: d('2027-06-30') }), withMandates(mandate())).allowed).toBe(true);
    expect(decide(q({ date: d('2027-07-01') }), withMandates(mandate()))).toMatchObject({ allowed: false, reasonCode: 'expired', reason: 'The mandate expired on 2027-06-30.' });
  });
  it('starts on its first day, not before', () => {
    const m = mandate({ validFrom: d('2026-12-02') });
    expect(decide(q({ date: d('2026-12-01') }), withMandates(m))).toMatchObject({ allowed: false, reasonCode: 'not-yet-valid' });
    expect(decide(q({ date: d('2026-12-02') }), withMandates(m)).allowed).toBe(true);
  });
  it('covers only its issues', () => {
    expect(decide(q({ issue: 'building-control' }), withMandates(mandate()))).toMatchObject({ allowed: false, reasonCode: 'wrong-issue' });
  });
  it('limited to a property covers only that property', () => {
    const m = mandate({ target: { type: 'property', id: '049-12-34-5' } });
    expect(decide(q({ target: { type: 'property', id: '049-12-34-5' } }), withMandates(m)).allowed).toBe(true);
    expect(decide(q({ target: { type: 'property', id: '753-401-3-45' } }), withMandates(m))).toMatchObject({ allowed: false, reasonCode: 'other-target' });
    expect(decide(q(), withMandates(m))).toMatchObject({ allowed: false, reasonCode: 'other-target' });
  });
  it('a general mandate covers any target', () => {
    expect(decide(q({ target: { type: 'property', id: '049-12-34-5' } }), withMandates(mandate())).allowed).toBe(true);
  });
  it('limited to a municipality works only there', () => {
    const m = mandate({ municipality: asMunicipalityCode('853') });
    expect(decide(q({ municipality: asMunicipalityCode('853') }), withMandates(m)).allowed).toBe(true);
    expect(decide(q({ municipality: asMunicipalityCode('049') }), withMandates(m))).toMatchObject({ allowed: false, reasonCode: 'other-municipality', reason: 'The mandate is limited to municipality 853.' });
    expect(decide(q(), withMandates(m))).toMatchObject({ allowed: false, reasonCode: 'other-municipality' });
  });
  it.each(['revoked', 'renounced', 'rejected', 'consumed', 'requested'] as const)('a %s mandate does not allow, and says why', (status) => {
    expect(decide(q(), withMandates(mandate({ status })))).toMatchObject({ allowed: false, reasonCode: status });
  });
  it('reports the nearest miss among several mandates', () => {
    const r = decide(q(), withMandates(mandate({ id: 'a' as MandateId, issues: ['waste-and-water'] }), mandate({ id: 'b' as MandateId, status: 'revoked' })));
    expect(r.reasonCode).toBe('revoked');
  });
  it('prefers a long-term mandate over a one-off, and the longest', () => {
    const oneOff = mandate({ id: 'one' as MandateId, oneOff: true, validUntil: d('2030-01-01') });
    const short = mandate({ id: 'short' as MandateId, validUntil: d('2027-01-01') });
    const long = mandate({ id: 'long' as MandateId, validUntil: d('2028-01-01') });
    expect(decide(q(), withMandates(oneOff, short, long)).mandateId).toBe('long');
    expect(decide(q(), withMandates(oneOff)).oneOff).toBe(true);
  });
});

describe('decide: other bases', () => {
  const ella = { type: 'person' as const, id: '120411A9061' };
  const sanna = { type: 'person' as const, id: '090672-903B' };
  it('a guardian acts for a minor child until the day before the 18th birthday', () => {
    const r: Relations = { ...NO_RELATIONS, guardianOfChildBorn: d('2011-04-12') };
    expect(decide(q({ actor: sanna, principal: ella, date: d('2029-04-11') }), r)).toEqual({ allowed: true, basis: 'guardianship', validUntil: '2029-04-11' });
    expect(decide(q({ actor: sanna, principal: ella, date: d('2029-04-12') }), r)).toMatchObject({ allowed: false, reasonCode: 'guardianship-ended' });
  });
  it('a child born on 29 February comes of age on 28 February in a common year', () => {
    const r: Relations = { ...NO_RELATIONS, guardianOfChildBorn: d('2008-02-29') };
    expect(decide(q({ date: d('2026-02-27') }), r).allowed).toBe(true);
    expect(decide(q({ date: d('2026-02-28') }), r).allowed).toBe(false);
  });
  it('a court guardian acts within the scope the court set, and not after it ends', () => {
    const r: Relations = { ...NO_RELATIONS, courtGuardianships: [{ scope: ['property-matters', 'housing'], validUntil: d('2027-12-31') }] };
    expect(decide(q({ issue: 'housing' }), r)).toMatchObject({ allowed: true, basis: 'court-guardianship', validUntil: '2027-12-31' });
    expect(decide(q({ issue: 'early-childhood-education' }), r)).toMatchObject({ allowed: false, reasonCode: 'outside-court-scope' });
    expect(decide(q({ issue: 'housing', date: d('2028-01-01') }), r)).toMatchObject({ allowed: false, reasonCode: 'court-guardianship-ended' });
  });
  it('a role that signs alone acts for the organisation; joint signing alone does not', () => {
    const company = { type: 'organization' as const, id: '2345678-0' };
    expect(decide(q({ principal: company }), { ...NO_RELATIONS, organizationRoles: [{ role: 'ceo', signing: 'alone' }] })).toMatchObject({ allowed: true, basis: 'organization-role' });
    expect(decide(q({ principal: company }), { ...NO_RELATIONS, organizationRoles: [{ role: 'board-chair', signing: 'jointly' }] })).toMatchObject({ allowed: false, reasonCode: 'joint-signing-required' });
    expect(decide(q({ principal: company }), { ...NO_RELATIONS, organizationRoles: [{ role: 'board-member', signing: 'none' }] })).toMatchObject({ allowed: false, reasonCode: 'no-signing-rights' });
  });
  it("an organisation's mandate counts like a person's", () => {
    const company = { type: 'organization' as const, id: '4567891-5' };
    expect(decide(q({ principal: company, issue: 'parking-and-streets' }), withMandates(mandate({ principal: company })))).toMatchObject({ allowed: true, basis: 'mandate' });
  });
});
