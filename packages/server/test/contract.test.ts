import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import SwaggerParser from '@apidevtools/swagger-parser';
import { Ajv } from 'ajv';
import type { RouteOptions } from 'fastify';
import { GENERATED_DIR, renderClient } from '../scripts/generate-client.js';
import { startTestApp, type TestApp } from './helpers.js';

/**
 * The one contract: every route the app registers is described (operationId, success answer with its
 * schema, explicit security), the document is valid OpenAPI, and the web client generated from it is
 * the one committed.
 */

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let t: TestApp;
const routes: RouteOptions[] = [];
let doc: Json;
beforeAll(async () => {
  t = await startTestApp({ onRoute: (r) => { routes.push(r); } });
  doc = JSON.parse(JSON.stringify(t.app.swagger())) as Json;
});
afterAll(async () => { await t?.stop(); });

const methods = (r: RouteOptions) => (Array.isArray(r.method) ? r.method : [r.method]).filter((m) => m !== 'HEAD');
const name = (r: RouteOptions) => `${methods(r).join(',')} ${r.url}`;
/** Fastify's `/a/:id` as OpenAPI's `/a/{id}`. */
const openApiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
const schemaOf = (r: RouteOptions) => (r.schema ?? {}) as Json;

describe('every route is described', () => {
  it('registers the routes this test expects to walk (vendor, citizen, staff, catalogue, admin, PTV, auth, health)', () => {
    const urls = new Set(routes.map((r) => r.url));
    for (const u of ['/api/v1/authorizations/check', '/api/v1/me', '/api/v1/mandates/:id/revoke', '/api/v1/staff/checks', '/api/v1/catalogue/issues',
      '/api/v1/admin/catalogue/issues/:code', '/api/v1/admin/municipalities/:code/ptv-imports', '/auth/demo-login', '/auth/config', '/health', '/api/v1/openapi.json']) {
      expect(urls, u).toContain(u);
    }
  });

  it('gives each route an operationId, a success response schema and an explicit security list', () => {
    const missing: string[] = [];
    for (const r of routes.filter((x) => methods(x).length > 0)) {
      const s = schemaOf(r);
      if (typeof s.operationId !== 'string' || !s.operationId) missing.push(`${name(r)}: no operationId`);
      if (!Array.isArray(s.security)) missing.push(`${name(r)}: no explicit security (use [] for a public route)`);
      const success = Object.keys(s.response ?? {}).filter((code) => /^2\d\d$/.test(code));
      if (success.length === 0) missing.push(`${name(r)}: no success response schema`);
    }
    expect(missing).toEqual([]);
  });

  it('keeps operationIds unique', () => {
    const ids = routes.filter((r) => methods(r).length > 0).map((r) => schemaOf(r).operationId as string);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it('documents every route that is not deliberately hidden, under the same operationId', () => {
    for (const r of routes.filter((x) => methods(x).length > 0 && !schemaOf(x).hide)) {
      for (const m of methods(r)) {
        const op = doc.paths[openApiPath(r.url)]?.[m.toLowerCase()];
        expect(op, name(r)).toBeDefined();
        expect(op.operationId, name(r)).toBe(schemaOf(r).operationId);
      }
    }
  });

  it('gives every JSON success answer an example (a file answer: bytes, `format: binary`) and every 4xx answer the problem+json shape', () => {
    const problems: string[] = [];
    const resolve = (s: Json): Json => (s?.$ref ? doc.components.schemas[s.$ref.replace('#/components/schemas/', '')] : s);
    for (const [path, item] of Object.entries(doc.paths as Json)) {
      for (const [method, op] of Object.entries(item as Json)) {
        for (const [status, res] of Object.entries((op as Json).responses as Json)) {
          const r = res as Json;
          const files = r.content && Object.entries(r.content as Json).every(([type, m]) => type !== 'application/json' && (m as Json).schema?.type === 'string' && (m as Json).schema?.format === 'binary');
          if (/^2\d\d$/.test(status) && r.content && !files) {
            const media = r.content['application/json'];
            if (!media) problems.push(`${method} ${path} ${status}: not JSON`);
            else if (!media.examples && !media.example && resolve(media.schema)?.example === undefined) problems.push(`${method} ${path} ${status}: no example`);
          }
          if (/^4\d\d$/.test(status) && r.content?.['application/problem+json']?.schema?.$ref !== '#/components/schemas/Problem') {
            problems.push(`${method} ${path} ${status}: not the Problem schema`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('is a valid OpenAPI 3.0 document, also as served', async () => {
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeDefined();
    const served = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(served.statusCode).toBe(200);
    expect(served.json()).toEqual(doc);
  });

  it('declares the contract facts the handlers are moving to (csrfToken, permittedActions, problem code and params)', () => {
    const s = doc.components.schemas;
    expect(s.Problem.properties).toHaveProperty('code');
    expect(s.Problem.properties).toHaveProperty('params');
    expect(s.MandateView.properties.permittedActions.items.enum).toEqual(expect.arrayContaining(['revoke', 'renounce', 'read-log', 'decide', 'approve']));
    const me = doc.paths['/api/v1/me'].get.responses['200'].content['application/json'].schema.anyOf as Json[];
    expect(me.map((v) => v.properties.kind.enum[0])).toEqual(['person', 'staff']);
    for (const v of me) expect(Object.keys(v.properties)).toEqual(expect.arrayContaining(['permittedActions', 'csrfToken']));
  });
});

describe('what the public reads answer matches the document', () => {
  // These answers are sent pre-serialised (for their ETag), so no response schema checks them on the
  // way out: validate them against the document here.
  const ajv = new Ajv({ strict: false, allErrors: true });
  const check = async (path: string, url: string) => {
    const r = await t.app.inject({ method: 'GET', url });
    expect(r.statusCode, url).toBe(200);
    const schema = doc.paths[path].get.responses['200'].content['application/json'].schema;
    const validate = ajv.compile({ ...schema, components: doc.components });
    const ok = validate(r.json());
    expect(validate.errors ?? [], url).toEqual([]);
    expect(ok).toBe(true);
  };

  it('issues, bundles, municipalities, service classes, municipal services, versions and a comparison', async () => {
    await check('/api/v1/catalogue/issues', '/api/v1/catalogue/issues');
    await check('/api/v1/catalogue/bundles', '/api/v1/catalogue/bundles');
    await check('/api/v1/municipalities', '/api/v1/municipalities');
    await check('/api/v1/catalogue/services', '/api/v1/catalogue/services');
    await check('/api/v1/municipalities/{code}/services', '/api/v1/municipalities/245/services');
    await check('/api/v1/municipalities/{code}/services/{serviceCode}', '/api/v1/municipalities/245/services/ece-application');
    const saved = await t.app.inject({
      method: 'PUT', url: '/api/v1/admin/catalogue/issues/contract-check', headers: await t.as({ staff: 'umbrella-admin' }),
      payload: { name: { fi: 'Sopimus', sv: 'Avtal', en: 'Contract' } },
    });
    expect(saved.statusCode).toBe(200);
    const to = saved.json().version as number;
    await check('/api/v1/catalogue/versions', '/api/v1/catalogue/versions');
    await check('/api/v1/catalogue/versions/{from}/compare/{to}', `/api/v1/catalogue/versions/1/compare/${to}`);
  });
});

describe('the generated web client', () => {
  it('is what the document gives (else run `npm run generate:client` and commit)', async () => {
    const expected = await renderClient(doc);
    for (const [file, text] of Object.entries(expected)) {
      const committed = await readFile(join(GENERATED_DIR, file), 'utf8').catch(() => '');
      expect(committed === text, `packages/web/src/generated/${file} is out of date: run \`npm run generate:client\` and commit the result`).toBe(true);
    }
  });
});
