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

/**
 * One usage-log entry as stored: every field a reader may rely on. The hash covers all of them
 * (see `auditContent`), so changing any stored column is a change `verifyChain` finds.
 */
export interface AuditRecord {
  seq: number;
  /** ISO 8601 instant, UTC, millisecond precision (`Date.prototype.toISOString`). */
  at: string;
  mandateId: string | null;
  event: string;
  actor: unknown;
  errandRef: string | null;
  municipality: string | null;
  apiClient: string | null;
  data: Record<string, unknown>;
}

/** The hashed form of an entry (form 2): all fields, absent ones as null, so absent ≠ forgotten. */
export function auditContent(r: AuditRecord): Record<string, unknown> {
  return {
    form: 2,
    seq: r.seq,
    at: r.at,
    mandateId: r.mandateId ?? null,
    event: r.event,
    actor: r.actor ?? null,
    errandRef: r.errandRef ?? null,
    municipality: r.municipality ?? null,
    apiClient: r.apiClient ?? null,
    data: r.data ?? {},
  };
}

export interface ChainedEntry {
  seq: number;
  entry: unknown;
  prevHash: string;
  hash: string;
}

export type ChainBreak = {
  seq: number;
  /**
   * changed: the entry's content is not what was hashed; link: its previous-hash is not the
   * previous entry's hash; missing-before: entries from `seq` on are missing (deleted, or the
   * log ends before the head or a checkpoint says it does); rewritten: the entry's hash is not
   * the one a signed checkpoint recorded, so it or an entry before it (after `after`) was
   * rewritten and the chain recomputed; unexpected: an entry past the head, which no append wrote.
   */
  problem: 'changed' | 'missing-before' | 'link' | 'rewritten' | 'unexpected';
  /** For `rewritten`: the last checkpointed entry that still matched (0 if none). */
  after?: number;
};

/** Walks a chain one entry at a time (so a long log need not be held in memory). */
export function chainVerifier(firstSeq = 1) {
  let prev = GENESIS_HASH;
  let expectSeq = firstSeq;
  return {
    push(e: ChainedEntry): ChainBreak | null {
      if (e.seq !== expectSeq) return { seq: expectSeq, problem: 'missing-before' };
      if (e.prevHash !== prev) return { seq: e.seq, problem: 'link' };
      if (chainHash(e.prevHash, e.entry) !== e.hash) return { seq: e.seq, problem: 'changed' };
      prev = e.hash;
      expectSeq++;
      return null;
    },
    /** The last verified entry (seq 0 and the genesis hash before any). */
    get last(): { seq: number; hash: string } {
      return { seq: expectSeq - 1, hash: prev };
    },
  };
}

/** Walks the chain in order; finds the first changed entry, broken link or gap. */
export function verifyChain(entries: Iterable<ChainedEntry>, firstSeq = 1): ChainBreak | null {
  const v = chainVerifier(firstSeq);
  for (const e of entries) {
    const br = v.push(e);
    if (br) return br;
  }
  return null;
}
