/** Identity codes a careless client puts in a URL (path or query) are masked in the log (issue 11, item 9). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, MASK, maskIdentityCodes } from '../src/logger.js';
import { client, P, startTestApp, type TestApp } from './helpers.js';

const lines: string[] = [];
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ logger: createLogger('debug', { write: (s: string) => { lines.push(s); } }) });
});
afterAll(async () => {
  await t?.stop();
});

/** The log lines written while `work` ran, parsed. */
async function logged(work: () => Promise<unknown>): Promise<{ text: string; entries: Record<string, unknown>[] }> {
  const from = lines.length;
  await work();
  const mine = lines.slice(from);
  return { text: mine.join('\n'), entries: mine.map((l) => JSON.parse(l) as Record<string, unknown>) };
}
const urlsOf = (entries: Record<string, unknown>[]) => entries.map((e) => (e.req as { url?: string } | undefined)?.url).filter(Boolean);

describe('logged URLs', () => {
  it('mask an identity code in a query string, on a route that exists', async () => {
    const { text, entries } = await logged(() => t.app.inject({ method: 'GET', url: `/api/v1/catalogue/issues?hetu=${P.kari}&lang=fi` }));
    expect(text).not.toContain(P.kari);
    expect(urlsOf(entries)).toContain(`/api/v1/catalogue/issues?hetu=${MASK}&lang=fi`);
  });

  it('mask an identity code in a path, on an address that does not exist', async () => {
    const { text, entries } = await logged(() => t.app.inject({ method: 'GET', url: `/api/v1/persons/${P.aino}/mandates` }));
    expect(text).not.toContain(P.aino);
    expect(urlsOf(entries)).toContain(`/api/v1/persons/${MASK}/mandates`);
  });

  it('mask a percent-encoded identity code (the century sign written as %2B or %41)', async () => {
    const { text, entries } = await logged(async () => {
      await t.app.inject({ method: 'GET', url: '/api/v1/catalogue/issues?hetu=010199%2B123N' });
      await t.app.inject({ method: 'GET', url: `/api/v1/catalogue/issues?hetu=${P.ella.slice(0, 6)}%41${P.ella.slice(7)}` });
    });
    for (const hidden of ['010199+123N', '010199%2B123N', P.ella, P.ella.slice(0, 6) + '%41' + P.ella.slice(7)]) expect(text).not.toContain(hidden);
    expect(urlsOf(entries)).toContain(`/api/v1/catalogue/issues?hetu=${MASK}`);
  });

  it('mask identity codes in a vendor call\'s URL as well as its body', async () => {
    const { text, entries } = await logged(() => t.app.inject({
      method: 'POST', url: `/api/v1/authorizations/check?principal=${P.markku}`, headers: { authorization: client('245') },
      payload: { actor: { type: 'person', id: P.kari }, principal: { type: 'person', id: P.markku }, issue: 'housing' },
    }));
    for (const code of [P.kari, P.markku]) expect(text).not.toContain(code);
    expect(urlsOf(entries)).toContain(`/api/v1/authorizations/check?principal=${MASK}`);
  });

  it('leave other URLs as they are', async () => {
    const { entries } = await logged(() => t.app.inject({ method: 'GET', url: '/api/v1/catalogue/issues?lang=sv&page=1234567-8' }));
    expect(urlsOf(entries)).toContain('/api/v1/catalogue/issues?lang=sv&page=1234567-8');
  });
});

describe('log messages and errors', () => {
  it('mask identity codes in a message text and in an error', () => {
    const from = lines.length;
    t.ctx.log.warn(`lookup of ${P.veikko} failed`);
    t.ctx.log.error({ err: new Error(`duplicate key (id)=(${P.petra})`) }, 'insert failed');
    const text = lines.slice(from).join('\n');
    expect(text).not.toContain(P.veikko);
    expect(text).not.toContain(P.petra);
    expect(text).toContain(`lookup of ${MASK} failed`);
    expect(text).toContain(`duplicate key (id)=(${MASK})`);
  });

  it('maskIdentityCodes masks every code, and nothing else', () => {
    expect(maskIdentityCodes(`/a?x=${P.kari}&y=${P.onni}`)).toBe(`/a?x=${MASK}&y=${MASK}`);
    expect(maskIdentityCodes('/a?x=%zz')).toBe('/a?x=%zz');
    expect(maskIdentityCodes('/api/v1/mandates/2026-12-01')).toBe('/api/v1/mandates/2026-12-01');
  });
});
