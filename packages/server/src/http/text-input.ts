/**
 * Text PostgreSQL cannot store — a NUL character, or half of a UTF-16 surrogate pair — is refused
 * where it enters (body, path parameters, query), naming the field, instead of failing in the
 * database as a 500.
 */
import { refuse } from '@puolesta/domain';

const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** A NUL or any surrogate at all: only then is the exact test above needed (a simple class, fast on every request's text). */
const SUSPECT = /[\u0000\uD800-\uDFFF]/;
const unstorable = (s: string) => SUSPECT.test(s) && UNSTORABLE.test(s);

/** Whether anything in `v` (strings and keys) cannot be stored: a walk that builds no path and allocates nothing. */
function anyUnstorable(v: unknown, depth: number): boolean {
  if (typeof v === 'string') return unstorable(v);
  if (v === null || typeof v !== 'object' || depth > 64) return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (anyUnstorable(v[i], depth + 1)) return true;
    return false;
  }
  // for…in also visits inherited enumerable keys: at worst more text is looked at, never less.
  for (const k in v) if (unstorable(k) || anyUnstorable((v as Record<string, unknown>)[k], depth + 1)) return true;
  return false;
}

/** The path (dotted) of the first string in `v` that cannot be stored, or null. Keys count too. */
export function unstorableAt(v: unknown, path: string, depth = 0): string | null {
  if (typeof v === 'string') return unstorable(v) ? path : null;
  // Nearly every request's text is fine: only then is the path looked for.
  return anyUnstorable(v, depth) ? pathOfUnstorable(v, path, depth) : null;
}

function pathOfUnstorable(v: unknown, path: string, depth: number): string | null {
  if (typeof v === 'string') return unstorable(v) ? path : null;
  if (v === null || typeof v !== 'object' || depth > 64) return null;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const at = pathOfUnstorable(v[i], `${path}.${i}`, depth + 1);
      if (at) return at;
    }
    return null;
  }
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    const here = path ? `${path}.${k}` : k;
    if (unstorable(k)) return here;
    const at = pathOfUnstorable(x, here, depth + 1);
    if (at) return at;
  }
  return null;
}

export function assertStorable(v: unknown, root: string): void {
  const at = unstorableAt(v, root);
  if (at === null) return;
  // A body that is one string (plain text, a JSON string) has no field of its own: the body is at fault.
  const field = at || 'body';
  throw refuse('input.unstorable-text', { field }, field);
}

/**
 * `assertStorable` for a value parsed from JSON text: the walk is needed only when the text holds a NUL,
 * a surrogate or a `\u` escape (which may stand for either); any other JSON text cannot yield one. The
 * e-services' check bodies never do, and skip the walk (decision 0018, fifth round).
 */
export function assertStorableJson(text: string, parsed: unknown): void {
  if (SUSPECT.test(text) || text.includes('\\u')) assertStorable(parsed, '');
}

/**
 * The one check of a request's text before anything reads it (a step of the request gate, so before
 * the session, CSRF and access steps look anything up): path parameters, query string and headers.
 * The body is checked as it is parsed (the JSON and text parsers, app.ts). A header's field is its name.
 */
export function assertStorableRequest(req: { params: unknown; query: unknown; headers: Record<string, unknown> }): void {
  assertStorable(req.params, '');
  assertStorable(req.query, '');
  const headers = req.headers;
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined) continue;
    if (unstorableAt(value, name)) throw refuse('input.unstorable-text', { field: name }, name);
  }
}
