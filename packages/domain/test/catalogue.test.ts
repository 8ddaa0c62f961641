import { describe, expect, it } from 'vitest';
import { assertNotLooser, DomainError, guidance, parsePolicy, strictness, type Policy } from '../src/index.js';

const scale: Policy[] = [
  { kind: 'no-need' },
  { kind: 'alone', alternative: 'attest' },
  { kind: 'alone', alternative: 'notify' },
  { kind: 'alone', alternative: 'confirm' },
  { kind: 'mandate' },
  { kind: 'multi-signature' },
];

describe('policy strictness', () => {
  it('orders the policies from least to most asked of people', () => {
    expect(scale.map(strictness)).toEqual([0, 1, 2, 3, 4, 5]);
  });
  it('allows equal or stricter overrides and refuses looser ones, for every pair', () => {
    for (const [i, common] of scale.entries()) {
      for (const [j, override] of scale.entries()) {
        const attempt = () => assertNotLooser(override, common);
        if (j >= i) expect(attempt).not.toThrow();
        else expect(attempt).toThrow(DomainError);
      }
    }
  });
  it('reads policies strictly', () => {
    expect(parsePolicy({ kind: 'alone', alternative: 'notify' })).toEqual({ kind: 'alone', alternative: 'notify' });
    expect(() => parsePolicy({ kind: 'alone' })).toThrow(/alternative/);
    expect(() => parsePolicy({ kind: 'no-need', alternative: 'notify' })).toThrow(/alternative/);
    expect(() => parsePolicy({ kind: 'maybe' })).toThrow(/kind/);
  });
  it('has guidance in three languages for every policy', () => {
    const names = [{ fi: 'Asumisasiat', sv: 'Boendeärenden', en: 'Housing' }];
    const texts = scale.map((p) => guidance(p, 'owners-of-property', names));
    for (const t of texts) for (const l of ['fi', 'sv', 'en'] as const) expect(t[l]).toMatch(/\.$/);
    expect(new Set(texts.map((t) => t.en)).size).toBe(scale.length);
  });
});
