/**
 * The rules the grant, request and decision forms check before sending (issue 10) are the server's
 * own: `termsRefusals` gives every field's first refusal and `assertValidTerms` throws the first of
 * them; the browser entry (`@puolesta/domain/rules`) exports the very same functions.
 */
import { describe, expect, it } from 'vitest';
import { assertValidTerms, DomainError, grantedLessThanAsked, issuesForPrincipalKind, termsRefusals, type LocalDate } from '../src/index.js';
import * as rules from '../src/rules.js';

const d = (s: string) => s as LocalDate;
const today = d('2026-12-01');
const known = new Set(['housing', 'early-childhood-education', 'building-control']);
const codes = (t: Parameters<typeof termsRefusals>[0], minor?: LocalDate) =>
  termsRefusals(t, { today, knownIssues: known, principalMinorUntil: minor ?? null }).map((e) => `${e.field}:${e.code}`);

describe('termsRefusals', () => {
  it('gives one refusal per field, in the order the server checks them', () => {
    expect(codes({ issues: [], validFrom: d('2020-01-01'), validUntil: d('2060-01-01') })).toEqual([
      'issues:mandate.no-issues', 'validFrom:mandate.backdated', 'validUntil:mandate.too-long',
    ]);
    expect(codes({ issues: ['housing'], validFrom: d('2027-03-01'), validUntil: d('2027-02-01') })).toEqual(['validUntil:mandate.ends-before-start']);
    expect(codes({ issues: ['housing'], validFrom: today, validUntil: d('2040-01-01') }, d('2035-05-04'))).toEqual(['validUntil:mandate.beyond-majority']);
    expect(codes({ issues: ['housing'], validFrom: today, validUntil: d('2027-12-31') })).toEqual([]);
  });

  it('assertValidTerms throws exactly the first of them', () => {
    const t = { issues: ['nope'], validFrom: d('2020-01-01'), validUntil: d('2019-01-01') };
    const first = termsRefusals(t, { today, knownIssues: known })[0]!;
    let thrown: unknown;
    try { assertValidTerms(t, { today, knownIssues: known }); } catch (e) { thrown = e; }
    expect(thrown).toBeInstanceOf(DomainError);
    expect([(thrown as DomainError).code, (thrown as DomainError).field]).toEqual([first.code, first.field]);
  });

  it('the browser entry exports the same functions, not copies', () => {
    expect(rules.termsRefusals).toBe(termsRefusals);
    expect(rules.assertValidTerms).toBe(assertValidTerms);
    expect(rules.issuesForPrincipalKind).toBe(issuesForPrincipalKind);
  });
});

describe('grantedLessThanAsked', () => {
  const asked = { issues: ['housing', 'building-control'], validFrom: d('2026-11-20'), validUntil: d('2027-12-31') };
  it('a matter left out, an earlier end or a later start than possible is less', () => {
    expect(grantedLessThanAsked(asked, { ...asked, issues: ['housing'] }, today)).toBe(true);
    expect(grantedLessThanAsked(asked, { ...asked, validUntil: d('2027-06-30') }, today)).toBe(true);
    expect(grantedLessThanAsked(asked, { ...asked, validFrom: d('2027-01-01') }, today)).toBe(true);
  });
  it('a start moved to today because the asked one has passed is not', () => {
    expect(grantedLessThanAsked(asked, { ...asked, validFrom: today }, today)).toBe(false);
    expect(grantedLessThanAsked(asked, asked, today)).toBe(false);
  });
});

describe('issuesForPrincipalKind', () => {
  const services = [
    { subject: 'child', issues: ['early-childhood-education'] },
    { subject: 'property', issues: ['building-control'] },
    { subject: 'self-or-principal', issues: ['housing'] },
  ];
  it('a person any matter; an organisation only those of services for organisations or properties', () => {
    expect(issuesForPrincipalKind(services, [...known], 'person')).toEqual([...known]);
    expect(issuesForPrincipalKind(services, [...known], 'organization')).toEqual(['building-control']);
  });
});
