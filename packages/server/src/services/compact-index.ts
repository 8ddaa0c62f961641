/**
 * The compact parts of the authorization index (decision 0019): parties numbered through a hash on
 * typed arrays with identity codes and business ids packed into one number each, mandates as
 * columnar typed arrays sorted by (agent, principal) with CSR offsets per agent, and registers
 * (guardianships, organisation roles) likewise as CSR arrays. Nothing here decides anything: the
 * index turns these arrays into the `Relations` that `decide` of @puolesta/domain reads.
 *
 * Loading reads rows as bytes (PostgreSQL `COPY … TO STDOUT` text lines, or the same lines built
 * from PGlite's rows) and writes them straight into growable typed arrays; no per-row object stays.
 */
import type { IssueCode, LocalDate, Mandate, PartyRef, Signing, StoredStatus } from '@puolesta/domain';

// ---- growable typed arrays ----------------------------------------------------------------------

type TypedArray = Int32Array | Uint32Array | Uint16Array | Uint8Array | Float64Array;
type Ctor<T extends TypedArray> = { new (n: number): T };

// ---- one field at a time from a COPY text line ---------------------------------------------------

/**
 * Reads the tab-separated fields of one `COPY … TO STDOUT` text line in place. Values the index
 * keeps (ids, codes, day numbers) never contain tabs, newlines or backslashes; a field that does is
 * unescaped when read as a string.
 */
export class Line {
  buf: Buffer = Buffer.alloc(0);
  private pos = 0;
  private end = 0;
  s = 0;
  e = 0;

  reset(buf: Buffer, start = 0, end = buf.length): this {
    this.buf = buf;
    this.pos = start;
    // A line ends at its newline.
    this.end = end > start && buf[end - 1] === 10 ? end - 1 : end;
    return this;
  }
  /** Moves to the next field: [s, e). */
  next(): this {
    const b = this.buf;
    let i = this.pos;
    this.s = i;
    while (i < this.end && b[i] !== 9) i++;
    this.e = i;
    this.pos = i + 1;
    return this;
  }
  isNull(): boolean { return this.e - this.s === 2 && this.buf[this.s] === 92 && this.buf[this.s + 1] === 78; }
  str(): string {
    const v = this.buf.toString('utf8', this.s, this.e);
    return v.includes('\\') ? unescapeCopy(v) : v;
  }
  strOrNull(): string | null { return this.isNull() ? null : this.str(); }
  int(): number {
    const b = this.buf;
    let i = this.s, neg = false, v = 0;
    if (b[i] === 45) { neg = true; i++; }
    for (; i < this.e; i++) v = v * 10 + (b[i]! - 48);
    return neg ? -v : v;
  }
  bool(): boolean { return this.buf[this.s] === 116; }
  /** The first byte of the field (for one-letter codes such as the party type: p/o). */
  first(): number { return this.buf[this.s]!; }
}

function unescapeCopy(v: string): string {
  return v.replace(/\\(.)/g, (_, c: string) => (c === 't' ? '\t' : c === 'n' ? '\n' : c === 'r' ? '\r' : c));
}

// ---- parties: numbers 0, 1, 2 … through packed keys -------------------------------------------------

const CHECK_CHARS = '0123456789ABCDEFHJKLMNPRSTUVWXY';
const SIGNS = '+-YXWVUABCDEF';
const CHECK_OF = new Int8Array(128).fill(-1);
for (let i = 0; i < CHECK_CHARS.length; i++) CHECK_OF[CHECK_CHARS.charCodeAt(i)] = i;
const SIGN_OF = new Int8Array(128).fill(-1);
for (let i = 0; i < SIGNS.length; i++) SIGN_OF[SIGNS.charCodeAt(i)] = i;
/** Organisations' keys lie above every person's (persons' keys are below 4.1 · 10¹¹). */
const ORG_BASE = 2 ** 40;

const isDigit = (c: number) => c >= 48 && c <= 57;

/**
 * An identity code DDMMYYCNNNX as one exact number: date digits, century sign, individual number and
 * check character; a business id NNNNNNN-C as ORG_BASE + its eight digits. -1 when the id has another form.
 * Two copies, for bytes and for strings: each stays monomorphic on the load's and the check's hot paths.
 */
