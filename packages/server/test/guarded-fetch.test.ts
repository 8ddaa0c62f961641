import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuardedFetch, isPublicAddress, OutboundFetchError, outboundClient, type GuardedFetchOptions, type OutboundFailure } from '../src/adapters/guarded-fetch.js';
import { configFromEnv } from '../src/config.js';
import { startTestApp, type TestApp } from './helpers.js';
import { ptvService, startPtvSimulator, type PtvSimulator } from './ptv-simulator.js';

/** A real HTTP server on 127.0.0.1; `hits` counts the requests it saw (path + query). */
interface Local { url: string; port: number; hits: string[]; close(): Promise<void> }

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Local> {
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    hits.push(req.url ?? '');
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`, port, hits,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** A port nothing listens on: listened on once, then closed. */
async function closedPort(): Promise<string> {
  const s = await serve(() => undefined);
  await s.close();
  return s.url;
}

const json = (res: ServerResponse, body: unknown) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};
const redirect = (res: ServerResponse, to: string, status = 302) => {
  res.writeHead(status, { location: to });
  res.end();
};

/** The failure's reason (what the server log gets), or 'ok'. */
async function outcome(p: Promise<unknown>): Promise<OutboundFailure | 'ok'> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    if (e instanceof OutboundFetchError) return e.reason;
    throw e;
  }
}

const servers: Local[] = [];
const start = async (handler: (req: IncomingMessage, res: ServerResponse) => void) => {
  const s = await serve(handler);
  servers.push(s);
  return s;
};
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

describe('addresses', () => {
  it('refuses loopback, private, link-local and the like, also written inside IPv6; accepts public ones', () => {
    const refused = [
      '127.0.0.1', '127.1.2.3', '10.0.0.1', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '0.0.0.0', '100.64.0.1',
      '224.0.0.1', '255.255.255.255', '::1', '::', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1', '::ffff:169.254.169.254',
      'fc00::1', 'fd12:3456::1', 'fe80::1', 'fe80::1%eth0', 'ff02::1', '64:ff9b::7f00:1', '64:ff9b::a9fe:a9fe', '2002:7f00:1::1', '[::1]', 'localhost', '',
    ];
    for (const a of refused) expect(isPublicAddress(a), a).toBe(false);
    const allowed = ['8.8.8.8', '172.32.0.1', '192.169.0.1', '2a00:1450:4010:c05::64', '64:ff9b::808:808', '::ffff:8.8.8.8', '2002:808:808::1'];
    for (const a of allowed) expect(isPublicAddress(a), a).toBe(true);
  });
});

describe('the guarded client', () => {
  let allowedA: Local;
  let allowedB: Local;
  let elsewhere: Local;
  let guarded: ReturnType<typeof createGuardedFetch>;
  const logged: object[] = [];

  beforeAll(async () => {
    elsewhere = await start((_req, res) => json(res, { secret: 'metadata' }));
    allowedB = await start((req, res) => {
      if (req.url === '/api/hop') return redirect(res, `${allowedA.url}/api/final`, 301);
      if (req.url === '/api/out') return redirect(res, `${elsewhere.url}/latest/meta-data`);
      return json(res, { from: 'B' });
    });
    allowedA = await start((req, res) => {
      const m = /^\/api\/loop\/(\d+)$/.exec(req.url ?? '');
      if (m) return redirect(res, `/api/loop/${Number(m[1]) + 1}`);
      if (req.url === '/api/start') return redirect(res, `${allowedB.url}/api/hop`, 307);
      if (req.url === '/api/final') return json(res, { from: 'A', final: true });
      if (req.url === '/api/out') return redirect(res, `${elsewhere.url}/latest/meta-data`);
      if (req.url === '/api/up') return redirect(res, '/outside-prefix');
      if (req.url === '/api/no-location') return redirect(res, '');
      return json(res, { from: 'A' });
    });
    // Both allowed servers are on loopback: named as simulators, and only under /api.
    guarded = createGuardedFetch(
      { allow: [`${allowedA.url}/api`, `${allowedB.url}/api`], simulators: [allowedA.url, allowedB.url] },
      { log: { warn: (o) => logged.push(o) } },
    );
  });

  it('follows a redirect chain that stays on the allow-list', async () => {
    const r = await guarded(`${allowedA.url}/api/start`);
    expect(r.status).toBe(200);
    expect(r.json()).toEqual({ from: 'A', final: true });
    expect(r.url).toBe(`${allowedA.url}/api/final`);
    expect(allowedB.hits).toContain('/api/hop');
  });

  it('refuses a redirect to an origin or a path not on the allow-list, without requesting it', async () => {
    expect(await outcome(guarded(`${allowedA.url}/api/out`))).toBe('not-allowed');
    expect(await outcome(guarded(`${allowedB.url}/api/out`))).toBe('not-allowed');
    expect(elsewhere.hits).toEqual([]);
    const before = allowedA.hits.length;
    expect(await outcome(guarded(`${allowedA.url}/api/up`))).toBe('not-allowed');
    expect(allowedA.hits.slice(before)).toEqual(['/api/up']);
    expect(await outcome(guarded(`${allowedA.url}/api/no-location`))).toBe('bad-redirect');
    expect(await outcome(guarded(`${elsewhere.url}/api`))).toBe('not-allowed');
    expect(await outcome(guarded('file:///etc/passwd'))).toBe('not-allowed');
    expect(elsewhere.hits).toEqual([]);
  });

  it('follows at most 3 redirects', async () => {
    expect(await outcome(guarded(`${allowedA.url}/api/loop/1`))).toBe('too-many-redirects');
    expect(allowedA.hits.filter((h) => h.startsWith('/api/loop/'))).toEqual(['/api/loop/1', '/api/loop/2', '/api/loop/3', '/api/loop/4']);
    expect(await outcome(guarded(`${allowedA.url}/api/loop/2`))).toBe('too-many-redirects');
    const four = createGuardedFetch({ allow: [allowedA.url], simulators: [allowedA.url] }, { maxRedirects: 4 });
    expect(await outcome(four(`${allowedA.url}/api/loop/1`))).toBe('too-many-redirects');
    const redirectOnce = await start((req, res) => (req.url === '/' ? redirect(res, '/done') : json(res, { done: true })));
    const once = createGuardedFetch({ allow: [redirectOnce.url], simulators: [redirectOnce.url] }, { maxRedirects: 1 });
    expect((await once(redirectOnce.url)).json()).toEqual({ done: true });
  });

  it('logs the reason of a failure for the server log', async () => {
    logged.length = 0;
    await outcome(guarded(`${allowedA.url}/api/out`));
    expect(logged).toEqual([expect.objectContaining({ outbound: expect.objectContaining({ reason: 'not-allowed', url: `${elsewhere.url}/latest/meta-data` }) })]);
  });

  it('aborts a body over the limit, streamed or declared', async () => {
    const endless = await start((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        while (res.write(chunk)) { /* until the buffer is full */ }
      };
      res.on('drain', pump);
      pump();
    });
    const declared = await start((_req, res) => {
      res.writeHead(200, { 'content-length': String(5 * 1024 * 1024) });
      res.write('x'); // and never the rest
    });
    const small = { maxBytes: 1024 * 1024 } satisfies GuardedFetchOptions;
    const f = createGuardedFetch({ allow: [endless.url, declared.url], simulators: [endless.url, declared.url] }, small);
    const t0 = Date.now();
    expect(await outcome(f(endless.url))).toBe('too-large');
    expect(await outcome(f(declared.url))).toBe('too-large');
    expect(Date.now() - t0).toBeLessThan(5_000);
    const exactly = await start((_req, res) => {
      res.writeHead(200);
      res.end(Buffer.alloc(1024 * 1024, 0x41));
    });
    const g = createGuardedFetch({ allow: [exactly.url], simulators: [exactly.url] }, small);
    expect((await g(exactly.url)).body.length).toBe(1024 * 1024);
  });

  it('times out a slow server: no answer, or a body that trickles', async () => {
    const silent = await start(() => undefined);
    const trickle = await start((_req, res) => {
      res.writeHead(200);
      const timer = setInterval(() => res.write(' '), 50);
      res.on('close', () => clearInterval(timer));
    });
    const f = createGuardedFetch({ allow: [silent.url, trickle.url], simulators: [silent.url, trickle.url] }, { timeoutMs: 400 });
    const t0 = Date.now();
    expect(await outcome(f(silent.url))).toBe('timeout');
    expect(await outcome(f(trickle.url))).toBe('timeout');
    expect(Date.now() - t0).toBeLessThan(3_000);
    // Connecting (here: a name that never resolves) has its own, shorter limit.
    const hangs = (() => undefined) as unknown as GuardedFetchOptions['lookup'];
    const c = createGuardedFetch({ allow: ['http://ptv.example'] }, { lookup: hangs, connectTimeoutMs: 200, timeoutMs: 10_000 });
    const t1 = Date.now();
    expect(await outcome(c('http://ptv.example/'))).toBe('connect-timeout');
    expect(Date.now() - t1).toBeLessThan(2_000);
  });

  it('refuses loopback not named as a simulator: by IP, by IPv4-mapped IPv6, and by a name that resolves to it', async () => {
    const target = await start((_req, res) => json(res, { reached: true }));
    const byName = `http://ptv.example:${target.port}`;
    const mapped = `http://[::ffff:127.0.0.1]:${target.port}`;
    const v6 = `http://[::1]:${target.port}`;
    // A name that resolves to loopback (as a hostile DNS record would).
    const lookup = ((_host: string, _opts: object, cb: (e: null, a: { address: string; family: number }[]) => void) => cb(null, [{ address: '127.0.0.1', family: 4 }])) as unknown as GuardedFetchOptions['lookup'];
    const f = createGuardedFetch({ allow: [target.url, byName, mapped, v6] }, { lookup });
    for (const u of [target.url, byName, mapped, v6]) expect(await outcome(f(u)), u).toBe('address-refused');
    // One public and one private address for the name: still refused.
    const mixed = ((_host: string, _opts: object, cb: (e: null, a: { address: string; family: number }[]) => void) => cb(null, [{ address: '8.8.8.8', family: 4 }, { address: '10.0.0.5', family: 4 }])) as unknown as GuardedFetchOptions['lookup'];
    expect(await outcome(createGuardedFetch({ allow: [byName] }, { lookup: mixed })(byName))).toBe('address-refused');
    // The system resolver: localhost is loopback.
    const localhost = `http://localhost:${target.port}`;
    expect(await outcome(createGuardedFetch({ allow: [localhost] })(localhost))).toBe('address-refused');
    expect(target.hits).toEqual([]);
  });

  it('allows the simulator named by its exact origin, and only that origin', async () => {
    const sim = await start((_req, res) => json(res, { sim: true }));
    const other = await start((_req, res) => json(res, { other: true }));
    const f = createGuardedFetch({ allow: [sim.url, other.url], simulators: [sim.url] });
    expect((await f(`${sim.url}/any/path`)).json()).toEqual({ sim: true });
    expect(await outcome(f(other.url))).toBe('address-refused');
    expect(other.hits).toEqual([]);
  });

  it('names simulators only in demo mode', () => {
    expect(() => configFromEnv({ PUOLESTA_MODE: 'production', PUOLESTA_PTV_SIMULATOR_URLS: 'http://127.0.0.1:4010' })).toThrow(/demo mode only/);
    expect(() => configFromEnv({ PUOLESTA_PTV_SIMULATOR_URLS: 'not a url' })).toThrow(/PUOLESTA_PTV_SIMULATOR_URLS/);
    const demo = configFromEnv({ PUOLESTA_PTV_SIMULATOR_URLS: 'http://127.0.0.1:4010', PUOLESTA_PTV_BASE_URLS: 'https://ptv.example/api/v11' });
    expect(outboundClient(demo).allows('http://127.0.0.1:4010/Service/list')).toBe(true);
    expect(outboundClient(demo).allows('http://127.0.0.1:4011/Service/list')).toBe(false);
    expect(outboundClient({ ...demo, mode: 'production' }).allows('http://127.0.0.1:4010/Service/list')).toBe(false);
    expect(demo.outbound).toMatchObject({ maxRedirects: 3, maxBytes: 10 * 1024 * 1024 });
  });
});

