/**
 * A private PostgreSQL cluster for the load and fault runs: initdb + pg_ctl on a temporary directory
 * and a free port, trust authentication on 127.0.0.1 only. Restarting or stopping it disturbs
 * nobody else's tests; `destroy()` stops it and deletes the directory.
 */
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const PG_BIN = process.env.PUOLESTA_PG_BIN ?? '/usr/lib/postgresql/15/bin';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface Cluster {
  port: number;
  dir: string;
  /** postgres://postgres@127.0.0.1:<port>/<db> */
  url(db?: string): string;
  /** `pg_ctl restart -m fast`: resolves when the server accepts connections again. */
  restart(): Promise<void>;
  destroy(): Promise<void>;
}

export async function startCluster(log: (...a: unknown[]) => void): Promise<Cluster> {
  if (!existsSync(join(PG_BIN, 'initdb'))) throw new Error(`no initdb in ${PG_BIN} (set PUOLESTA_PG_BIN)`);
  const dir = mkdtempSync(join(tmpdir(), 'puolesta-load-pg-'));
  // initdb refuses to run as root: run the server as the postgres system user then.
  const asRoot = process.getuid?.() === 0;
  const pgUser = asRoot ? await run('id', ['-u', 'postgres']).then((r) => Number(r.stdout.trim())) : null;
  if (pgUser !== null) chownSync(dir, pgUser, pgUser);
  const as = (cmd: string, args: string[]) => (asRoot ? run('runuser', ['-u', 'postgres', '--', join(PG_BIN, cmd), ...args]) : run(join(PG_BIN, cmd), args));
  const port = await freePort();
  const data = join(dir, 'data');
  await as('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync']);
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=128MB`;
  const ctl = (...args: string[]) => as('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '60', ...args]);
  await ctl('-o', opts, 'start');
  log(`private PostgreSQL on 127.0.0.1:${port} in ${dir}`);
  let destroyed = false;
  return {
    port,
    dir,
    url: (db = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${db}`,
    restart: async () => { await ctl('-m', 'fast', '-o', opts, 'restart'); },
    destroy: async () => {
      if (destroyed) return;
      destroyed = true;
      await ctl('-m', 'immediate', 'stop').catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
