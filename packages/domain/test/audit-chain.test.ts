import { describe, expect, it } from 'vitest';
import { chainHash, GENESIS_HASH, verifyChain, canonicalJson } from '../src/index.js';

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