describe('PTV import through the route', () => {
  let t: TestApp;
  let sim: PtvSimulator;
  let openUnnamed: Local;
  let silent: Local;
  let huge: Local;
  let toElsewhere: Local;
  let closed: string;

  beforeAll(async () => {
    sim = await startPtvSimulator({ '753': [ptvService('12121212-1212-4212-8212-121212121212', { fi: 'Rakennuslupa' })] }, 2);
    openUnnamed = await start((_req, res) => json(res, { pageNumber: 1, pageSize: 0, pageCount: 1, itemList: [] }));
    silent = await start(() => undefined);
    huge = await start((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"pageNumber":1,"pageCount":1,"itemList":[],"pad":"${'x'.repeat(300_000)}"}`);
    });
    toElsewhere = await start((_req, res) => redirect(res, `${openUnnamed.url}/Service/list/area/Municipality/code/753?page=1`));
    closed = await closedPort();
    const base = configFromEnv({});
    t = await startTestApp({
      config: {
        ptvBaseUrls: [openUnnamed.url, closed, silent.url, huge.url, toElsewhere.url],
        outbound: { ...base.outbound, simulatorUrls: [sim.url, closed, silent.url, huge.url, toElsewhere.url], timeoutMs: 500, maxBytes: 100_000 },
      },
    });
  });
  afterAll(async () => {
    await sim?.close();
    await t?.stop();
  });

  const importFrom = async (source: string) => t.app.inject({
    method: 'POST', url: '/api/v1/admin/municipalities/753/ptv-imports', headers: await t.as({ staff: 'admin-753' }), payload: { source },
  });

  it('still imports from the named PTV simulator', async () => {
    const r = await importFrom(sim.url);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ imported: 1 });
  });

  it('answers the same refusal for a closed port, an open but unnamed loopback port, a timeout, too large an answer and a redirect elsewhere', async () => {
    const answers = [];
    for (const source of [closed, openUnnamed.url, silent.url, huge.url, toElsewhere.url]) {
      const r = await importFrom(source);
      const body = r.json();
      const origin = new URL(source).origin;
      expect(body.params, source).toEqual({ page: 1, origin });
      // Everything but the origin the admin typed is the same.
      answers.push({ status: r.statusCode, body: r.body.split(origin).join('<source>') });
    }
    expect(answers[0]!.status).toBe(400);
    expect(JSON.parse(answers[0]!.body)).toMatchObject({ code: 'ptv.fetch-failed', field: 'source' });
    for (const a of answers) expect(a).toEqual(answers[0]);
    expect(openUnnamed.hits).toEqual([]);
  });
});