function packBytes(type: PartyRef['type'], b: Uint8Array, s: number, e: number): number {
  if (type === 'person') {
    if (e - s !== 11) return -1;
    let d = 0;
    for (let i = s; i < s + 6; i++) { const c = b[i]!; if (!isDigit(c)) return -1; d = d * 10 + c - 48; }
    const sc = b[s + 6]!;
    const sign = sc < 128 ? SIGN_OF[sc]! : -1;
    if (sign < 0) return -1;
    let n = 0;
    for (let i = s + 7; i < s + 10; i++) { const c = b[i]!; if (!isDigit(c)) return -1; n = n * 10 + c - 48; }
    const x = b[s + 10]!;
    const check = x < 128 ? CHECK_OF[x]! : -1;
    if (check < 0) return -1;
    return ((d * 13 + sign) * 1000 + n) * 31 + check;
  }
  if (e - s !== 9 || b[s + 7] !== 45) return -1;
  let v = 0;
  for (let i = s; i < s + 9; i++) { if (i === s + 7) continue; const c = b[i]!; if (!isDigit(c)) return -1; v = v * 10 + c - 48; }
  return ORG_BASE + v;
}

function packString(type: PartyRef['type'], id: string): number {
  if (type === 'person') {
    if (id.length !== 11) return -1;
    let d = 0;
    for (let i = 0; i < 6; i++) { const c = id.charCodeAt(i); if (!isDigit(c)) return -1; d = d * 10 + c - 48; }
    const sc = id.charCodeAt(6);
    const sign = sc < 128 ? SIGN_OF[sc]! : -1;
    if (sign < 0) return -1;
    let n = 0;
    for (let i = 7; i < 10; i++) { const c = id.charCodeAt(i); if (!isDigit(c)) return -1; n = n * 10 + c - 48; }
    const x = id.charCodeAt(10);
    const check = x < 128 ? CHECK_OF[x]! : -1;
    if (check < 0) return -1;
    return ((d * 13 + sign) * 1000 + n) * 31 + check;
  }
  if (id.length !== 9 || id.charCodeAt(7) !== 45) return -1;
  let v = 0;
  for (let i = 0; i < 9; i++) { if (i === 7) continue; const c = id.charCodeAt(i); if (!isDigit(c)) return -1; v = v * 10 + c - 48; }
  return ORG_BASE + v;
}

function unpack(key: number): PartyRef {
  if (key >= ORG_BASE) {
    const v = String(key - ORG_BASE).padStart(8, '0');
    return { type: 'organization', id: `${v.slice(0, 7)}-${v[7]}` } as PartyRef;
  }
  const check = key % 31;
  let k = (key - check) / 31;
  const n = k % 1000;
  k = (k - n) / 1000;
  const sign = k % 13;
  const d = (k - sign) / 13;
  return { type: 'person', id: `${String(d).padStart(6, '0')}${SIGNS[sign]}${String(n).padStart(3, '0')}${CHECK_CHARS[check]}` } as PartyRef;
}

