/**
 * Backup and restore (issue 12, item 8; docs/decisions/0021).
 * - PGlite: the data directory as PGlite dumps it (`dumpDataDir`, a gzipped tar), loaded again
 *   with `loadDataDir` into a new, empty data directory.
 * - PostgreSQL: `pg_dump -Fc` of the configured schema and `pg_restore` (the machine's PostgreSQL
 *   client tools), into an empty schema; when the target schema's name differs from the backed-up
 *   one, the restored schema is renamed.
 * A restore goes into an empty target only, unless forced: then the old PGlite directory is moved
 * aside (not deleted), and the old PostgreSQL schema is dropped.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, openSync, readSync, closeSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { createSchema, dropSchema, relationsInSchema, renameSchema, schemaExists } from '../repositories/backup.repository.js';

/** A problem the operator can fix (exit code 2): the message says what to do. */
export class BackupProblem extends Error {}

export interface Target {
  /** postgres://… for PostgreSQL; unset: PGlite in `dataDir`. */
  url?: string | undefined;
  dataDir: string;
  /** PostgreSQL schema (PUOLESTA_DB_SCHEMA). */
  schema: string;
}

export type BackupKind = 'pglite' | 'postgres';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]*$/;

/** What kind of backup a file holds, by its first bytes. */
export function kindOfFile(file: string): BackupKind | null {
  const head = Buffer.alloc(5);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, head, 0, 5, 0);
  } finally {
    closeSync(fd);
  }
  if (head.toString('latin1') === 'PGDMP') return 'postgres';
  if (head[0] === 0x1f && head[1] === 0x8b) return 'pglite';
  return null;
}

/** libpq's environment for a connection URL: the password is not put on a command line (other users could read it). */
function libpqEnv(url: string): NodeJS.ProcessEnv {
  const u = new URL(url);
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (u.hostname) env.PGHOST = decodeURIComponent(u.hostname);
  if (u.port) env.PGPORT = u.port;
  if (u.username) env.PGUSER = decodeURIComponent(u.username);
  if (u.password) env.PGPASSWORD = decodeURIComponent(u.password);
  const db = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (db) env.PGDATABASE = db;
  const sslmode = u.searchParams.get('sslmode');
  if (sslmode) env.PGSSLMODE = sslmode;
  return env;
}

/** Runs a PostgreSQL client tool; a missing tool is named, with how to get it. */
function runTool(tool: 'pg_dump' | 'pg_restore', args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    child.on('error', (e: NodeJS.ErrnoException) => {
      reject(e.code === 'ENOENT'
        ? new BackupProblem(`${tool} was not found: install the PostgreSQL client tools of the server's major version or newer (Debian: apt-get install postgresql-client) and put them on PATH`)
        : e);
    });
    child.on('close', (code) => {
      if (code === 0) resolve(out);
      else reject(new BackupProblem(`${tool} failed (exit ${code}): ${err.trim().split('\n').slice(-5).join(' | ')}`));
    });
  });
}

function checkSchemaName(schema: string) {
  if (!SCHEMA_NAME.test(schema)) throw new BackupProblem(`bad schema name ${schema}`);
}

/** Writes `out` only when complete (a `.partial` file first), readable by its owner only: a backup holds personal data. */
async function writeWhole(out: string, force: boolean, write: (partial: string) => Promise<void>): Promise<number> {
  if (existsSync(out) && !force) throw new BackupProblem(`${out} exists: give another file, or --force to replace it`);
  const partial = `${out}.partial`;
  rmSync(partial, { force: true });
  try {
    await write(partial);
    chmodSync(partial, 0o600);
    renameSync(partial, out);
  } catch (e) {
    rmSync(partial, { force: true });
    throw e;
  }
  return statSync(out).size;
}

export async function backup(target: Target, out: string, opts: { force?: boolean } = {}): Promise<{ kind: BackupKind; bytes: number }> {
  if (target.url) {
    checkSchemaName(target.schema);
    const url = target.url;
    // A consistent snapshot of the schema while the app keeps running; custom format (compressed, pg_restore picks what to restore).
    const bytes = await writeWhole(out, opts.force ?? false, async (partial) => {
      await runTool('pg_dump', ['--format=custom', `--schema=${target.schema}`, '--no-owner', '--no-privileges', `--file=${partial}`], libpqEnv(url));
    });
    return { kind: 'postgres', bytes };
  }
  const dir = target.dataDir;
  if (dir.startsWith('memory://')) throw new BackupProblem('an in-memory database has nothing to back up');
  if (!existsSync(`${dir}/PG_VERSION`)) throw new BackupProblem(`${dir} is not a PGlite data directory (no PG_VERSION): set PUOLESTA_DATA_DIR`);
  const bytes = await writeWhole(out, opts.force ?? false, async (partial) => {
    // PGlite is one process's database: the app must be stopped while its directory is copied.
    const pgl = await PGlite.create(dir);
    try {
      const file = await pgl.dumpDataDir('gzip');
      writeFileSync(partial, Buffer.from(await file.arrayBuffer()), { mode: 0o600 });
    } finally {
      await pgl.close();
    }
  });
  return { kind: 'pglite', bytes };
}

