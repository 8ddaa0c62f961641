/**
 * The system under load, as deployed: API processes (`npm run serve`, PUOLESTA_WORKER=off) and
 * outbox workers (`npm run worker`) as child processes over one private PostgreSQL, a generated
 * population, and the channels' simulators (SMTP, Suomi.fi Messages, SMS gateway, print service)
 * running once, in the driver's process, as the workers' real delivery endpoints. One API process
 * may reach the database through a proxy that can be cut (the partition fault).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { helsinkiDate } from '@puolesta/domain';
import { configFromEnv } from '../../src/config.js';
import { openDatabase, sql, type DatabaseHandle } from '../../src/db/database.js';
import { startDemoChannels } from '../../src/notifications/wiring.js';
import { writePopulation } from '../../src/registers/generate.js';
import type { Simulators } from '../../src/simulators/index.js';
import { freePort, startCluster, type Cluster } from './cluster.js';
import { startProxy, type Proxy } from './proxy.js';

export const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const API_MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const WORKER_MAIN = fileURLToPath(new URL('../../src/worker-main.ts', import.meta.url));

export interface SystemOptions {
  apis: number;
  workers: number;
  persons: number;
  /** Put the last API process behind a cuttable proxy. */
  proxyLast: boolean;
  /** Outbox lease (ms): how soon a dead worker's claimed deliveries are taken by another. */
  notifyLeaseMs: number;
  log: (...a: unknown[]) => void;
}

export interface Proc {
  name: string;
  child: ChildProcess;
  logFile: string;
  port?: number;
  startedAt: number;
  /** Seconds from spawn to answering /health (API) or the start line (worker). */
  startSeconds?: number;
  exited: boolean;
}

export interface Pools {
  /** Adults who may grant and receive mandates (not anyone's ward). */
  adults: string[];
  /** Properties with two adult person owners, with the property's municipality. */
  properties: { id: string; municipality: string; owners: [string, string] }[];
}

export class System {
  cluster!: Cluster;
  h!: DatabaseHandle;
  proxy: Proxy | null = null;
  simulators!: Simulators;
  apis: Proc[] = [];
  workers: Proc[] = [];
  pools!: Pools;
  private all = new Set<Proc>();
  private workerEnv: Record<string, string> = {};
  private seq = 0;
  /** The processes' logs (kept when a run fails or PUOLESTA_LOAD_KEEP_LOGS=1). */
  readonly logDir = mkdtempSync(join(tmpdir(), 'puolesta-load-logs-'));
  keepLogs = process.env.PUOLESTA_LOAD_KEEP_LOGS === '1';

  constructor(readonly o: SystemOptions) {}

  get dbUrl() { return this.cluster.url('puolesta'); }

  async start(): Promise<void> {
    const { log } = this.o;
    this.cluster = await startCluster(log);
    const admin = new pg.Client({ connectionString: this.cluster.url() });
    await admin.connect();
    await admin.query('create database puolesta');
    await admin.end();
    this.h = await openDatabase({ url: this.dbUrl, poolSize: 4 });
    const referenceDate = helsinkiDate(Date.now());
    log(`generating ${this.o.persons} persons …`);
    const s = await writePopulation(this.h, { persons: this.o.persons, mandatesPerPerson: 1, seed: 'load', referenceDate, url: this.dbUrl });
    log(`generated ${s.persons} persons, ${s.mandates} mandates, ${s.properties} properties in ${s.seconds.toFixed(1)} s`);
    // The generator gives nobody contact details: about a third of the people prefer e-mail (the
    // rest get Suomi.fi Messages, or paper), so that every channel carries messages.
    await sql`update persons set contact = jsonb_build_object('preferredChannel', 'email', 'email', 'p' || substr(md5(id), 1, 12) || '@example.fi', 'phone', null)
      where substr(md5(id), 1, 1) < '6'`.execute(this.h.db);
    this.pools = await pickPools(this.h, referenceDate);
    log(`${this.pools.adults.length} adults, ${this.pools.properties.length} co-owned properties for the journeys`);

    // The channels' simulators, once (Suomi.fi mailboxes for the adults, as in the demo).
    const demo = await startDemoChannels(this.h.db, configFromEnv({}).notify, new Date());
    this.simulators = demo.simulators;
    const n = demo.notify;
    this.workerEnv = {
      PUOLESTA_SMTP_URL: n.smtpUrl!,
      PUOLESTA_SUOMIFI_MESSAGES_URL: n.suomifi!.url, PUOLESTA_SUOMIFI_MESSAGES_USERNAME: n.suomifi!.username,
      PUOLESTA_SUOMIFI_MESSAGES_PASSWORD: n.suomifi!.password, PUOLESTA_SUOMIFI_MESSAGES_SERVICE_ID: n.suomifi!.serviceId,
      PUOLESTA_SMS_URL: n.sms!.url, PUOLESTA_SMS_TOKEN: n.sms!.token,
      PUOLESTA_PRINT_URL: n.print!.url,
    };
    if (this.o.proxyLast) this.proxy = await startProxy({ host: '127.0.0.1', port: this.cluster.port });

    const starts: Promise<Proc>[] = [];
    for (let i = 0; i < this.o.apis; i++) {
      const viaProxy = this.o.proxyLast && i === this.o.apis - 1;
      starts.push(this.startApi(`api-${i + 1}`, await freePort(), viaProxy));
    }
    this.apis = await Promise.all(starts);
    this.workers = await Promise.all(Array.from({ length: this.o.workers }, (_, i) => this.startWorker(`worker-${i + 1}`)));
    log(`${this.apis.length} API processes (ports ${this.apis.map((a) => a.port).join(', ')}; up ${this.apis.map((a) => a.startSeconds?.toFixed(1)).join(' / ')} s after spawn) and ${this.workers.length} workers up`);
  }