function mix(key: number): number {
  const lo = key % 4294967296 | 0;
  const hi = (key / 4294967296) | 0;
  let h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * Every person and organisation as a small integer. Packed keys live in a Float64Array indexed by
 * number, found through an open-addressing table of numbers (Int32Array); ids of any other form (test
 * data, odd register rows) in a Map. `known` marks parties present in the registers (not only named
 * by a mandate).
 */
export class Parties {
  private keys = new Float64Array(1 << 16);
  private known = new Uint8Array(1 << 16);
  private n = 0;
  /**
   * The hash, open addressing: slot s is `slots[2s]` = the packed key (-1 when empty) and
   * `slots[2s + 1]` = the party's number × 2 + 1 when the registers know it. Key and number side by
   * side: a look-up reads one cache line, where a table of numbers pointing into `keys` and `known`
   * read three (in a server, a miss each: ~0.3 µs apiece; decision 0018, sixth round).
   */
  private slots = new Float64Array(2 << 17).fill(-1);
  private mask = (1 << 17) - 1;
  private readonly odd = new Map<string, number>();
  private readonly oddRefs = new Map<number, PartyRef>();

  get count(): number { return this.n; }

  reserve(n: number): void {
    if (n > this.keys.length) {
      const keys = new Float64Array(n); keys.set(this.keys.subarray(0, this.n)); this.keys = keys;
      const known = new Uint8Array(n); known.set(this.known.subarray(0, this.n)); this.known = known;
    }
    let cap = this.mask + 1;
    while (cap < n * 2) cap *= 2;
    if (cap > this.mask + 1) this.rehash(cap);
  }

  private rehash(cap: number): void {
    const slots = new Float64Array(2 * cap).fill(-1);
    const mask = cap - 1;
    const keys = this.keys, known = this.known;
    for (let i = 0; i < this.n; i++) {
      const k = keys[i]!;
      if (k < 0) continue;
      let slot = mix(k) & mask;
      while (slots[2 * slot] !== -1) slot = (slot + 1) & mask;
      slots[2 * slot] = k;
      slots[2 * slot + 1] = 2 * i + known[i]!;
    }
    this.slots = slots;
    this.mask = mask;
    this.lastSlot = -1;
  }

  /** The slot's number × 2 + known, or -1. */
  private findKey(key: number): number {
    const slots = this.slots, mask = this.mask;
    for (let slot = mix(key) & mask; ; slot = (slot + 1) & mask) {
      const k = slots[2 * slot]!;
      if (k === key) return slots[2 * slot + 1]!;
      if (k === -1) return -1;
    }
  }

  private slotOf(key: number): number {
    const slots = this.slots, mask = this.mask;
    let slot = mix(key) & mask;
    while (slots[2 * slot] !== key && slots[2 * slot] !== -1) slot = (slot + 1) & mask;
    return slot;
  }

  /** The slot of the last key added (the load marks a person known right after numbering it: no second probe), -1 after a rehash. */
  private lastSlot = -1;

  private addKey(key: number): number {
    const slot = this.slotOf(key);
    this.lastSlot = slot;
    if (this.slots[2 * slot] === key) return this.slots[2 * slot + 1]! >> 1;
    const i = this.newNumber(key);
    this.slots[2 * slot] = key;
    this.slots[2 * slot + 1] = 2 * i;
    if (this.n * 2 > this.mask + 1) this.rehash((this.mask + 1) * 2);
    return i;
  }

  private newNumber(key: number): number {
    this.memoId0 = this.memoId1 = null;
    const i = this.n;
    if (i === this.keys.length) this.reserve(i * 2);
    this.keys[i] = key;
    this.known[i] = 0;
    this.n = i + 1;
    return i;
  }

  private oddNumber(type: PartyRef['type'], id: string, add: boolean): number {
    const k = `${type}:${id}`;
    const known = this.odd.get(k);
    if (known !== undefined || !add) return known ?? -1;
    const i = this.newNumber(-1);
    this.odd.set(k, i);
    this.oddRefs.set(i, { type, id } as PartyRef);
    return i;
  }

  // The last two parties looked up (a check asks for the actor and the principal twice: whether the
  // registers know them, then their relations). Compared by the id string, usually the very same one.
  // Forgotten whenever a party is numbered (a party unknown before may be known now).
  private memoId0: string | null = null; private memoType0: string | null = null; private memoNo0 = -1;
  private memoId1: string | null = null; private memoType1: string | null = null; private memoNo1 = -1;

  /** The party's number × 2 + 1 if the registers know it (+ 0 if not), or -1. */
  private lookup(type: PartyRef['type'], id: string): number {
    if (id === this.memoId0 && type === this.memoType0) return this.memoNo0;
    if (id === this.memoId1 && type === this.memoType1) return this.memoNo1;
    const key = packString(type, id);
    let v: number;
    if (key >= 0) v = this.findKey(key);
    else { const no = this.oddNumber(type, id, false); v = no < 0 ? -1 : 2 * no + this.known[no]!; }
    this.memoId1 = this.memoId0; this.memoType1 = this.memoType0; this.memoNo1 = this.memoNo0;
    this.memoId0 = id; this.memoType0 = type; this.memoNo0 = v;
    return v;
  }

  /** The party's number, or -1. */
  find(type: PartyRef['type'], id: string): number {
    const v = this.lookup(type, id);
    return v < 0 ? -1 : v >> 1;
  }

  /** Whether the registers know the party (one look-up: the flag sits beside the key). */
  knows(type: PartyRef['type'], id: string): boolean {
    const v = this.lookup(type, id);
    return v >= 0 && (v & 1) === 1;
  }

  /** The party's number, numbering it when new. */
  add(type: PartyRef['type'], id: string): number {
    const key = packString(type, id);
    return key >= 0 ? this.addKey(key) : this.oddNumber(type, id, true);
  }

  /** The same from a field of a COPY line, without building a string for the usual forms. */
  addField(type: PartyRef['type'], l: Line): number {
    const key = packBytes(type, l.buf, l.s, l.e);
    return key >= 0 ? this.addKey(key) : this.oddNumber(type, l.str(), true);
  }

  markKnown(i: number): void {
    this.memoId0 = this.memoId1 = null;
    this.known[i] = 1;
    const key = this.keys[i]!;
    if (key < 0) return;
    const slot = this.lastSlot >= 0 && this.slots[2 * this.lastSlot] === key ? this.lastSlot : this.slotOf(key);
    this.slots[2 * slot + 1] = 2 * i + 1;
  }
  isKnown(i: number): boolean { return i >= 0 && this.known[i] === 1; }

  ref(i: number): PartyRef {
    const key = this.keys[i]!;
    return key >= 0 ? unpack(key) : this.oddRefs.get(i)!;
  }

  /** Typed-array bytes held (for the benchmark's account). */
  bytes(): number { return this.keys.byteLength + this.slots.byteLength + this.known.byteLength; }
}

// ---- small value tables -------------------------------------------------------------------------

/** Values that recur (issue lists, municipalities, targets, roles) as small integers. */
export class Table<T> {
  readonly values: T[] = [];
  private readonly index = new Map<string, number>();
  constructor(private readonly make: (text: string) => T) {}
  of(text: string): number {
    let i = this.index.get(text);
    if (i === undefined) { i = this.values.length; this.values.push(this.make(text)); this.index.set(text, i); }
    return i;
  }
}

const STATUSES: readonly StoredStatus[] = ['requested', 'active', 'rejected', 'revoked', 'renounced', 'consumed'];
export const statusCode = (s: string): number => { const i = STATUSES.indexOf(s as StoredStatus); if (i < 0) throw new Error(`unknown mandate status ${s}`); return i; };
const SIGNINGS: readonly Signing[] = ['alone', 'jointly', 'none'];
export const signingCode = (s: string): number => { const i = SIGNINGS.indexOf(s as Signing); if (i < 0) throw new Error(`unknown signing ${s}`); return i; };
export const signingOf = (i: number): Signing => SIGNINGS[i]!;

const EPOCH = Date.UTC(2000, 0, 1);
const dayStrings = new Map<number, LocalDate>();
/** A day number (days since 2000-01-01) as a shared date string. */
export function dayString(n: number): LocalDate {
  let d = dayStrings.get(n);
  if (d === undefined) dayStrings.set(n, (d = new Date(EPOCH + n * 86_400_000).toISOString().slice(0, 10) as LocalDate));
  return d;
}
export const dayNumber = (d: string): number => Math.round((Date.UTC(+d.slice(0, 4), +d.slice(5, 7) - 1, +d.slice(8, 10)) - EPOCH) / 86_400_000);

/** Parses a PostgreSQL text[] literal such as {a,b} or {"a b",c}. */
export function parseTextArray(lit: string): string[] {
  const body = lit.slice(1, -1);
  if (body === '') return [];
  if (!body.includes('"')) return body.split(',');
  const out: string[] = [];
  for (let i = 0; i < body.length;) {
    let v = '';
    if (body[i] === '"') {
      for (i++; body[i] !== '"'; i++) v += body[i] === '\\' ? body[++i] : body[i];
      i++;
    } else {
      while (i < body.length && body[i] !== ',') v += body[i++];
    }
    out.push(v);
    i++; // the comma
  }
  return out;
}
export const arrayText = (xs: readonly string[]) => `{${xs.map((x) => (/^[\w-]+$/.test(x) ? x : JSON.stringify(x))).join(',')}}`;

// ---- mandates as columns ----------------------------------------------------------------------

const HEX = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) HEX['0123456789abcdef'.charCodeAt(i)] = i;
const HEXCHARS = '0123456789abcdef';
/**
 * A UUID's text is made from its 36 character codes in one call: one flat string, where 36
 * concatenations made a rope that was flattened again when the answer was written (0.3 µs against
 * 0.6–0.8 µs a UUID, made and serialised, in a micro-benchmark).
 */
