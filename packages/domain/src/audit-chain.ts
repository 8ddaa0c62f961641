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
 * (see `auditContent`), so changing any stored column is a change `verifyChain` finds. `actor` and
 * `data` are the entry's personal part: the hash covers them through `personalDigest`, so that
 * retention can erase them (decision 0017) while the chain still verifies.
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
  /** Random salt of the personal part (hex); null once the personal part has been erased. */
  personalSalt: string | null;
  /** `personalDigest(personalSalt, {actor, data})`, kept when the personal part is erased. */
  personalDigest: string;
}

/** An erased entry's actor; its data is `{}`. */
export const ERASED_ACTOR = Object.freeze({ kind: 'erased' as const });

/**
 * The digest of an entry's personal part. Salted with a random value stored beside it and erased
 * with it: identity codes are few enough to guess, so an unsalted digest would keep them.
 */
export function personalDigest(salt: string, personal: { actor: unknown; data: Record<string, unknown> }): string {
  return createHash('sha256').update('puolesta-audit-personal/1\n').update(salt).update('\n')
    .update(canonicalJson({ actor: personal.actor ?? null, data: personal.data ?? {} })).digest('hex');
}

/**
 * Whether an entry's stored personal part is what its digest says: present and matching, or erased
 * (no salt, the erased actor and empty data — an erased entry cannot be made to say anything).
 */
export function personalPartIntact(r: Pick<AuditRecord, 'actor' | 'data' | 'personalSalt' | 'personalDigest'>): boolean {
  if (r.personalSalt === null) return canonicalJson(r.actor) === canonicalJson(ERASED_ACTOR) && canonicalJson(r.data ?? {}) === '{}';
  return personalDigest(r.personalSalt, { actor: r.actor, data: r.data }) === r.personalDigest;
}

/**
 * The hashed form of an entry (form 3): all fields, absent ones as null, so absent ≠ forgotten; the
 * personal part (actor, data) by its digest.
 */
export function auditContent(r: Pick<AuditRecord, 'seq' | 'at' | 'mandateId' | 'event' | 'errandRef' | 'municipality' | 'apiClient' | 'personalDigest'>): Record<string, unknown> {
  return {
    form: 3,
    seq: r.seq,
    at: r.at,
    mandateId: r.mandateId ?? null,
    event: r.event,
    errandRef: r.errandRef ?? null,
    municipality: r.municipality ?? null,
    apiClient: r.apiClient ?? null,
    personal: r.personalDigest,
  };
}

/** The hashed form before migration 0014 (form 2): the personal part itself. Only migrations use it. */
export function auditContentForm2(r: Omit<AuditRecord, 'personalSalt' | 'personalDigest'>): Record<string, unknown> {
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
   * rewritten and the chain recomputed; unexpected: an entry past the head, which no append wrote;
   * erased-unrecorded: the entry's personal part was erased but no `retention.erased` entry says so.
   */
  problem: 'changed' | 'missing-before' | 'link' | 'rewritten' | 'unexpected' | 'erased-unrecorded';
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
