/**
 * Production runs compiled code (issue 12 item 4): the domain and the server compile with tsc to
 * dist/, and `node packages/server/dist/main.js` (with the `puolesta-compiled` export condition, as
 * `npm run start:prod` and the Dockerfile set it) starts on an embedded database in a temporary
 * folder, migrates, seeds the demo from fixtures/demo.json and answers /readyz and a check; the
 * migration command runs compiled too. So that the build cannot rot unnoticed.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, P, person } from './helpers.js';
import { startServerProcess, type ServerProcess } from './server-process.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const run = promisify(execFile);
const ENV = { ...process.env, NODE_OPTIONS: '--conditions=puolesta-compiled', DATABASE_URL: '', LOG_LEVEL: 'warn' };

describe('the compiled server', () => {
  let dir: string;
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'puolesta-compiled-'));
    // The two tsc builds of `npm run build` (the UI's vite build is `npm test`'s own step).
    await run('npm', ['run', '-s', 'build', '-w', '@puolesta/domain'], { cwd: ROOT });
    await run('npm', ['run', '-s', 'build', '-w', '@puolesta/server'], { cwd: ROOT });
  }, 600_000);
  afterAll(() => {
    if (server?.child.exitCode === null) server.child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  it('builds dist/ for the API, the worker and the command line', () => {
    for (const f of ['packages/domain/dist/index.js', 'packages/server/dist/main.js', 'packages/server/dist/worker-main.js', 'packages/server/dist/cli.js']) {
      expect(existsSync(join(ROOT, f)), f).toBe(true);
    }
  });

  it('migrates with the compiled command line', async () => {
    const { stdout } = await run(process.execPath, [join(ROOT, 'packages/server/dist/cli.js'), 'migrate'], { cwd: dir, env: { ...ENV, PUOLESTA_DATA_DIR: join(dir, 'data') } });
    expect(stdout).toMatch(/none pending/);
  }, 120_000);

  it('starts, is ready and answers a check from fixtures/demo.json', async () => {
    server = await startServerProcess([join(ROOT, 'packages/server/dist/main.js')], {
      cwd: dir, env: { ...ENV, PUOLESTA_DATA_DIR: join(dir, 'data'), PUOLESTA_SIMULATORS: 'off' }, readyWithinMs: 120_000,
    });
    const base = server.base;
    const r = await fetch(`${base}/api/v1/authorizations/check`, {
      method: 'POST', headers: { authorization: client('753'), 'content-type': 'application/json' },
      body: JSON.stringify({ actor: person(P.markku), principal: person(P.veikko), issue: 'housing' }),
    });
    expect(await r.json()).toMatchObject({ allowed: true, basis: 'mandate', mandateId: 'veikko-markku' });
    await server.stop();
    expect(server.child.exitCode, server.output()).toBe(0);
  }, 180_000);
});
