// Load generator for check.bench.ts, in a process of its own (the server keeps its core).
// argv[2]: a JSON file { url, method, path, headers, bodies?, connections, duration, rate? }
// stdout: JSON { requests, seconds, rps, p50, p90, p99, max, non2xx, errors, late }
//
// Saturation: plain autocannon. Fixed rate (`rate`): autocannon's own rate limit sends each
// second's quota in a burst at the start of the second, so every connection is paced instead:
// connection k sends at t0 + k/rate + n·connections/rate. A request that falls due while its
// connection still waits for the previous answer is sent late and the wait is added to its
// latency (no coordinated omission). Latencies come from each response, in fractional ms.
import autocannon from 'autocannon';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const cfg = JSON.parse(readFileSync(process.argv[2], 'utf8'));

// Saturation with wrk (C, one thread): the load generator costs the server's core far less than
// autocannon, whose per-request work in JavaScript (a new request buffer per body) capped POSTs at
// about 28,000/s on this machine — the bare route and the check alike, which made their ratio say
// nothing. Fixed rates stay with the paced autocannon below (wrk sends as fast as it can).
if (cfg.generator === 'wrk' && !cfg.rate) {
  const lua = `${process.argv[2]}.lua`;
  const q = (s) => JSON.stringify(String(s));
  const lines = [
    `wrk.method = ${q(cfg.method)}`,
    ...Object.entries(cfg.headers ?? {}).map(([k, v]) => `wrk.headers[${q(k)}] = ${q(v)}`),
  ];
  if (cfg.bodies) {
    writeFileSync(`${lua}.bodies`, cfg.bodies.join('\n') + '\n');
    lines.push(
      // Formatted in init, after wrk has added the Host header.
      'local bodies = {}',
      `init = function(args) for line in io.lines(${q(`${lua}.bodies`)}) do bodies[#bodies + 1] = wrk.format(nil, ${q(cfg.path)}, nil, line) end end`,
      'request = function() return bodies[math.random(#bodies)] end',
    );
  } else lines.push(`wrk.path = ${q(cfg.path)}`);
  lines.push(
    'done = function(s, latency, requests)',
    '  local e = s.errors',
    '  io.write(string.format(\'{"requests":%d,"seconds":%f,"p50":%f,"p90":%f,"p99":%f,"max":%f,"non2xx":%d,"errors":%d,"timeouts":%d,"late":0}\', s.requests, s.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000, e.status, e.connect + e.read + e.write, e.timeout))',
    'end',
  );
  writeFileSync(lua, lines.join('\n') + '\n');
  const r = spawnSync('wrk', ['-t1', `-c${cfg.connections}`, `-d${cfg.duration}s`, '--timeout', '10s', '-s', lua, `${cfg.url}${cfg.bodies ? '' : cfg.path}`], { encoding: 'utf8' });
  if (r.status !== 0) { process.stderr.write(r.stderr || r.stdout); process.exit(1); }
  const json = JSON.parse(r.stdout.slice(r.stdout.lastIndexOf('{"requests"')));
  json.rps = json.requests / json.seconds;
  process.stdout.write(JSON.stringify(json));
  process.exit(0);
}
const lat = [];
let late = 0;
const bodies = cfg.bodies ?? null;
let clientIdx = 0;
const t0 = performance.now() + 300;

const opts = {
  url: cfg.url,
  connections: cfg.connections,
  duration: cfg.duration,
  pipelining: 1,
  timeout: 10,
  requests: [{
    method: cfg.method,
    path: cfg.path,
    headers: cfg.headers ?? {},
    ...(bodies ? { setupRequest: (req) => ({ ...req, body: bodies[(Math.random() * bodies.length) | 0] }) } : {}),
  }],
};

if (cfg.rate) {
  const period = (cfg.connections * 1000) / cfg.rate;
  opts.setupClient = (client) => {
    const k = clientIdx++;
    const send = client._doRequest.bind(client);
    let due = t0 + (k * 1000) / cfg.rate;
    client.__extra = [];
    client._doRequest = function () {
      if (client.destroyed) return;
      const now = performance.now();
      const mine = due;
      due += period;
      if (mine <= now) {
        // Due already: the previous answer came late (or the timer fired late, < 1 ms).
        const wait = now - mine;
        if (wait > 1) late++;
        client.__extra.push(wait > 1 ? wait : 0);
        send();
      } else {
        setTimeout(() => { if (!client.destroyed) { client.__extra.push(0); send(); } }, mine - now);
      }
    };
  };
}

const started = performance.now();
const instance = autocannon(opts);
instance.on('response', (client, statusCode, _bytes, responseTime) => {
  const extra = client.__extra?.shift() ?? 0;
  if (statusCode >= 200 && statusCode < 300) lat.push(responseTime + extra);
});
instance.on('done', (r) => {
  const seconds = (performance.now() - started) / 1000;
  const sorted = Float64Array.from(lat).sort();
  const q = (p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : NaN);
  process.stdout.write(JSON.stringify({
    requests: sorted.length,
    seconds: r.duration ?? seconds,
    rps: sorted.length / (r.duration ?? seconds),
    p50: q(0.5), p90: q(0.9), p99: q(0.99), max: sorted.length ? sorted[sorted.length - 1] : NaN,
    non2xx: r.non2xx, errors: r.errors, timeouts: r.timeouts, late,
  }));
});