/** The schema a pg_dump archive holds (its one `SCHEMA` entry). */
async function schemaOfArchive(file: string, env: NodeJS.ProcessEnv): Promise<{ schema: string; list: string }> {
  const list = await runTool('pg_restore', ['--list', file], env);
  const schemas = [...list.matchAll(/^\d+; \d+ \d+ SCHEMA - (\S+) /gm)].map((m) => m[1]!);
  if (schemas.length !== 1) throw new BackupProblem(`${file} holds ${schemas.length} schemas; a backup made by npm run backup holds one`);
  return { schema: schemas[0]!, list };
}

export interface RestoreResult { kind: BackupKind; movedAside?: string; from?: string }

export async function restore(target: Target, from: string, opts: { force?: boolean } = {}): Promise<RestoreResult> {
  if (!existsSync(from)) throw new BackupProblem(`cannot read ${from}`);
  const kind = kindOfFile(from);
  if (kind === null) throw new BackupProblem(`${from} is not a backup made by npm run backup (neither a pg_dump archive nor a PGlite data directory)`);
  const wanted: BackupKind = target.url ? 'postgres' : 'pglite';
  if (kind !== wanted) {
    throw new BackupProblem(kind === 'pglite'
      ? `${from} is a backup of an embedded (PGlite) database: restore it with DATABASE_URL unset, into PUOLESTA_DATA_DIR`
      : `${from} is a backup of a PostgreSQL database: restore it with DATABASE_URL set`);
  }
  return target.url ? restorePostgres(target.url, target.schema, from, opts.force ?? false) : restorePglite(target.dataDir, from, opts.force ?? false);
}

async function restorePglite(dir: string, from: string, force: boolean): Promise<RestoreResult> {
  if (dir.startsWith('memory://')) throw new BackupProblem('set PUOLESTA_DATA_DIR to the directory to restore into');
  let movedAside: string | undefined;
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    if (!force) throw new BackupProblem(`${dir} is not empty: restore into an empty or new PUOLESTA_DATA_DIR, or give --force to move the present one aside`);
    movedAside = `${dir.replace(/\/+$/, '')}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    renameSync(dir, movedAside);
  }
  try {
    const pgl = await PGlite.create(dir, { loadDataDir: new Blob([readFileSync(from)]) });
    await pgl.query('select 1');
    await pgl.close();
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    if (movedAside) renameSync(movedAside, dir);
    throw new BackupProblem(`${from} could not be loaded: ${(e as Error).message}`);
  }
  return movedAside ? { kind: 'pglite', movedAside } : { kind: 'pglite' };
}

async function restorePostgres(url: string, schema: string, from: string, force: boolean): Promise<RestoreResult> {
  checkSchemaName(schema);
  const env = libpqEnv(url);
  const { schema: source, list } = await schemaOfArchive(from, env);
  checkSchemaName(source);
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    if (await relationsInSchema(c, schema) > 0) {
      if (!force) throw new BackupProblem(`schema ${schema} of the target database is not empty: restore into an empty schema or database, or give --force to drop what is there`);
      await dropSchema(c, schema, true);
      if (schema === 'public') await createSchema(c, schema);
    }
    if (source !== schema) {
      if (await schemaExists(c, source)) throw new BackupProblem(`the backup is of schema ${source}, which exists in the target database: restore into another database, or set PUOLESTA_DB_SCHEMA=${source}`);
      // An empty target schema makes way for the renamed one.
      if (await schemaExists(c, schema)) await dropSchema(c, schema, false);
    }
    await createSchema(c, source);
    // Everything but the schema itself (made above: `public` always exists), in one transaction: all or nothing.
    const listFile = `${from}.restore-list`;
    writeFileSync(listFile, list.split('\n').filter((l) => !/^\d+; \d+ \d+ (SCHEMA|COMMENT) - /.test(l)).join('\n'));
    try {
      await runTool('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', `--use-list=${listFile}`, `--dbname=${env.PGDATABASE ?? ''}`, from], env);
    } catch (e) {
      if (source !== schema) await dropSchema(c, source, true).catch(() => {});
      throw e;
    } finally {
      rmSync(listFile, { force: true });
    }
    if (source !== schema) await renameSchema(c, source, schema);
  } finally {
    await c.end();
  }
  return { kind: 'postgres', from: source };
}
