/**
 * Command line: `tsx packages/server/src/cli.ts <command>` (npm scripts wrap these).
 *   audit-verify [--checkpoint FILE]…  recompute the usage log's hash chain; with signed checkpoints
 *                                      also catch a log cut short or rewritten up to them; exit 1
 *                                      naming the first bad entry
 *   audit-checkpoint                   print a signed checkpoint of the log's head as one JSON line
 *   generate --persons N               write a synthetic population into the database (see registers/generate-cli.ts)
 *   migrate                            apply every migration this build knows that the database lacks (the
 *                                      Kubernetes migration Job; API and worker then run with PUOLESTA_MIGRATE=off)
 *   backup --out FILE [--force]        back up the configured database (PGlite data directory, or pg_dump of
 *                                      PUOLESTA_DB_SCHEMA) into FILE, readable by its owner only
 *   restore --from FILE [--force] [--checkpoint FILE]…
 *                                      restore FILE into the configured database, which must be empty (--force:
 *                                      move a PGlite directory aside / drop the schema), then verify the usage log
 * Exit codes: 0 fine, 1 the log does not verify, 2 usage or configuration error.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { auditKeyId, checkpointSignatureValid, parseCheckpoint, signCheckpoint, type AuditCheckpoint, type ChainBreak } from '@puolesta/domain';
import { configFromEnv, type Config } from './config.js';
import { openDatabase } from './db/database.js';
import { knownMigrations, pendingMigrations } from './db/migrate.js';
import { backup as backupDatabase, BackupProblem, restore as restoreDatabase } from './db/backup.js';
import { auditHead, verifyAuditLog } from './repositories/audit.repository.js';

const [command, ...args] = process.argv.slice(2);

class UsageError extends Error {}

function describe(br: ChainBreak): string {
  switch (br.problem) {
    case 'changed': return 'the entry was changed';
    case 'link': return 'the chain link does not match the previous entry';
    case 'missing-before': return 'an entry is missing';
    case 'unexpected': return 'the entry is past the head: no append wrote it';
    case 'erased-unrecorded': return 'its personal part was erased, but no retention entry records erasing it';
    case 'rewritten': return `its hash is not the one the signed checkpoint recorded: an entry from ${(br.after ?? 0) + 1} to ${br.seq} was rewritten or re-ordered`;
  }
}

function signingKey(config: Config): KeyObject {
  if (!config.auditSigningKey) throw new UsageError('PUOLESTA_AUDIT_SIGNING_KEY is not set: give the Ed25519 private key (PEM, PKCS#8) that signs checkpoints');
  let key: KeyObject;
  try {
    key = createPrivateKey(config.auditSigningKey);
  } catch {
    throw new UsageError('PUOLESTA_AUDIT_SIGNING_KEY is not a private key in PEM (PKCS#8)');
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new UsageError('PUOLESTA_AUDIT_SIGNING_KEY must be an Ed25519 key');
  return key;
}

function verifyKey(config: Config): KeyObject {
  if (config.auditVerifyKey) {
    let key: KeyObject;
    try {
      key = createPublicKey(config.auditVerifyKey);
    } catch {
      throw new UsageError('PUOLESTA_AUDIT_VERIFY_KEY is not a public key in PEM (SPKI)');
    }
    if (key.asymmetricKeyType !== 'ed25519') throw new UsageError('PUOLESTA_AUDIT_VERIFY_KEY must be an Ed25519 key');
    return key;
  }
  if (config.auditSigningKey) return createPublicKey(signingKey(config));
  throw new UsageError('to check a checkpoint set PUOLESTA_AUDIT_VERIFY_KEY (Ed25519 public key, PEM SPKI) or PUOLESTA_AUDIT_SIGNING_KEY');
}

/** A checkpoint file: one checkpoint, a JSON array of them, or one per line (`audit:checkpoint >> file`). */
function readCheckpoints(file: string): AuditCheckpoint[] {
  const path = fromCwd(file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UsageError(`cannot read checkpoint file ${file}`);
  }
  let values: unknown[];
  try {
    const whole = JSON.parse(text);
    values = Array.isArray(whole) ? whole : [whole];
  } catch {
    const lines = text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('>')); // npm's "> script" banner
    try {
      values = lines.map((l) => JSON.parse(l));
    } catch {
      throw new UsageError(`${file} is not JSON: give the output of npm run -s audit:checkpoint`);
    }
  }
  if (!values.length) throw new UsageError(`${file} holds no checkpoint`);
  return values.map((v, i) => {
    try {
      return parseCheckpoint(v);
    } catch (e) {
      throw new UsageError(`${file}, checkpoint ${i + 1}: ${(e as Error).message}`);
    }
  });
}

async function withDatabase<T>(config: Config, f: (db: Awaited<ReturnType<typeof openDatabase>>['db']) => Promise<T>): Promise<T> {
  const h = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, schema: config.dbSchema });
  try {
    return await f(h.db);
  } finally {
    await h.close();
  }
}

async function auditVerify() {
  const { values } = parseArgs({ args, options: { checkpoint: { type: 'string', multiple: true } }, strict: true });
  await verifyLog(configFromEnv(), values.checkpoint ?? []);
}

const fromCwd = (file: string) => resolve(process.env.INIT_CWD ?? process.cwd(), file);

