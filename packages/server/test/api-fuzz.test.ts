import fc from 'fast-check';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, O, P, startTestApp, type TestApp } from './helpers.js';

/**
 * Every route in the OpenAPI document, under generated input (issue 11, item 6): bodies valid-ish
 * from the route's schema and hostile (NUL, lone surrogates, huge strings, wrong types, extra
 * fields), path parameters, query strings and headers, sent as an anonymous caller, a citizen, a
 * caseworker and an API client. Every answer is a 2xx that matches the document, or a 4xx
 * problem+json — never a 5xx — and a 4xx changed nothing in the database (a fingerprint of every
 * table before and after).
 *
 * Reproducible: FUZZ_SEED (default 20261201) and FUZZ_RUNS (runs per route, default 16).
 */
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const RUNS = Number(process.env.FUZZ_RUNS ?? 16);
const addFormats: FormatsPlugin = (addFormatsModule as unknown as { default?: FormatsPlugin }).default ?? (addFormatsModule as unknown as FormatsPlugin);

let t: TestApp;
let doc: Json;
type Caller = 'anonymous' | 'citizen' | 'caseworker' | 'api-client';
const CALLERS: Caller[] = ['anonymous', 'citizen', 'caseworker', 'api-client'];
const callerHeaders: Record<Caller, Record<string, string>> = { anonymous: {}, citizen: {}, caseworker: {}, 'api-client': { authorization: client('753') } };
async function logIn() {
  callerHeaders.citizen = await t.as({ person: P.sanna });
  callerHeaders.caseworker = await t.as({ staff: 'caseworker-753' });
}

/**
 * Tables whose rows a refused request may not touch: all but the sessions (a session's own
 * bookkeeping) and the authorization index (authz_*: a derived cache the index rebuilds by itself).
 */
let tables: string[] = [];
async function fingerprint(): Promise<string> {
  const parts = await Promise.all(tables.map(async (name) => {
    const r = await sql<{ n: string; h: string | null }>`select count(*)::text as n, md5(string_agg(x::text, '|' order by x::text)) as h from ${sql.table(name)} x`.execute(t.ctx.db);
    return `${name}:${r.rows[0]!.n}:${r.rows[0]!.h ?? ''}`;
  }));
  return parts.join('\n');
}
/** The tables whose fingerprint differs (for the failure message). */
const changed = (a: string, b: string) => { const x = new Set(a.split('\n')); return b.split('\n').filter((l) => !x.has(l)).map((l) => l.split(':')[0]).join(', '); };

const counts = { requests: 0, '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 } as Record<string, number>;
const byStatus = new Map<number, number>();

beforeAll(async () => {
  t = await startTestApp();
  doc = JSON.parse(JSON.stringify(t.app.swagger())) as Json;
  const r = await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = ${t.ctx.h.schema} and table_type = 'BASE TABLE'`.execute(t.ctx.db);
  tables = r.rows.map((x) => x.table_name).filter((n) => n !== 'sessions' && n !== 'rate_limit_windows' && !n.startsWith('authz_') && !n.startsWith('kysely_')).sort();
  await logIn();
}, 120_000);
afterAll(async () => {
  const statuses = [...byStatus.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}:${n}`).join(' ');
  console.log(`api-fuzz seed=${SEED} runs/route=${RUNS}: ${counts.requests} requests — 2xx ${counts['2xx']}, 3xx ${counts['3xx']}, 4xx ${counts['4xx']}, 5xx ${counts['5xx']} (${statuses})`);
  await t?.stop();
});

// ---- generators ------------------------------------------------------------------------------

const HOSTILE = ['\u0000', 'a\u0000b', '\ud800', 'x\udfffy', '\ud83d', '', ' ', '\t', 'x'.repeat(5000), '../../etc/passwd', '%00', '<script>alert(1)</script>', "' or 1=1 --", '\u202e', '😀', '-1', '0', '1e400', 'null', 'true', '[]', '{}'];
const KNOWN = [
  ...Object.values(P), ...Object.values(O), 'veikko-markku', 'petra-mikael', 'ritva-laura-oneoff', 'emily-tuomas', 'no-such-thing',
  '753', '245', '049', '445', '091', 'ece-application', 'building-permit', 'housing', 'building-control', 'caring-for-a-relative', 'owning-a-property',
  'person', 'organization', 'property', '2027-06-30', '2027-02-30', '9999-12-31', '2026-12-01T08:00:00Z', 'fi', 'sv', 'en', 'email', 'sms', '1', '2',
];
const text = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...KNOWN) }, { weight: 3, arbitrary: fc.constantFrom(...HOSTILE) }, { weight: 2, arbitrary: fc.string({ maxLength: 30, unit: 'binary' }) });
const anyJson = fc.oneof(text, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.jsonValue({ maxDepth: 2 }));