const UUID_CODES: number[] = new Array<number>(36).fill(45);
const HEX_CODES: readonly number[] = Array.from(HEXCHARS, (c) => c.charCodeAt(0));

/** Mandate ids as bytes: a UUID in 17 bytes (tag 1 + 16), any other id as tag 0, its length and its bytes. */
export class IdBytes {
  private a = new Uint8Array(1 << 20);
  private n = 0;

  reserve(min: number): void {
    if (min <= this.a.length) return;
    const b = new Uint8Array(Math.max(min, this.a.length * 2));
    b.set(this.a.subarray(0, this.n));
    this.a = b;
  }

  add(src: Uint8Array, s: number, e: number): number {
    const at = this.n;
    if (e - s === 36 && isUuid(src, s)) {
      if (at + 17 > this.a.length) this.reserve(at + 17);
      const a = this.a;
      a[at] = 1;
      let o = at + 1;
      for (let i = s; i < e; i++) {
        if (i - s === 8 || i - s === 13 || i - s === 18 || i - s === 23) continue;
        a[o++] = (HEX[src[i]!]! << 4) | HEX[src[++i]!]!;
      }
      this.n = at + 17;
      return at;
    }
    const len = e - s;
    if (len > 255) throw new Error('mandate id too long for the index');
    if (at + 2 + len > this.a.length) this.reserve(at + 2 + len);
    const a = this.a;
    a[at] = 0;
    a[at + 1] = len;
    for (let i = 0; i < len; i++) a[at + 2 + i] = src[s + i]!;
    this.n = at + 2 + len;
    return at;
  }

