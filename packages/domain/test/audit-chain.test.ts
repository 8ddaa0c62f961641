import { describe, expect, it } from 'vitest';
import { auditContent, chainHash, ERASED_ACTOR, GENESIS_HASH, personalDigest, personalPartIntact, verifyChain, canonicalJson } from '../src/index.js';

function chain(n: number) {
  const out = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const entry = { seq, event: 'used', data: { errandRef: `E-${seq}` } };
    const hash = chainHash(prev, entry);
    out.push({ seq, entry, prevHash: prev, hash });
    prev = hash;
  }
  return out;
}

describe('tamper-evident chain', () => {
  it('verifies an intact chain', () => expect(verifyChain(chain(5))).toBeNull());
  it('finds a changed entry', () => {
    const c = chain(5);
    (c[2]!.entry as any).data.errandRef = 'forged';
    expect(verifyChain(c)).toEqual({ seq: 3, problem: 'changed' });
  });
  it('finds a deleted entry', () => {
    const c = chain(5);
    c.splice(1, 1);
    expect(verifyChain(c)).toEqual({ seq: 2, problem: 'missing-before' });
  });
  it('finds an entry recomputed without its successors', () => {
    const c = chain(5);
    (c[1]!.entry as any).event = 'revoked';
    c[1]!.hash = chainHash(c[1]!.prevHash, c[1]!.entry);
    expect(verifyChain(c)).toEqual({ seq: 3, problem: 'link' });
  });
  it('hashes the same content the same whatever the key order', () => {
    expect(canonicalJson({ b: 1, a: [{ y: 2, x: 1 }] })).toBe(canonicalJson({ a: [{ x: 1, y: 2 }], b: 1 }));
  });
});

describe('the personal part of an entry is hashed by a salted digest (decision 0017)', () => {
  const personal = { actor: { kind: 'person', id: '010144-123N' }, data: { issues: ['housing'] } };
  const record = (over: Partial<Parameters<typeof personalPartIntact>[0]> = {}) =>
    ({ ...personal, personalSalt: 'aa'.repeat(16), personalDigest: personalDigest('aa'.repeat(16), personal), ...over });

  it('a stored part matches its digest; a changed actor or data does not', () => {
    expect(personalPartIntact(record())).toBe(true);
    expect(personalPartIntact(record({ actor: { kind: 'person', id: '020255-456M' } }))).toBe(false);
    expect(personalPartIntact(record({ data: { issues: ['health'] } }))).toBe(false);
  });

  it('the salt matters: the same person in two entries gives two digests, so a digest cannot be looked up by guessing codes', () => {
    expect(personalDigest('aa'.repeat(16), personal)).not.toBe(personalDigest('bb'.repeat(16), personal));
  });

  it('an erased part (no salt) holds only the erased actor and no data; the hash is the same before and after erasure', () => {
    const before = record();
    const erased = { ...before, actor: ERASED_ACTOR, data: {}, personalSalt: null };
    expect(personalPartIntact(erased)).toBe(true);
    expect(personalPartIntact({ ...erased, actor: { kind: 'person', id: '020255-456M' } })).toBe(false);
    expect(personalPartIntact({ ...erased, data: { note: 'made up' } })).toBe(false);
    const rest = { seq: 1, at: '2027-01-01T00:00:00.000Z', mandateId: 'm', event: 'granted', errandRef: null, municipality: null, apiClient: null };
    expect(chainHash(GENESIS_HASH, auditContent({ ...rest, ...erased }))).toBe(chainHash(GENESIS_HASH, auditContent({ ...rest, ...before })));
  });
});
