import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import {
  asMunicipalityCode,
  birthDateOf,
  decide,
  partyKey,
  type CheckQuery,
  type Decision,
  type IssueCode,
  type LocalDate,
  type Mandate,
  type PartyRef,
  type Relations,
  type Signing,
} from '@puolesta/domain';
import { channelName, isUnavailable, type DatabaseHandle, type Listener } from '../db/database.js';
import { mandatesChangedSince } from '../repositories/mandates.repository.js';
import {
  allCourtGuardianships, allGuardianships, allOrganizationRoles, authzVersion, dropNode, organizationNames, personNamesPage, processesBehind, renewLease,
  slimMandatesPage, type SlimMandateRow,
} from '../repositories/authz.repository.js';
import { loadRelations, partyExists, registerChangesSince, type RegisterChange } from '../repositories/registers.repository.js';
import type { Logger } from '../logger.js';

interface Court { id: number; ward: string; scope: IssueCode[]; validUntil: LocalDate | null }
interface Role { organization: string; role: string; signing: Signing }

export interface IndexOptions {
  /** How long this process may answer from memory without hearing from the database. */
  leaseMs?: number;
  /** How often the lease is renewed (and changes polled, in case a notification was missed). */
  heartbeatMs?: number;
  /** Awaited before the snapshot is read (a test makes the load slow with it). */
  beforeSnapshot?: () => Promise<void>;
}

/**
 * An in-process index of every basis for acting for someone: mandates by agent, guardianships,
 * court guardianships and organisation roles. Checks are answered from memory; the database stays
 * the source of truth.
 *
 * Freshness across processes ("new enemy"): each change bumps a version and NOTIFYs. A process
 * answers from memory only while it holds a lease in `authz_nodes`, renewed only when it has
 * applied every change (renewal takes a share lock on the version row, so it cannot slip past a
 * committing change). A writer returns only after every process with a live lease has acknowledged
 * its version, or that lease has run out. A process without a valid lease reads the database.
 */
export class AuthorizationIndex {
  readonly nodeId = randomUUID();
  private version = -1;
  /** Mandates by agent: persons and organisations apart, keyed by the bare id (no key strings to build). */
  private byAgent: AgentMaps = { person: new Map(), organization: new Map() };
  /**
   * The same mandates by (agent, principal) pair: a check is one lookup. At a million people the
   * cost of a check is memory latency, and walking an agent's list chases several pointers per
   * mandate (measured: ~3.5 µs for three mandates, against ~0.15 µs for one pair lookup).
   */
  private byPair = new Map<number, Mandate[]>();
  /** Every person and organisation as a small integer, and their names: numeric pair keys, no string building. */
  private parties = new PartyTable();
  private children = new Map<string, string[]>();
  private courts = new Map<string, Court[]>();
  private roles = new Map<string, Role[]>();
  private leaseValidUntil = 0;
  private catching: Promise<void> | null = null;
  private next: Promise<void> | null = null;
  private readonly pool = new Interner();
  private listener: Listener | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly leaseMs: number;
  private readonly heartbeatMs: number;
  private readonly channel: string;
  private stopped = false;
  /** The heartbeat is failing (the database is away): logged once when it starts and once when it ends. */
  private failing = false;
  /** The snapshot is in memory: until then nothing is applied and every answer comes from the database. */
  private loaded = false;
  private readonly beforeSnapshot: (() => Promise<void>) | undefined;

  constructor(private readonly h: DatabaseHandle, private readonly log?: Logger, opts: IndexOptions = {}) {
    this.leaseMs = opts.leaseMs ?? 5000;
    this.heartbeatMs = opts.heartbeatMs ?? 1000;
    this.channel = channelName(h.schema, 'authz');
    this.beforeSnapshot = opts.beforeSnapshot;
  }

  get notifyChannel() { return this.channel; }
  get appliedVersion() { return this.version; }
  /** The snapshot has been loaded (the process may still be without a lease). */
  get isLoaded() { return this.loaded; }