  addString(id: string): number {
    const buf = Buffer.from(id, 'utf8');
    return this.add(buf, 0, buf.length);
  }

  get(at: number): string {
    const a = this.a;
    if (a[at] === 0) return Buffer.from(a.buffer, a.byteOffset + at + 2, a[at + 1]!).toString('utf8');
    const t = UUID_CODES;
    for (let i = 0, o = 0; i < 16; i++) {
      if (i === 4 || i === 6 || i === 8 || i === 10) o++;
      const x = a[at + 1 + i]!;
      t[o++] = HEX_CODES[x >> 4]!;
      t[o++] = HEX_CODES[x & 15]!;
    }
    return String.fromCharCode.apply(null, t);
  }

  bytes(): number { return this.a.byteLength; }
}

function isUuid(b: Uint8Array, s: number): boolean {
  for (let i = 0; i < 36; i++) {
    const c = b[s + i]!;
    if (i === 8 || i === 13 || i === 18 || i === 23) { if (c !== 45) return false; } else if (c >= 128 || HEX[c]! < 0) return false;
  }
  return true;
}

/** Mandates being loaded, in any order; `finish()` sorts them by (agent, principal). Plain typed fields: the load's hot path stays monomorphic. */
export class MandateColumnsBuilder {
  private cap = 0;
  n = 0;
  agent = new Int32Array(0);
  principal = new Int32Array(0);
  id = new Uint32Array(0);
  issues = new Uint16Array(0);
  from = new Int32Array(0);
  until = new Int32Array(0);
  /** Status code in the low bits; 8 = one-off. */
  flags = new Uint8Array(0);
  target = new Int32Array(0);
  municipality = new Uint16Array(0);

  constructor(readonly ids: IdBytes, readonly tables: MandateTables) { this.reserve(1024); }

  get count() { return this.n; }

