import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from './audit-chain.js';

/**
 * A signed statement "the usage log had `seq` entries and the last one hashed to `headHash`, at
 * `at`". Kept outside the database, it lets a verifier detect a log that was truncated, rewritten
 * or re-ordered up to `seq` even when the head row was rewound with it.
 */
export interface AuditCheckpoint {
  seq: number;
  headHash: string;
  at: string;
  /** Which key signed: the first 16 hex digits of the SHA-256 of the public key (SPKI DER). */
  keyId?: string;
  /** Ed25519 signature of `checkpointMessage`, base64. */
  signature: string;
}

const DOMAIN = 'puolesta-audit-checkpoint/1\n';

/** The exact bytes that are signed (a fixed prefix, so the signature means nothing elsewhere). */
export function checkpointMessage(c: Omit<AuditCheckpoint, 'signature'>): Buffer {
  return Buffer.from(DOMAIN + canonicalJson({ seq: c.seq, headHash: c.headHash, at: c.at, keyId: c.keyId ?? null }));
}

export function auditKeyId(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256').update(pub.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
}

/** Signs the head of the log with an Ed25519 private key. */
export function signCheckpoint(head: { seq: number; hash: string }, at: Date, privateKey: KeyObject): AuditCheckpoint {
  const unsigned = { seq: head.seq, headHash: head.hash, at: at.toISOString(), keyId: auditKeyId(privateKey) };
  return { ...unsigned, signature: sign(null, checkpointMessage(unsigned), privateKey).toString('base64') };
}

export function checkpointSignatureValid(c: AuditCheckpoint, publicKey: KeyObject): boolean {
  try {
    return verify(null, checkpointMessage(c), publicKey, Buffer.from(c.signature, 'base64'));
  } catch {
    return false;
  }
}

/** Reads a checkpoint from parsed JSON; names the field at fault. */
export function parseCheckpoint(v: unknown): AuditCheckpoint {
  const o = (v ?? {}) as Record<string, unknown>;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('a checkpoint must be a JSON object');
  if (typeof o.seq !== 'number' || !Number.isSafeInteger(o.seq) || o.seq < 0) throw new Error('checkpoint field "seq" must be a whole number ≥ 0');
  if (typeof o.headHash !== 'string' || !/^[0-9a-f]{64}$/.test(o.headHash)) throw new Error('checkpoint field "headHash" must be 64 hex digits');
  if (typeof o.at !== 'string' || Number.isNaN(Date.parse(o.at))) throw new Error('checkpoint field "at" must be an ISO 8601 instant');
  if (o.keyId !== undefined && typeof o.keyId !== 'string') throw new Error('checkpoint field "keyId" must be a string');
  if (typeof o.signature !== 'string' || !o.signature) throw new Error('checkpoint field "signature" must be a base64 string');
  return { seq: o.seq, headHash: o.headHash, at: o.at, ...(o.keyId !== undefined ? { keyId: o.keyId as string } : {}), signature: o.signature };
}
