/** Production is production (issue 11, item 4; decision 0014): demo data in the database stops a production start. */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { configFromEnv } from '../src/config.js';
import { DemoDataInProduction, refuseDemoData } from '../src/startup-checks.js';
import { P, PRODUCTION_ENV, startTestApp } from './helpers.js';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));

/** Production mode needs a login provider configured (decision 0015); these tests need only that it is set. */
const { PUOLESTA_MODE: _mode, ...OIDC } = PRODUCTION_ENV;

describe('the production start check', () => {
  it('names the demo clients, persons and staff of a database seeded in demo mode (never an identity code)', async () => {
    const t = await startTestApp();
    try {
      const e = await refuseDemoData(t.ctx.db).then(() => null, (x: unknown) => x);
      expect(e).toBeInstanceOf(DemoDataInProduction);
      const found = (e as DemoDataInProduction).found;
      expect(found.apiClients).toContain('demo-245');
      expect(found.persons).toContain('kari');
      expect(found.staff).toContain('caseworker-245');
      const message = (e as Error).message;
      expect(message).toMatch(/demo API client.*demo-245/);
      expect(message).toMatch(/PUOLESTA_DATA_DIR|DATABASE_URL/);
      for (const code of Object.values(P)) expect(message).not.toContain(code);
    } finally {
      await t.stop();
    }
  });

  it('lets a database without demo data start in production mode', async () => {
    const t = await startTestApp({ config: { mode: 'production' } });
    try {
      await expect(refuseDemoData(t.ctx.db)).resolves.toBeUndefined();
    } finally {
      await t.stop();
    }
  });
});

describe('Secure cookies', () => {
  it('are forced in production mode, whatever PUOLESTA_SECURE_COOKIES says', () => {
    expect(configFromEnv({ PUOLESTA_MODE: 'production', ...OIDC }).secureCookies).toBe(true);
    expect(configFromEnv({ PUOLESTA_MODE: 'production', PUOLESTA_SECURE_COOKIES: 'false', ...OIDC }).secureCookies).toBe(true);
    expect(configFromEnv({ PUOLESTA_MODE: 'demo' }).secureCookies).toBe(false);
    expect(configFromEnv({ PUOLESTA_MODE: 'demo', PUOLESTA_SECURE_COOKIES: 'true' }).secureCookies).toBe(true);
  });
});

/** Runs `npm run serve`'s entry point until it says it is up (then stops it) or until it exits. */
function runMain(env: Record<string, string>): Promise<{ code: number | null; up: boolean; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
      env: { ...process.env, DATABASE_URL: '', PORT: '0', HOST: '127.0.0.1', PUOLESTA_WORKER: 'off', PUOLESTA_SIMULATORS: 'off', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let up = false;
    const read = (d: Buffer) => {
      out += d.toString();
      if (!up && /Puolesta \((demo|production) mode/.test(out)) {
        up = true;
        child.kill('SIGTERM');
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, up, out }));
  });
}

describe('npm run serve', () => {
  it('in production mode without a login provider: the start fails, naming the variables to set', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'puolesta-prod-start-'));
    try {
      const noProvider = Object.fromEntries(Object.keys(OIDC).map((k) => [k, '']));
      const prod = await runMain({ PUOLESTA_MODE: 'production', PUOLESTA_DATA_DIR: dir, ...noProvider });
      expect(prod.up, prod.out).toBe(false);
      expect(prod.code, prod.out).toBe(1);
      expect(prod.out).toContain('Production mode needs an OpenID Connect provider for login');
      expect(prod.out).toContain('PUOLESTA_OIDC_ISSUER, PUOLESTA_OIDC_CLIENT_ID, PUOLESTA_OIDC_CLIENT_SECRET, PUOLESTA_OIDC_REDIRECT_URL');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('seeded in demo mode, then restarted in production mode: the start fails, saying what was found and what to do', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'puolesta-prod-start-'));
    try {
      const demo = await runMain({ PUOLESTA_MODE: 'demo', PUOLESTA_DATA_DIR: dir });
      expect(demo.up, demo.out).toBe(true);
      const prod = await runMain({ PUOLESTA_MODE: 'production', PUOLESTA_DATA_DIR: dir, ...OIDC });
      expect(prod.up, prod.out).toBe(false);
      expect(prod.code, prod.out).toBe(1);
      expect(prod.out).toContain('Refusing to start in production mode');
      expect(prod.out).toMatch(/6 demo API client\(s\) \(demo-/);
      expect(prod.out).toMatch(/demo person\(s\)/);
      expect(prod.out).toMatch(/demo staff/);
      for (const code of Object.values(P)) expect(prod.out).not.toContain(code);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000); // two starts of tsx and PGlite: slow on a loaded machine
});
