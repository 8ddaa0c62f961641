/** The app as a process of its own, for the tests that need one (the compiled build, the OpenTelemetry preload). */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** A TCP port nobody listens on now. */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((res) => s.listen(0, '127.0.0.1', res));
  const { port } = s.address() as { port: number };
  await new Promise((res) => s.close(res));
  return port;
}

export interface ServerProcess {
  child: ChildProcess;
  base: string;
  /** Everything the process wrote, stdout and stderr. */
  output(): string;
  /** SIGTERM, and wait for the exit. */
  stop(): Promise<void>;
}

/**
 * Starts `node <args>` with `PORT` set to a free port and waits until `/readyz` answers 200 (or the process
 * exits, or `readyWithinMs` passes: then it fails with the process's output).
 */
export async function startServerProcess(args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; readyWithinMs?: number }): Promise<ServerProcess> {
  const port = await freePort();
  let out = '';
  const child = spawn(process.execPath, args, { cwd: opts.cwd, env: { ...opts.env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
  const base = `http://127.0.0.1:${port}`;
  const until = Date.now() + (opts.readyWithinMs ?? 30_000);
  let ready: Response | undefined;
  while (Date.now() < until && child.exitCode === null) {
    ready = await fetch(`${base}/readyz`).catch(() => undefined);
    if (ready?.status === 200) break;
    await new Promise((res) => setTimeout(res, 100));
  }
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((res) => child.once('exit', res));
    child.kill('SIGTERM');
    await exited;
  };
  if (ready?.status !== 200) {
    await stop();
    throw new Error(`the server did not become ready:\n${out}`);
  }
  return { child, base, output: () => out, stop };
}