function resolve(s: Json | undefined): Json {
  let x = s ?? {};
  for (let i = 0; x.$ref && i < 20; i++) x = doc.components.schemas[String(x.$ref).replace('#/components/schemas/', '')] ?? {};
  return x;
}

/** Valid-ish values from a schema (its examples, enums, patterns, shapes), often bent into hostile ones. */
function fromSchema(s0: Json | undefined, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(s0);
  const hostile = fc.oneof(text, anyJson);
  if (depth > 4) return hostile;
  const choices: fc.Arbitrary<unknown>[] = [];
  const examples = [...(Array.isArray(s.examples) ? s.examples : []), ...(s.example !== undefined ? [s.example] : [])];
  if (examples.length) choices.push(fc.constantFrom(...examples));
  if (Array.isArray(s.enum) && s.enum.length) choices.push(fc.constantFrom(...s.enum));
  const alts = (s.anyOf ?? s.oneOf ?? s.allOf) as Json[] | undefined;
  if (alts?.length) choices.push(fc.oneof(...alts.map((a) => fromSchema(a, depth + 1))));
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  if (type === 'object' || s.properties) {
    const props = Object.entries((s.properties ?? {}) as Json);
    const required = new Set((s.required ?? []) as string[]);
    const shape = Object.fromEntries(props.map(([k, v]) => [k, fromSchema(v, depth + 1)]));
    choices.push(fc.tuple(
      fc.record(shape, { requiredKeys: props.map(([k]) => k).filter((k) => required.has(k)) }),
      fc.option(fc.dictionary(text, anyJson, { maxKeys: 2 }), { freq: 5 }),
    ).map(([o, extra]) => (extra ? { ...extra, ...o } : o)));
  } else if (type === 'array') {
    choices.push(fc.array(fromSchema(s.items, depth + 1), { maxLength: 4 }));
  } else if (type === 'string') {
    if (typeof s.pattern === 'string') {
      try { choices.push(fc.stringMatching(new RegExp(s.pattern)).map((x) => x.slice(0, 300))); } catch { /* a pattern JS cannot read */ }
    }
    choices.push(text);
  } else if (type === 'integer' || type === 'number') {
    choices.push(fc.integer({ min: -5, max: 1000 }));
  } else if (type === 'boolean') {
    choices.push(fc.boolean());
  }
  if (!choices.length) choices.push(anyJson);
  // Mostly what the schema describes; sometimes anything at all.
  return fc.oneof({ weight: 4, arbitrary: fc.oneof(...choices) }, { weight: 1, arbitrary: hostile });
}

/** Percent-encodes; a lone surrogate (which has no UTF-8) goes as the bytes of one. */
const enc = (s: string) => { try { return encodeURIComponent(s); } catch { return '%ED%A0%80'; } };
const pathValue = fc.oneof(
  { weight: 5, arbitrary: text.map(enc) },
  { weight: 1, arbitrary: fc.constantFrom('%zz', '%', '%ED%A0%80', '%00', 'a'.repeat(300), '..%2F..%2F', '%2e%2e') },
);

interface Op { method: string; path: string; op: Json }
function operations(): Op[] {
  const out: Op[] = [];
  for (const [path, item] of Object.entries(doc.paths as Json)) {
    for (const [method, op] of Object.entries(item as Json)) out.push({ method: method.toUpperCase(), path, op: op as Json });
  }
  return out;
}