async function backupCommand() {
  const config = configFromEnv();
  const { values } = parseArgs({ args, options: { out: { type: 'string' }, force: { type: 'boolean' } }, strict: true });
  if (!values.out) throw new UsageError('usage: npm run backup -- --out FILE [--force]');
  const out = fromCwd(values.out);
  const r = await backupDatabase({ url: config.databaseUrl, dataDir: config.dataDir, schema: config.dbSchema }, out, { force: values.force ?? false });
  const what = r.kind === 'postgres' ? `schema ${config.dbSchema} (pg_dump, custom format)` : `PGlite data directory ${config.dataDir}`;
  console.log(`backed up ${what} to ${out} (${r.bytes} bytes). It holds personal data: keep it encrypted and delete it with the retention period.`);
}

async function restoreCommand() {
  const config = configFromEnv();
  const { values } = parseArgs({ args, options: { from: { type: 'string' }, force: { type: 'boolean' }, checkpoint: { type: 'string', multiple: true } }, strict: true });
  if (!values.from) throw new UsageError('usage: npm run restore -- --from FILE [--force] [--checkpoint FILE]');
  const from = fromCwd(values.from);
  const r = await restoreDatabase({ url: config.databaseUrl, dataDir: config.dataDir, schema: config.dbSchema }, from, { force: values.force ?? false });
  const into = r.kind === 'postgres' ? `schema ${config.dbSchema}${r.from && r.from !== config.dbSchema ? ` (backed up as ${r.from})` : ''}` : `PGlite data directory ${config.dataDir}`;
  console.log(`restored ${from} into ${into}${r.movedAside ? `; the previous directory is now ${r.movedAside}` : ''}`);
  await verifyLog(config, values.checkpoint ?? []);
  if (!values.checkpoint?.length && !process.exitCode) console.log('verify it against your signed checkpoints: npm run audit:verify -- --checkpoint FILE');
}

async function verifyLog(config: Config, files: string[]) {
  const checkpoints = files.flatMap(readCheckpoints);
  if (checkpoints.length) {
    const key = verifyKey(config);
    const id = auditKeyId(key);
    for (const c of checkpoints) {
      if (c.keyId !== undefined && c.keyId !== id) {
        console.error(`checkpoint of ${c.at} (entry ${c.seq}) was signed by key ${c.keyId}, not by the configured key ${id}`);
        process.exitCode = 1;
        return;
      }
      if (!checkpointSignatureValid(c, key)) {
        console.error(`checkpoint of ${c.at} (entry ${c.seq}) has an invalid signature: it was altered or signed by another key`);
        process.exitCode = 1;
        return;
      }
    }
  }
  const r = await withDatabase(config, (db) => verifyAuditLog(db, { checkpoints }));
  if (r.break) {
    console.error(`audit log BROKEN at entry ${r.break.seq}: ${describe(r.break)} (${r.entries} entries read)`);
    process.exitCode = 1;
  } else {
    const upTo = checkpoints.length ? `; matches ${checkpoints.length === 1 ? 'the signed checkpoint' : `${checkpoints.length} signed checkpoints`} up to entry ${Math.max(...checkpoints.map((c) => c.seq))}` : '';
    console.log(`audit log OK: ${r.entries} entries, chain intact${upTo}`);
  }
}

/** Signs the head only after the chain up to it verifies: a checkpoint vouches for a sound log. */
async function auditCheckpoint() {
  const config = configFromEnv();
  const key = signingKey(config);
  await withDatabase(config, async (db) => {
    const head = await auditHead(db);
    const r = await verifyAuditLog(db, { upTo: head.seq, checkpoints: [{ seq: head.seq, headHash: head.hash }] });
    if (r.break) {
      console.error(`audit log BROKEN at entry ${r.break.seq}: ${r.break.problem === 'rewritten' ? 'its hash is not the head\'s' : describe(r.break)}; no checkpoint signed`);
      process.exitCode = 1;
      return;
    }
    console.log(JSON.stringify(signCheckpoint(head, new Date(), key)));
  });
}

try {
  switch (command) {
    case 'audit-verify':
      await auditVerify();
      break;
    case 'audit-checkpoint':
      await auditCheckpoint();
      break;
    case 'migrate': {
      // Opening the database applies what is missing (one process at a time: Kysely's migration lock).
      const config = configFromEnv();
      const h = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, schema: config.dbSchema });
      const pending = await pendingMigrations(h.db, h.schema);
      await h.close();
      if (pending.length) throw new Error(`migrations not applied: ${pending.join(', ')}`);
      console.log(`migrations applied: ${knownMigrations.length} known, none pending (schema ${config.dbSchema})`);
      break;
    }
    case 'backup':
      await backupCommand();
      break;
    case 'restore':
      await restoreCommand();
      break;
    case 'generate': {
      const { main } = await import('./registers/generate-cli.js');
      await main(args);
      break;
    }
    default:
      throw new UsageError('usage: cli.ts audit-verify [--checkpoint FILE] | audit-checkpoint | migrate | generate --persons N | backup --out FILE [--force] | restore --from FILE [--force] [--checkpoint FILE]');
  }
} catch (e) {
  if (!(e instanceof UsageError) && !(e instanceof BackupProblem) && !(e instanceof TypeError && (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))) throw e;
  console.error(e.message);
  process.exitCode = 2;
}