  async start(): Promise<void> {
    this.listener = await this.h.newListener();
    await this.listener.listen(this.channel, () => this.tick());
    // Notifications sent while the listener was away are lost: catch up on everything since the applied version.
    this.listener.onReconnect?.(() => { this.log?.info('authz: change notifications reconnected, catching up'); this.tick(); });
    await this.beforeSnapshot?.();
    await this.loadSnapshot();
    this.loaded = true;
    await this.refresh();
    if (this.stopped) return;
    this.timer = setInterval(() => this.tick(), this.heartbeatMs);
    this.timer.unref();
  }

  /** A refresh from a notification or the heartbeat: failures (the database away) are logged once, not every second. */
  private tick(): void {
    void this.refresh().then(() => {
      if (this.failing) this.log?.info('authz: the database answers again; lease renewed');
      this.failing = false;
    }, (e) => {
      if (!this.failing && !this.stopped) this.log?.warn({ err: e }, 'authz: refresh failed; answering from the database once the lease runs out');
      this.failing = true;
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.leaseValidUntil = 0;
    await this.listener?.close();
    await dropNode(this.h.db, this.nodeId).catch(() => {});
  }

  /** Fresh means: this process holds a lease, so every committed change has reached it or will block its writer. */
  isFresh(): boolean {
    return !this.stopped && Date.now() < this.leaseValidUntil;
  }

  /**
   * Everything in one repeatable-read snapshot. At 2,000,000 mandates and 1,000,000 persons the
   * load reads only the columns a decision needs, in keyset pages, and shares repeated values
   * (issue lists, dates, the agent) between mandates; see docs/decisions/0002-authorization-index.md.
   */
  private async loadSnapshot(): Promise<void> {
    // A long read at national scale: on the connection without statement/query timeouts.
    const db = this.h.slowDb ?? this.h.db;
    const pool = this.pool;
    await db.transaction().setIsolationLevel('repeatable read').execute(async (tx) => {
      const version = await authzVersion(tx);
      const byAgent: AgentMaps = { person: new Map(), organization: new Map() };
      const byPair = new Map<number, Mandate[]>();
      const batch = 100_000;
      const parties = new PartyTable();
      for (let after = ''; ;) {
        const rows = await personNamesPage(tx, after, batch);
        for (const p of rows) parties.add('person', p.id, p.name);
        if (rows.length < batch) break;
        after = rows[rows.length - 1]!.id;
      }
      for (const o of await organizationNames(tx)) parties.add('organization', o.id, o.name);

      for (let after = ''; ;) {
        const rows = await slimMandatesPage(tx, after, batch);
        for (const r of rows) {
          const m = byAgent[r.agent_type];
          let list = m.get(r.agent_id);
          if (!list) m.set(r.agent_id, (list = []));
          const mandate = pool.mandate(r, list[0]?.agent);
          list.push(mandate);
          const k = parties.pairKey(mandate.agent, mandate.principal);
          const pair = byPair.get(k);
          if (pair) pair.push(mandate);
          else byPair.set(k, [mandate]);
        }
        if (rows.length < batch) break;
        after = rows[rows.length - 1]!.id;
      }
      const children = new Map<string, string[]>();
      for (const g of await allGuardianships(tx)) {
        (children.get(g.guardian_id) ?? children.set(g.guardian_id, []).get(g.guardian_id)!).push(g.child_id);
      }
      const courts = new Map<string, Court[]>();
      for (const c of await allCourtGuardianships(tx)) {
        (courts.get(c.guardian_id) ?? courts.set(c.guardian_id, []).get(c.guardian_id)!).push({ id: Number(c.id), ward: c.ward_id, scope: c.scope, validUntil: c.valid_until as LocalDate | null });
      }
      const roles = new Map<string, Role[]>();
      for (const r of await allOrganizationRoles(tx)) {
        (roles.get(r.person_id) ?? roles.set(r.person_id, []).get(r.person_id)!).push({ organization: r.organization_id, role: pool.str(r.role), signing: r.signing });
      }
      Object.assign(this, { byAgent, byPair, parties, children, courts, roles, version });
    });
  }

  /**
   * Applies every change committed since the applied version, then renews the lease. Whoever asks
   * while a refresh runs shares one follow-up refresh that starts after their call (no convoy).
   */
  refresh(): Promise<void> {
    // Still loading (start() runs in the background): the load reads everything; start() catches up after it.
    if (!this.loaded) return Promise.resolve();
    if (this.catching) {
      this.next ??= this.catching.catch(() => {}).then(() => { this.next = null; return this.refresh(); });
      return this.next;
    }
    this.catching = this.syncAndRenew().finally(() => { this.catching = null; });
    return this.catching;
  }

  private apply(m: Mandate): void {
    const byType = this.byAgent[m.agent.type];
    let list = byType.get(m.agent.id);
    if (!list) byType.set(m.agent.id, (list = []));
    const slim = this.pool.fromMandate(m, list[0]?.agent);
    const i = list.findIndex((x) => x.id === m.id);
    if (i >= 0) list[i] = slim;
    else list.push(slim);
    const k = this.parties.pairKey(slim.agent, slim.principal);
    const pair = this.byPair.get(k);
    if (!pair) this.byPair.set(k, [slim]);
    else {
      const j = pair.findIndex((x) => x.id === m.id);
      if (j >= 0) pair[j] = slim;
      else pair.push(slim);
    }
  }

  /** Applies one register change (in version order): a row recorded or changed, or a tombstone. */
  private applyRegister(c: RegisterChange): void {
    if (c.kind === 'guardianship') {
      const list = this.children.get(c.guardian);
      if (c.removed) {
        if (!list) return;
        const rest = list.filter((x) => x !== c.child);
        if (rest.length) this.children.set(c.guardian, rest);
        else this.children.delete(c.guardian);
      } else if (!list) this.children.set(c.guardian, [c.child]);
      else if (!list.includes(c.child)) list.push(c.child);
    } else if (c.kind === 'court-guardianship') {
      const rest = (this.courts.get(c.guardian) ?? []).filter((x) => x.id !== c.id);
      if (!c.removed) rest.push({ id: c.id, ward: c.ward, scope: c.scope, validUntil: c.validUntil });
      if (rest.length) this.courts.set(c.guardian, rest);
      else this.courts.delete(c.guardian);
    } else {
      const rest = (this.roles.get(c.person) ?? []).filter((x) => !(x.organization === c.organization && x.role === c.role));
      if (!c.removed) rest.push({ organization: c.organization, role: this.pool.str(c.role), signing: c.signing });
      if (rest.length) this.roles.set(c.person, rest);
      else this.roles.delete(c.person);
    }
  }

  /**
   * Catches up and renews the lease in one transaction holding a share lock on the version row:
   * no change can commit meanwhile, and every version up to the one read has committed (a writer
   * holds the row from its bump to its commit), so after reading the changes this process has
   * applied exactly that version — even when no mandate row carries it.
   */
  private async syncAndRenew(): Promise<void> {
    if (this.stopped) return;
    const sentAt = Date.now();
    await this.h.db.transaction().execute(async (tx) => {
      const v = await authzVersion(tx, true);
      if (v > this.version) {
        this.leaseValidUntil = 0;
        for (const m of await mandatesChangedSince(tx, this.version)) this.apply(m);
        for (const c of await registerChangesSince(tx, this.version)) this.applyRegister(c);
        this.version = v;
      }
      await renewLease(tx, this.nodeId, this.version, this.leaseMs);
    });
    // now() above is the transaction's start, after sentAt: the local lease ends first.
    if (!this.stopped) this.leaseValidUntil = sentAt + this.leaseMs - 250;
  }

  /**
   * Called by a writer after its transaction committed with `version`: applies it here, then waits
   * until no other live process is still behind it.
   */
  async afterCommit(version: number): Promise<void> {
    // Every lease, this process's included, was renewed before the commit or acknowledges it (a
    // renewal catches up first, under a share lock on the version row): by this deadline, elapsed
    // time after the commit, none granted before the commit is alive anywhere.
    const deadline = performance.now() + this.leaseMs + 1000;
    try {
      // While the snapshot loads this process answers from the database: only the other processes matter.
      while (this.loaded && this.version < version) await this.refresh();
      for (let wait = 1; ; wait = Math.min(wait * 2, 20)) {
        if ((await processesBehind(this.h.db, this.nodeId, version)) === 0) return;
        // Past the deadline a process counted behind can only be an answer older than it (an event
        // loop late under load): answering 500 for a committed change would be wrong (decision 0022).
        if (performance.now() > deadline) {
          this.log?.warn({ version }, 'authz: a change was not seen acknowledged in time; the leases have run out');
          return;
        }
        await new Promise((res) => setTimeout(res, wait));
      }
    } catch (e) {
      // The change is committed; the database went away before every process was seen to have it
      // (PostgreSQL restarted, a partition). Answering 503 would tell the client it was not done.
      // Waiting the leases out gives the same guarantee as the acknowledgements (decision 0022).
      if (!isUnavailable(e)) throw e;
      this.log?.warn({ err: { message: (e as Error).message } }, 'authz: database away after a commit; waiting the leases out');
      const rest = deadline - performance.now();
      if (rest > 0) await new Promise((res) => setTimeout(res, rest));
    }
  }

  // ---- answering ----------------------------------------------------------------------------

  knows(p: PartyRef): boolean {
    return this.parties.knows(p);
  }

  nameOf(p: PartyRef): string | undefined {
    return this.parties.name(p);
  }

  /** Relations from memory (call only when fresh). */
  relations(actor: PartyRef, principal: PartyRef): Relations {
    // Hot path: one lookup per kind of basis, loops rather than filter() (no closure per check).
    const a = this.parties.index(actor);
    const b = this.parties.index(principal);
    const mandates: readonly Mandate[] = (a !== undefined && b !== undefined && this.byPair.get(a * PAIR_STRIDE + b)) || NONE;
    let guardianOfChildBorn: LocalDate | null = null;
    const courtGuardianships: Court[] = [];
    const organizationRoles: Role[] = [];
    if (actor.type === 'person') {
      if (principal.type === 'person') {
        if (this.children.get(actor.id)?.includes(principal.id)) guardianOfChildBorn = birthDateOf(principal.id);
        const c = this.courts.get(actor.id);
        if (c) for (const x of c) if (x.ward === principal.id) courtGuardianships.push(x);
      } else {
        const r = this.roles.get(actor.id);
        if (r) for (const x of r) if (x.organization === principal.id) organizationRoles.push(x);
      }
    }
    return { mandates, guardianOfChildBorn, courtGuardianships, organizationRoles };
  }

  /** The in-process check, or the database's answer when this process is not known fresh. */
  async check(q: CheckQuery): Promise<Decision> {
    if (this.isFresh()) return decide(q, this.relations(q.actor, q.principal));
    return decide(q, await loadRelations(this.h.db, q.actor, q.principal));
  }

  async exists(p: PartyRef): Promise<boolean> {
    if (this.isFresh()) return this.knows(p);
    return partyExists(this.h.db, p);
  }

  /** Everyone the actor has some basis for, as candidates to decide on (memory only). */
  candidatePrincipals(actor: PartyRef): PartyRef[] {
    const seen = new Set<string>();
    const out: PartyRef[] = [];
    const add = (p: PartyRef) => { const k = partyKey(p); if (!seen.has(k)) { seen.add(k); out.push(p); } };
    for (const m of this.byAgent[actor.type].get(actor.id) ?? []) add(m.principal);
    if (actor.type === 'person') {
      for (const c of this.children.get(actor.id) ?? []) add({ type: 'person', id: c });
      for (const c of this.courts.get(actor.id) ?? []) add({ type: 'person', id: c.ward });
      for (const r of this.roles.get(actor.id) ?? []) add({ type: 'organization', id: r.organization });
    }
    return out;
  }
}

const NONE: readonly Mandate[] = Object.freeze([]);
const PAIR_STRIDE = 2 ** 22; // up to 4,194,304 parties: pair keys stay exact integers (< 2^53)

/** Persons and organisations numbered 0, 1, 2 …; a party a mandate names but the registers lack gets a number and no name. */
class PartyTable {
  private readonly ids = { person: new Map<string, number>(), organization: new Map<string, number>() };
  private readonly names: (string | undefined)[] = [];

  add(type: PartyRef['type'], id: string, name: string | undefined): number {
    const known = this.ids[type].get(id);
    if (known !== undefined) {
      if (name !== undefined) this.names[known] = name;
      return known;
    }
    const i = this.names.length;
    if (i >= PAIR_STRIDE) throw new Error('too many parties for the authorization index');
    this.ids[type].set(id, i);
    this.names.push(name);
    return i;
  }
  index(p: PartyRef): number | undefined { return this.ids[p.type].get(p.id); }
  knows(p: PartyRef): boolean { const i = this.index(p); return i !== undefined && this.names[i] !== undefined; }
  name(p: PartyRef): string | undefined { const i = this.index(p); return i === undefined ? undefined : this.names[i]; }
  pairKey(agent: PartyRef, principal: PartyRef): number {
    return this.add(agent.type, agent.id, undefined) * PAIR_STRIDE + this.add(principal.type, principal.id, undefined);
  }
}


type AgentMaps = Record<PartyRef['type'], Map<string, Mandate[]>>;

/** Parses a PostgreSQL text[] literal such as {a,b} or {"a b",c}. */
function parseTextArray(lit: string): string[] {
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

/**
 * Shares equal values between mandates: the same few issue lists, dates and statuses recur
 * across millions of rows. Only what decide() reads is kept.
 */
class Interner {
  private strings = new Map<string, string>();
  private lists = new Map<string, readonly string[]>();
  private days = new Map<number, LocalDate>();

  day(n: number): LocalDate {
    let d = this.days.get(n);
    if (d === undefined) this.days.set(n, (d = new Date(Date.UTC(2000, 0, 1) + n * 86_400_000).toISOString().slice(0, 10) as LocalDate));
    return d;
  }

  str<T extends string>(s: T): T {
    const x = this.strings.get(s);
    if (x !== undefined) return x as T;
    this.strings.set(s, s);
    return s;
  }

  issues(lit: string): readonly string[] {
    let l = this.lists.get(lit);
    if (!l) this.lists.set(lit, (l = Object.freeze(parseTextArray(lit).map((x) => this.str(x)))));
    return l;
  }

  mandate(r: SlimMandateRow, agent: PartyRef | undefined): Mandate {
    return {
      id: r.id as Mandate['id'],
      principal: { type: r.principal_type, id: r.principal_id },
      agent: agent ?? { type: r.agent_type, id: r.agent_id },
      issues: this.issues(r.issues),
      validFrom: this.day(r.valid_from),
      validUntil: this.day(r.valid_until),
      status: this.str(r.status) as Mandate['status'],
      oneOff: r.one_off,
      target: r.target_type ? { type: 'property', id: r.target_id! } : null,
      municipality: r.municipality === null ? null : asMunicipalityCode(this.str(r.municipality)),
    };
  }

  fromMandate(m: Mandate, agent: PartyRef | undefined): Mandate {
    return {
      id: m.id,
      principal: { type: m.principal.type, id: m.principal.id },
      agent: agent ?? { type: m.agent.type, id: m.agent.id },
      issues: this.issues(m.issues.every((i) => /^[\w-]+$/.test(i)) ? `{${m.issues.join(',')}}` : `{${m.issues.map((i) => JSON.stringify(i)).join(',')}}`),
      validFrom: this.str(m.validFrom),
      validUntil: this.str(m.validUntil),
      status: this.str(m.status),
      oneOff: m.oneOff,
      target: m.target ? { type: 'property', id: m.target.id } : null,
      municipality: m.municipality ? this.str(m.municipality) : null,
    };
  }
}