  reserve(min: number): void {
    if (min <= this.cap) return;
    const cap = Math.max(min, this.cap * 2);
    const n = this.n;
    const grow = <T extends TypedArray>(a: T, C: Ctor<T>): T => { const b = new C(cap); b.set(a.subarray(0, n) as never); return b; };
    this.agent = grow(this.agent, Int32Array); this.principal = grow(this.principal, Int32Array); this.id = grow(this.id, Uint32Array);
    this.issues = grow(this.issues, Uint16Array); this.from = grow(this.from, Int32Array); this.until = grow(this.until, Int32Array);
    this.flags = grow(this.flags, Uint8Array); this.target = grow(this.target, Int32Array); this.municipality = grow(this.municipality, Uint16Array);
    this.cap = cap;
  }

  add(agent: number, principal: number, idAt: number, issues: number, from: number, until: number, flags: number, target: number, municipality: number): void {
    const i = this.n;
    if (i === this.cap) this.reserve(i + 1);
    this.agent[i] = agent; this.principal[i] = principal; this.id[i] = idAt; this.issues[i] = issues;
    this.from[i] = from; this.until[i] = until; this.flags[i] = flags; this.target[i] = target; this.municipality[i] = municipality;
    this.n = i + 1;
  }

  /** Sorts by (agent, principal) into CSR form over `parties` numbers. */
  finish(parties: number): MandateColumns {
    const n = this.n;
    const agent = this.agent;
    const principal = this.principal;
    const start = new Int32Array(parties + 1);
    for (let i = 0; i < n; i++) start[agent[i]! + 1]!++;
    for (let p = 0; p < parties; p++) start[p + 1]! += start[p]!;
    const fill = start.slice(0, parties);
    const perm = new Int32Array(n);
    for (let i = 0; i < n; i++) perm[fill[agent[i]!]!++] = i;
    // Within an agent, by principal (segments are short: insertion sort, or a sort of the slice when long).
    for (let p = 0; p < parties; p++) {
      const s = start[p]!, e = start[p + 1]!;
      if (e - s < 2) continue;
      if (e - s > 64) {
        const seg = Array.from(perm.subarray(s, e)).sort((x, y) => principal[x]! - principal[y]! || x - y);
        perm.set(seg, s);
        continue;
      }
      for (let i = s + 1; i < e; i++) {
        const v = perm[i]!, k = principal[v]!;
        let j = i - 1;
        while (j >= s && principal[perm[j]!]! > k) { perm[j + 1] = perm[j]!; j--; }
        perm[j + 1] = v;
      }
    }
    this.agent = new Int32Array(0); // no longer needed: the offsets say it
    // One row of ROW int32s per mandate, in (agent, principal) order: what a check reads of one
    // mandate sits in one cache line (nine columns were nine misses in a server; decision 0018).
    const rows = new Int32Array(n * ROW);
    for (let i = 0; i < n; i++) {
      const j = perm[i]!, o = i * ROW;
      rows[o + R_PRINCIPAL] = this.principal[j]!; rows[o + R_ID] = this.id[j]!; rows[o + R_ISSUES] = this.issues[j]!;
      rows[o + R_FROM] = this.from[j]!; rows[o + R_UNTIL] = this.until[j]!; rows[o + R_FLAGS] = this.flags[j]!;
      rows[o + R_TARGET] = this.target[j]!; rows[o + R_MUNICIPALITY] = this.municipality[j]!;
    }
    return new MandateColumns(start, parties, rows, this.ids, this.tables);
  }
}

/** A mandate's row in `MandateColumns.rows`: 8 int32s (32 bytes, two rows to a 64-byte cache line). */
const ROW = 8;
const R_PRINCIPAL = 0, R_ID = 1, R_ISSUES = 2, R_FROM = 3, R_UNTIL = 4, R_FLAGS = 5, R_TARGET = 6, R_MUNICIPALITY = 7;

export interface MandateTables {
  issues: Table<readonly IssueCode[]>;
  municipalities: Table<string>;
  targets: Table<string>;
}

export function mandateTables(): MandateTables {
  return {
    issues: new Table((t) => Object.freeze(parseTextArray(t))),
    municipalities: new Table((t) => t),
    targets: new Table((t) => t),
  };
}

