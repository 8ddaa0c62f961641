import { describe, expect, it } from 'vitest';
import { allowedOverrides, assertNotLooser, DomainError, guidance, isNotLooser, parsePolicy, POLICY_SCALE, strictness, type Policy } from '../src/index.js';

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
  it('offers a municipality exactly the overrides the refusal lets through', () => {
    expect(POLICY_SCALE).toEqual(scale);
    for (const common of scale) {
      const allowed = allowedOverrides(common);
      expect(allowed.length).toBe(scale.length - strictness(common));
      const has = (p: Policy) => allowed.some((a) => JSON.stringify(a) === JSON.stringify(p));
      for (const p of scale) {
        expect(isNotLooser(p, common)).toBe(has(p));
        if (has(p)) expect(() => assertNotLooser(p, common)).not.toThrow();
        else expect(() => assertNotLooser(p, common)).toThrow(DomainError);
      }
    }
    expect(allowedOverrides({ kind: 'mandate' })).toEqual([{ kind: 'mandate' }, { kind: 'multi-signature' }]);
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
