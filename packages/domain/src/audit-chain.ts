import { createHash } from 'node:crypto';

/** Deterministic JSON: keys sorted at every level, so the same entry always hashes the same. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v ?? null);
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
    .join(',')}}`;
}

export const GENESIS_HASH = '0'.repeat(64);

/** Each log entry's hash covers its content and the previous entry's hash. */
export function chainHash(prevHash: string, entry: unknown): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonicalJson(entry)).digest('hex');
}

export interface ChainedEntry {
  seq: number;
  entry: unknown;
  prevHash: string;
  hash: string;
}

export type ChainBreak = { seq: number; problem: 'changed' | 'missing-before' | 'link' };

/** Walks the chain in order; finds the first changed entry, broken link or gap. */
export function verifyChain(entries: Iterable<ChainedEntry>, firstSeq = 1): ChainBreak | null {
  let prev = GENESIS_HASH;
  let expectSeq = firstSeq;
  for (const e of entries) {
    if (e.seq !== expectSeq) return { seq: expectSeq, problem: 'missing-before' };
    if (e.prevHash !== prev) return { seq: e.seq, problem: 'link' };
    if (chainHash(e.prevHash, e.entry) !== e.hash) return { seq: e.seq, problem: 'changed' };
    prev = e.hash;
    expectSeq++;
  }
  return null;
}
