/**
 * What the HTTP simulators share: a real `node:http` server on 127.0.0.1 that can be stopped and
 * started again on the same port, told to fail its next requests, and asked what it received.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SimulatedDelivery } from '../notifications/types.js';

export type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => unknown;

export interface HttpSimulatorBase {
  /** `http://127.0.0.1:PORT` */
  url: string;
  port: number;
  /** Everything received, newest first (also `GET {url}/_simulator/received`). Never holds identity codes. */
  received(): SimulatedDelivery[];
  /** How many received messages carried an idempotency key that had already been seen. */
  duplicates(): number;
  /** Answer the next `count` protocol requests with `status` (default 503) — a passing fault. */
  failNext(count: number, status?: number): void;
  /** Close the listener (open connections are dropped): clients get "connection refused". */
  stop(): Promise<void>;
  /** Listen again on the same port. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export class HttpError extends Error {
  constructor(readonly status: number, readonly body: unknown) {
    super(`HTTP ${status}`);
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Reads the whole body; more than `limit` bytes → 413. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > limit) {
    req.resume();
    throw new HttpError(413, { reason: 'Payload too large' });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpError(413, { reason: 'Payload too large' });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export async function readJson(req: IncomingMessage, limit = 1024 * 1024): Promise<unknown> {
  const body = await readBody(req, limit);
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new HttpError(400, { reason: 'Body is not JSON' });
  }
}

/** Parses a multipart/form-data body with the WHATWG `Request` of Node (undici). */
export async function readMultipart(req: IncomingMessage, limit: number): Promise<FormData> {
  const type = req.headers['content-type'] ?? '';
  if (!type.toLowerCase().startsWith('multipart/form-data')) throw new HttpError(415, { reason: 'Expected multipart/form-data' });
  const body = await readBody(req, limit);
  try {
    return await new Request('http://simulator/', { method: 'POST', headers: { 'content-type': type }, body: new Uint8Array(body) }).formData();
  } catch {
    throw new HttpError(400, { reason: 'Malformed multipart body' });
  }
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Counts repeated idempotency keys and keeps deliveries newest first. */
export class DeliveryLog {
  private readonly keys = new Set<string>();
  private readonly list: SimulatedDelivery[] = [];
  private dups = 0;

  /** Notes a key; true when it had been seen before. */
  seen(key: string): boolean {
    if (this.keys.has(key)) {
      this.dups++;
      return true;
    }
    this.keys.add(key);
    return false;
  }

  add(d: SimulatedDelivery): void {
    this.list.unshift(d);
  }

  received(): SimulatedDelivery[] {
    return [...this.list];
  }

  duplicates(): number {
    return this.dups;
  }
}

/**
 * Starts a simulator's HTTP server. `/_simulator/received` is served here; `handler` gets every
 * other request (`/_simulator/*` ones are never failed by `failNext`).
 */
export async function startHttpSimulator(port: number, log: DeliveryLog, handler: Handler): Promise<HttpSimulatorBase> {
  let failures: { count: number; status: number } = { count: 0, status: 503 };
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/_simulator/received' && req.method === 'GET') {
      return sendJson(res, 200, { deliveries: log.received() });
    }
    if (!url.pathname.startsWith('/_simulator/') && failures.count > 0) {
      failures.count--;
      req.resume();
      return sendJson(res, failures.status, { reason: 'Simulated fault', code: 'SIMULATED_FAULT', message: 'Simulated fault' });
    }
    Promise.resolve()
      .then(() => handler(req, res, url))
      .catch((e: unknown) => {
        if (res.headersSent) return res.destroy();
        if (e instanceof HttpError) return sendJson(res, e.status, e.body);
        sendJson(res, 500, { reason: 'Internal error' });
      });
  };

  let server: Server = createServer(onRequest);
  await listen(server, port);
  const actualPort = (server.address() as AddressInfo).port;
  let running = true;

  const stop = async () => {
    if (!running) return;
    running = false;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  };

  return {
    url: `http://127.0.0.1:${actualPort}`,
    port: actualPort,
    received: () => log.received(),
    duplicates: () => log.duplicates(),
    failNext: (count, status = 503) => {
      failures = { count, status };
    },
    stop,
    restart: async () => {
      if (running) return;
      server = createServer(onRequest);
      await listen(server, actualPort);
      running = true;
    },
    close: stop,
  };
}

export function listen(server: { listen(port: number, host: string, cb: () => void): unknown; once(ev: 'error', cb: (e: Error) => void): unknown }, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
}