/** The immutable base: mandates sorted by (agent, principal); agent p's are [start[p], start[p + 1]). */
export class MandateColumns {
  constructor(
    readonly start: Int32Array, readonly parties: number,
    /** Mandate i is `rows[i * ROW …]`: principal, id's place in `ids`, issues, from, until, flags, target, municipality. */
    readonly rows: Int32Array,
    readonly ids: IdBytes, readonly tables: MandateTables,
  ) {}

  get count() { return this.rows.length / ROW; }

  /** The principal's number of mandate i. */
  principal(i: number): number { return this.rows[i * ROW]!; }

  /** The first mandate of `agent` with `principal` (or where it would be): binary search in the agent's run. */
  lowerBound(agent: number, principal: number): number {
    if (agent >= this.parties) return 0;
    let lo = this.start[agent]!, hi = this.start[agent + 1]!;
    const rows = this.rows;
    while (lo < hi) { const mid = (lo + hi) >>> 1; if (rows[mid * ROW]! < principal) lo = mid + 1; else hi = mid; }
    return lo;
  }

  end(agent: number): number { return agent >= this.parties ? 0 : this.start[agent + 1]!; }

  /** Mandate i as the domain's `Mandate`, for the given parties (a view built per check). */
  mandate(i: number, agent: PartyRef, principal: PartyRef): Mandate {
    const r = this.rows, o = i * ROW;
    const f = r[o + R_FLAGS]!;
    const t = r[o + R_TARGET]!;
    const m = r[o + R_MUNICIPALITY]!;
    return {
      id: this.ids.get(r[o + R_ID]! >>> 0) as Mandate['id'],
      principal, agent,
      issues: this.tables.issues.values[r[o + R_ISSUES]!]!,
      validFrom: dayString(r[o + R_FROM]!),
      validUntil: dayString(r[o + R_UNTIL]!),
      status: STATUSES[f & 7]!,
      oneOff: (f & 8) !== 0,
      target: t < 0 ? null : { type: 'property', id: this.tables.targets.values[t]! },
      municipality: m === 0 ? null : this.tables.municipalities.values[m - 1]! as Mandate['municipality'],
    };
  }

  bytes(): number { return this.start.byteLength + this.rows.byteLength + this.ids.bytes(); }
}

// ---- registers: lists per party as CSR ----------------------------------------------------------

/** Pairs (owner, value[, extra]) collected in any order, then grouped by owner. */
export class PairsBuilder {
  private owner = new Int32Array(1024);
  private value = new Int32Array(1024);
  private extra = new Int32Array(1024);
  private n = 0;
  add(owner: number, value: number, extra = 0): void {
    const i = this.n;
    if (i === this.owner.length) {
      const grow = (a: Int32Array) => { const b = new Int32Array(a.length * 2); b.set(a); return b; };
      this.owner = grow(this.owner); this.value = grow(this.value); this.extra = grow(this.extra);
    }
    this.owner[i] = owner; this.value[i] = value; this.extra[i] = extra;
    this.n = i + 1;
  }
  finish(parties: number): Pairs {
    const n = this.n;
    const o = this.owner;
    const start = new Int32Array(parties + 1);
    for (let i = 0; i < n; i++) start[o[i]! + 1]!++;
    for (let p = 0; p < parties; p++) start[p + 1]! += start[p]!;
    const fill = start.slice(0, parties);
    const value = new Int32Array(n), extra = new Int32Array(n);
    for (let i = 0; i < n; i++) { const at = fill[o[i]!]!++; value[at] = this.value[i]!; extra[at] = this.extra[i]!; }
    return new Pairs(start, parties, value, extra);
  }
}

export class Pairs {
  constructor(readonly start: Int32Array, readonly parties: number, readonly value: Int32Array, readonly extra: Int32Array) {}
  from(owner: number): number { return owner >= this.parties ? 0 : this.start[owner]!; }
  to(owner: number): number { return owner >= this.parties ? 0 : this.start[owner + 1]!; }
  bytes(): number { return this.start.byteLength + this.value.byteLength + this.extra.byteLength; }
}