  private spawnTs(name: string, main: string, env: Record<string, string>): Proc {
    const logFile = join(this.logDir, `${name}.${++this.seq}.log`);
    const fd = openSync(logFile, 'a');
    const child = spawn(process.execPath, [...(main === API_MAIN ? ['--min-semi-space-size=16'] : []), '--import', 'tsx', main], {
      cwd: ROOT, stdio: ['ignore', fd, fd],
      env: { ...process.env, PUOLESTA_MODE: 'demo', LOG_LEVEL: process.env.LOG_LEVEL ?? 'info', ...env },
    });
    closeSync(fd);
    const p: Proc = { name, child, logFile, startedAt: Date.now(), exited: false };
    child.once('exit', () => { p.exited = true; this.all.delete(p); });
    this.all.add(p);
    return p;
  }

  async startApi(name: string, port: number, viaProxy = false): Promise<Proc> {
    const url = viaProxy && this.proxy ? `postgres://postgres@127.0.0.1:${this.proxy.port}/puolesta` : this.dbUrl;
    const p = this.spawnTs(name, API_MAIN, { PORT: String(port), DATABASE_URL: url, PUOLESTA_WORKER: 'off', PUOLESTA_SIMULATORS: 'off' });
    p.port = port;
    const deadline = Date.now() + 240_000;
    for (;;) {
      if (p.exited) throw new Error(`${name} exited at start: ${readFileSync(p.logFile, 'utf8').slice(-2000)}`);
      const ok = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(1000) }).then((r) => r.ok, () => false);
      if (ok) { p.startSeconds = (Date.now() - p.startedAt) / 1000; return p; }
      if (Date.now() > deadline) throw new Error(`${name} not up in 240 s`);
      await sleep(100);
    }
  }

  async startWorker(name: string): Promise<Proc> {
    const p = this.spawnTs(name, WORKER_MAIN, {
      DATABASE_URL: this.dbUrl, ...this.workerEnv,
      PUOLESTA_NOTIFY_LEASE_MS: String(this.o.notifyLeaseMs), PUOLESTA_NOTIFY_POLL_MS: '250',
      // Deliveries that failed while the database was away are tried again within the run.
      PUOLESTA_NOTIFY_RETRY_BASE_MS: '1000', PUOLESTA_NOTIFY_RETRY_MAX_MS: '5000',
    });
    const deadline = Date.now() + 240_000;
    while (!readFileSync(p.logFile, 'utf8').includes('outbox worker started')) {
      if (p.exited) throw new Error(`${name} exited at start: ${readFileSync(p.logFile, 'utf8').slice(-2000)}`);
      if (Date.now() > deadline) throw new Error(`${name} not up in 240 s`);
      await sleep(100);
    }
    p.startSeconds = (Date.now() - p.startedAt) / 1000;
    return p;
  }

  /** The worker's outbox node id (from its start line). */
  workerNode(p: Proc): string | null {
    const line = readFileSync(p.logFile, 'utf8').split('\n').find((l) => l.includes('outbox worker started'));
    try { return line ? (JSON.parse(line) as { node?: string }).node ?? null : null; } catch { return null; }
  }

  kill(p: Proc): void {
    p.child.kill('SIGKILL');
  }

  async stop(): Promise<void> {
    const procs = [...this.all];
    for (const p of procs) p.child.kill('SIGTERM');
    await Promise.race([Promise.all(procs.map((p) => (p.exited ? null : new Promise((r) => p.child.once('exit', r))))), sleep(15_000)]);
    for (const p of this.all) p.child.kill('SIGKILL');
    await this.proxy?.close();
    await this.simulators?.close();
    await this.h?.close().catch(() => {});
    await this.cluster?.destroy();
    if (this.keepLogs) this.o.log(`process logs kept in ${this.logDir}`);
    else rmSync(this.logDir, { recursive: true, force: true });
  }
}

async function pickPools(h: DatabaseHandle, today: string): Promise<Pools> {
  const y = Number(today.slice(0, 4));
  const from = `${y - 70}${today.slice(4)}`;
  const to = `${y - 25}${today.slice(4)}`;
  const adults = (await sql<{ id: string }>`
    select p.id from persons p
    where p.birth_date between ${from} and ${to}
      and not exists (select 1 from court_guardianships c where c.ward_id = p.id)
      and not exists (select 1 from property_owners o where o.owner_type = 'person' and o.owner_id = p.id)
    order by md5(p.id)`.execute(h.db)).rows.map((r) => r.id);
  const properties = (await sql<{ id: string; municipality: string; a: string; b: string }>`
    select pr.id, pr.municipality, min(o.owner_id) as a, max(o.owner_id) as b
    from properties pr join property_owners o on o.property_id = pr.id
    join persons p on o.owner_type = 'person' and p.id = o.owner_id
    where p.birth_date between ${from} and ${to}
    group by pr.id, pr.municipality
    having count(*) = 2 and count(*) = (select count(*) from property_owners x where x.property_id = pr.id)
    order by md5(pr.id)`.execute(h.db)).rows;
  return { adults, properties: properties.map((r) => ({ id: r.id, municipality: r.municipality, owners: [r.a, r.b] })) };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
