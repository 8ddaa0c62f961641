import type { Signing } from './decide.js';

/**
 * Who must say yes before a grant takes effect.
 * - an adult person: that person;
 * - a minor child: every guardian (any one of them can later revoke alone);
 * - an organisation: one signatory who signs alone, or two who sign jointly ("two together").
 */
export type GrantingSide =
  | { kind: 'person' }
  | { kind: 'child'; guardians: readonly string[] }
  | { kind: 'organization'; signing: ReadonlyMap<string, Signing> };

export function grantComplete(side: GrantingSide, approvedBy: readonly string[]): boolean {
  switch (side.kind) {
    case 'person':
      return approvedBy.length > 0;
    case 'child':
      return side.guardians.length > 0 && side.guardians.every((g) => approvedBy.includes(g));
    case 'organization': {
      const signers = [...new Set(approvedBy)].filter((p) => side.signing.get(p) === 'alone' || side.signing.get(p) === 'jointly');
      return signers.some((p) => side.signing.get(p) === 'alone') || signers.length >= 2;
    }
  }
}

/** May this person approve (grant) for the side at all? */
export function mayApprove(side: GrantingSide, personId: string, principalId: string): boolean {
  switch (side.kind) {
    case 'person':
      return personId === principalId;
    case 'child':
      return side.guardians.includes(personId);
    case 'organization': {
      const s = side.signing.get(personId);
      return s === 'alone' || s === 'jointly';
    }
  }
}

/**
 * A paper power of attorney must be signed by those who would have to say yes online: the adult
 * principal; every guardian of a minor; for an organisation, its signing rule. Null when complete.
 */
export function missingPaperSigners(side: GrantingSide, principalId: string, signers: readonly string[]): 'principal' | 'guardians' | 'signatories' | null {
  switch (side.kind) {
    case 'person': return signers.includes(principalId) ? null : 'principal';
    case 'child': return grantComplete(side, signers) ? null : 'guardians';
    case 'organization': return grantComplete(side, signers) ? null : 'signatories';
  }
}

/**
 * Whom a pending grant still waits for, by person, where the registers name them: the guardians of
 * a minor who have not said yes yet (`required` is every guardian), or the adult principal while
 * nobody has answered. Empty for an organisation: any signatory its signing rule allows may answer.
 */
export function stillAwaited(p: { principal: { type: string; id: string }; required: readonly string[]; done: readonly string[] }): string[] {
  if (p.required.length > 0) return p.required.filter((g) => !p.done.includes(g));
  if (p.principal.type === 'person' && p.done.length === 0) return [p.principal.id];
  return [];
}