function requestOf({ method, path, op }: Op) {
  const params = ((op.parameters ?? []) as Json[]);
  const pathParams = params.filter((p) => p.in === 'path').map((p) => p.name as string);
  const queryParams = params.filter((p) => p.in === 'query');
  const bodySchema = op.requestBody?.content?.['application/json']?.schema as Json | undefined;
  const multipart = !!op.requestBody?.content?.['multipart/form-data'];
  return fc.record({
    caller: fc.constantFrom(...CALLERS),
    path: fc.tuple(...pathParams.map(() => pathValue)).map((vs) => pathParams.reduce((p, name, i) => p.replace(`{${name}}`, vs[i]!), path)),
    query: fc.tuple(...queryParams.map((q) => fc.option(fromSchema(q.schema).map((v) => `${q.name}=${enc(typeof v === 'string' ? v : JSON.stringify(v) ?? '')}`), { freq: 2 })),
      fc.option(fc.tuple(text, text).map(([k, v]) => `${enc(k)}=${enc(v)}`), { freq: 4 }))
      .map(([...qs]) => qs.filter(Boolean).join('&')),
    body: bodySchema ? fc.oneof({ weight: 5, arbitrary: fromSchema(bodySchema) }, { weight: 1, arbitrary: anyJson }) : fc.option(anyJson, { freq: 3 }),
    rawBody: fc.option(fc.constantFrom('{"a":', '\u0000', '{"x":"\\u0000"}', '{"x":"\\ud800"}', '[', 'null', '"\\udc00"', '{"__proto__":{"polluted":1}}'), { freq: 10 }),
    // Mostly well-formed headers (so that the bodies reach the routes); sometimes hostile ones.
    headers: fc.oneof({ weight: 4, arbitrary: fc.record({
      'idempotency-key': fc.constantFrom('k-1', 'k-2', 'fuzz-key'),
      'accept-language': fc.constantFrom('fi', 'sv', 'en'),
      'content-type': fc.constant(multipart ? 'multipart/form-data; boundary=x' : 'application/json'),
    }, { requiredKeys: ['content-type'] }) }, { weight: 1, arbitrary: fc.record({
      'idempotency-key': fc.oneof(fc.constantFrom('k\u0000', '\ud800', ''), text),
      'accept-language': fc.constantFrom('xx', '\u0000', '*', 'fi;q=\ud800'),
      'content-type': fc.constantFrom('text/plain', 'application/xml', 'application/json; charset=latin1', 'application/json\u0000', ''),
      'if-none-match': fc.constantFrom('"x"', '*', '\u0000'),
      cookie: fc.constantFrom('puolesta_session=\u0000', 'puolesta_session=' + 'a'.repeat(43), 'puolesta_session=%ED%A0%80'),
      'x-csrf-token': fc.constantFrom('\u0000', 'x', '\ud800'),
      authorization: fc.constantFrom('Basic \u0000', 'Basic ' + Buffer.from('demo-753\u0000:x').toString('base64'), 'Bearer x', 'Basic %%%'),
    }, { requiredKeys: [] }) }),
  });
}

// ---- checking answers ------------------------------------------------------------------------

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const validators = new Map<string, ValidateFunction>();
function responseValidator(op: Json, status: number): ValidateFunction | null {
  const res = op.responses?.[String(status)] ?? op.responses?.[`${String(status)[0]}XX`];
  const schema = res?.content?.['application/json']?.schema;
  if (!schema) return null;
  const key = JSON.stringify(schema);
  let v = validators.get(key);
  if (!v) { v = ajv.compile({ ...schema, components: doc.components }); validators.set(key, v); }
  return v;
}

describe('every route in the OpenAPI document under generated input', () => {
  it('lists the routes it walks', () => {
    expect(operations().length).toBeGreaterThan(60);
  });

  it('answers 2xx that match the document or 4xx problem+json, never 5xx; a 4xx changes nothing', async () => {
    let before = await fingerprint();
    const ops = operations();
    for (const [i, o] of ops.entries()) {
      await fc.assert(fc.asyncProperty(requestOf(o), async (q) => {
        const url = `${q.path}${q.query ? `?${q.query}` : ''}`;
        const headers: Record<string, string> = { ...callerHeaders[q.caller] };
        for (const [k, v] of Object.entries(q.headers)) if (v !== undefined) headers[k] = v;
        const hasBody = o.method !== 'GET' && o.method !== 'DELETE';
        const payload = !hasBody ? undefined : q.rawBody ?? (q.body === null || q.body === undefined ? undefined : JSON.stringify(q.body));
        if (!hasBody) delete headers['content-type'];
        const r = await t.app.inject({ method: o.method as 'GET', url, headers, ...(payload !== undefined ? { payload } : {}) });
        counts.requests!++;
        counts[`${String(r.statusCode)[0]}xx`]!++;
        byStatus.set(r.statusCode, (byStatus.get(r.statusCode) ?? 0) + 1);
        const what = `${o.method} ${url} as ${q.caller} → ${r.statusCode} ${r.body.slice(0, 300)}`;
        expect(r.statusCode, what).toBeLessThan(500);
        const after = await fingerprint();
        if (r.statusCode >= 400) {
          expect(r.headers['content-type'], what).toMatch(/^application\/problem\+json/);
          const p = r.json();
          expect(p.code, what).toEqual(expect.any(String));
          expect(p.status, what).toBe(r.statusCode);
          expect(after === before, `a refusal changed ${changed(before, after)}: ${what}`).toBe(true);
        } else if (r.statusCode >= 200 && r.statusCode < 300 && /application\/json/.test(String(r.headers['content-type'] ?? ''))) {
          const validate = responseValidator(o.op, r.statusCode);
          expect(validate, `no response schema for ${r.statusCode}: ${what}`).not.toBeNull();
          const ok = validate!(r.json());
          expect(validate!.errors ?? [], what).toEqual([]);
          expect(ok).toBe(true);
        }
        before = after;
        // Logging out ends the caller's session: log in again for the next run.
        if (o.path === '/auth/logout' && r.statusCode < 300) { await logIn(); before = await fingerprint(); }
      }), { numRuns: RUNS, seed: SEED + i, endOnFailure: true });
    }
    expect(counts['5xx']).toBe(0);
  }, 600_000);
});
