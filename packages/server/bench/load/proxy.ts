/**
 * A TCP proxy between one API process and PostgreSQL that can be cut: `partition()` stops
 * forwarding in both directions (bytes are dropped, connections stay open, new ones are accepted
 * but never reach the server: a black hole, as a broken network link looks); `heal()` closes the
 * connections that lost bytes (their protocol state is gone) and forwards new ones again.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface Proxy {
  port: number;
  readonly partitioned: boolean;
  partition(): void;
  heal(): void;
  close(): Promise<void>;
}

export async function startProxy(target: { host: string; port: number }): Promise<Proxy> {
  let cut = false;
  const pairs = new Set<{ client: Socket; upstream: Socket | null; broken: boolean }>();
  const server: Server = createServer((client) => {
    const pair = { client, upstream: null as Socket | null, broken: cut };
    pairs.add(pair);
    const drop = () => {
      pairs.delete(pair);
      client.destroy();
      pair.upstream?.destroy();
    };
    client.on('error', drop).on('close', drop);
    if (cut) {
      client.on('data', () => {}); // swallowed
      return;
    }
    const up = connect(target.port, target.host);
    pair.upstream = up;
    up.on('error', drop).on('close', drop);
    client.on('data', (d) => { if (cut) pair.broken = true; else up.write(d); });
    up.on('data', (d) => { if (cut) pair.broken = true; else client.write(d); });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    get partitioned() { return cut; },
    partition() {
      cut = true;
      for (const p of pairs) p.broken = true;
    },
    heal() {
      cut = false;
      for (const p of [...pairs]) if (p.broken) { p.client.destroy(); p.upstream?.destroy(); pairs.delete(p); }
    },
    async close() {
      for (const p of pairs) { p.client.destroy(); p.upstream?.destroy(); }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
