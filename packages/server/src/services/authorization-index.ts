import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import {
  birthDateOf,
  decide,
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
import { authzVersion, dropNode, processesBehind, readIndexSnapshot, renewLease, type SnapshotReader } from '../repositories/authz.repository.js';
import { loadRelations, partyExists, registerChangesSince, type RegisterChange } from '../repositories/registers.repository.js';
import type { Logger } from '../logger.js';
import {
  IdBytes, Line, MandateColumnsBuilder, PairsBuilder, Parties, Table, arrayText, dayNumber, mandateTables, parseTextArray, signingCode, signingOf, statusCode,
  type MandateColumns, type MandateTables, type Pairs,
} from './compact-index.js';

interface Court { id: number; ward: string; wardNo: number; scope: readonly IssueCode[]; validUntil: LocalDate | null }
/** A kind of role (its name and signing right), shared by every holder. */
interface RoleKind { readonly role: string; readonly signing: Signing }
/** A role of a person whose roles changed since the load. */
interface RoleEntry { organization: number; kind: RoleKind }
/** A mandate of an agent whose mandates changed since the load. */
interface OverlayMandate { principal: number; mandate: Mandate }

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
  /** Every person and organisation as a number (packed ids, no names: names are read from the database when shown). */
  private parties = new Parties();
  private tables: MandateTables = mandateTables();
  /** The mandates loaded at start, as columns sorted by (agent, principal): a check is a binary search in the agent's run. */
  private mandates: MandateColumns = new MandateColumnsBuilder(new IdBytes(), this.tables).finish(0);
  /**
   * Agents whose mandates changed after the load: their whole list, which replaces the base's run
   * (the base stays immutable; an agent's list is copied here at its first change).
   */
  private mandateOverlay = new Map<number, OverlayMandate[]>();
  /** Children by guardian (CSR over party numbers), and the lists of guardians changed since. */
  private children: Pairs = new PairsBuilder().finish(0);
  private childOverlay = new Map<number, number[]>();
  /** Court guardianships by guardian's number (few: a map). */
  private courts = new Map<number, Court[]>();
  /** Roles by person: organisation number and role kind; the lists of persons changed since. */
  private roles: Pairs = new PairsBuilder().finish(0);
  private roleKinds = new Table<RoleKind>((t) => { const [role, signing] = t.split('\t'); return Object.freeze({ role: role!, signing: signing as Signing }); });
  private roleOverlay = new Map<number, RoleEntry[]>();
  private leaseValidUntil = 0;
  private catching: Promise<void> | null = null;
  private next: Promise<void> | null = null;
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
   * Everything in one repeatable-read snapshot, read as COPY text lines straight into typed arrays
   * (decision 0019): only what a decision needs, no names, no object per row kept.
   */
  private async loadSnapshot(): Promise<void> {
    await this.loadFrom((reader) => readIndexSnapshot(this.h, reader));
  }

  /**
   * Builds the index from a snapshot's lines (the database's, or in a benchmark a generator's) and
   * adopts the version the reader returns.
   */
  async loadFrom(read: (reader: SnapshotReader) => Promise<number>): Promise<void> {
    const parties = new Parties();
    const tables = mandateTables();
    const mb = new MandateColumnsBuilder(new IdBytes(), tables);
    const kids = new PairsBuilder();
    const roles = new PairsBuilder();
    const roleKinds = this.roleKinds;
    const courts = new Map<number, Court[]>();
    const l = new Line();
    const type = (c: number): PartyRef['type'] => (c === 112 ? 'person' : 'organization');
    const version = await read({
      estimates(c) {
        parties.reserve(Math.ceil((c.persons + c.organizations) * 1.05));
        mb.reserve(Math.ceil(c.mandates * 1.02));
      },
      line(table, chunk) {
        l.reset(chunk);
        switch (table) {
          case 'persons': parties.markKnown(parties.addField('person', l.next())); break;
          case 'organizations': parties.markKnown(parties.addField('organization', l.next())); break;
          case 'mandates': {
            const at = type(l.next().first());
            const agent = parties.addField(at, l.next());
            const pt = type(l.next().first());
            const principal = parties.addField(pt, l.next());
            l.next();
            const id = mb.ids.add(l.buf, l.s, l.e);
            const issues = tables.issues.of(l.next().str());
            const from = l.next().int();
            const until = l.next().int();
            const status = statusCode(l.next().str());
            const oneOff = l.next().bool();
            const target = l.next().isNull() ? -1 : tables.targets.of(l.str());
            const municipality = l.next().isNull() ? 0 : tables.municipalities.of(l.str()) + 1;
            mb.add(agent, principal, id, issues, from, until, status | (oneOff ? 8 : 0), target, municipality);
            break;
          }
          case 'guardianships': {
            const g = parties.addField('person', l.next());
            kids.add(g, parties.addField('person', l.next()));
            break;
          }
          case 'courtGuardianships': {
            const id = l.next().int();
            const g = parties.addField('person', l.next());
            const ward = l.next().str();
            const scope = Object.freeze(parseTextArray(l.next().str()));
            const validUntil = l.next().strOrNull() as LocalDate | null;
            (courts.get(g) ?? courts.set(g, []).get(g)!).push({ id, ward, wardNo: parties.add('person', ward), scope, validUntil });
            break;
          }
          case 'organizationRoles': {
            const person = parties.addField('person', l.next());
            const org = parties.addField('organization', l.next());
            const role = l.next().str();
            const signing = l.next().str();
            signingCode(signing);
            roles.add(person, org, roleKinds.of(`${role}\t${signing}`));
            break;
          }
        }
      },
    });
    const n = parties.count;
    Object.assign(this, {
      parties, tables, mandates: mb.finish(n), mandateOverlay: new Map(), children: kids.finish(n), childOverlay: new Map(),
      courts, roles: roles.finish(n), roleOverlay: new Map(), version,
    });
  }

  /** Typed-array bytes the index holds outside the JavaScript heap (for the benchmark's account). */
  arrayBytes(): number {
    return this.parties.bytes() + this.mandates.bytes() + this.children.bytes() + this.roles.bytes();
  }

  /** How many mandates the immutable base holds, and how many agents' lists the overlay replaces. */
  sizes() {
    return { parties: this.parties.count, mandates: this.mandates.count, overlayAgents: this.mandateOverlay.size };
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

  /** An agent's mandates as the overlay holds them: copied from the base at the agent's first change. */
  private overlayOf(agent: number): OverlayMandate[] {
    let list = this.mandateOverlay.get(agent);
    if (!list) {
      list = [];
      const base = this.mandates;
      const agentRef = this.parties.ref(agent);
      for (let i = base.lowerBound(agent, -1), e = base.end(agent); i < e; i++) {
        list.push({ principal: base.principal(i), mandate: base.mandate(i, agentRef, this.parties.ref(base.principal(i))) });
      }
      this.mandateOverlay.set(agent, list);
    }
    return list;
  }

  private apply(m: Mandate): void {
    const agent = this.parties.add(m.agent.type, m.agent.id);
    const principal = this.parties.add(m.principal.type, m.principal.id);
    const list = this.overlayOf(agent);
    const slim = this.slim(m);
    const i = list.findIndex((x) => x.mandate.id === m.id);
    if (i >= 0) list[i] = { principal, mandate: slim };
    else list.push({ principal, mandate: slim });
  }

  /** Only what decide() reads, with the shared values of the tables. */
  private slim(m: Mandate): Mandate {
    const t = this.tables;
    return {
      id: m.id,
      principal: { type: m.principal.type, id: m.principal.id } as PartyRef,
      agent: { type: m.agent.type, id: m.agent.id } as PartyRef,
      issues: t.issues.values[t.issues.of(arrayText(m.issues))]!,
      validFrom: m.validFrom,
      validUntil: m.validUntil,
      status: m.status,
      oneOff: m.oneOff,
      target: m.target ? { type: 'property', id: m.target.id } : null,
      municipality: m.municipality ?? null,
    };
  }

  private childrenOf(guardian: number): readonly number[] | Int32Array {
    const over = this.childOverlay.get(guardian);
    if (over) return over;
    return this.children.value.subarray(this.children.from(guardian), this.children.to(guardian));
  }

  /** Whether `child` is among the guardian's children (no subarray view made: the check's hot path). */
  private isChildOf(guardian: number, child: number): boolean {
    const over = this.childOverlay.get(guardian);
    if (over) return over.includes(child);
    const kids = this.children.value;
    for (let i = this.children.from(guardian), e = this.children.to(guardian); i < e; i++) if (kids[i] === child) return true;
    return false;
  }

  private rolesOf(person: number): RoleEntry[] {
    const over = this.roleOverlay.get(person);
    if (over) return over;
    const out: RoleEntry[] = [];
    for (let i = this.roles.from(person), e = this.roles.to(person); i < e; i++) out.push({ organization: this.roles.value[i]!, kind: this.roleKinds.values[this.roles.extra[i]!]! });
    return out;
  }

  /** Applies one register change (in version order): a row recorded or changed, or a tombstone. */
  private applyRegister(c: RegisterChange): void {
    if (c.kind === 'guardianship') {
      const g = this.parties.add('person', c.guardian);
      const child = this.parties.add('person', c.child);
      const list = Array.from(this.childrenOf(g));
      // An empty list stays in the overlay: it hides the base's.
      if (c.removed) this.childOverlay.set(g, list.filter((x) => x !== child));
      else if (!list.includes(child)) this.childOverlay.set(g, [...list, child]);
    } else if (c.kind === 'court-guardianship') {
      const g = this.parties.add('person', c.guardian);
      const rest = (this.courts.get(g) ?? []).filter((x) => x.id !== c.id);
      if (!c.removed) rest.push({ id: c.id, ward: c.ward, wardNo: this.parties.add('person', c.ward), scope: c.scope, validUntil: c.validUntil });
      if (rest.length) this.courts.set(g, rest);
      else this.courts.delete(g);
    } else {
      const person = this.parties.add('person', c.person);
      const org = this.parties.add('organization', c.organization);
      const rest = this.rolesOf(person).filter((x) => !(x.organization === org && x.kind.role === c.role));
      if (!c.removed) rest.push({ organization: org, kind: this.roleKinds.values[this.roleKinds.of(`${c.role}\t${c.signing}`)]! });
      this.roleOverlay.set(person, rest);
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
    return this.parties.knows(p.type, p.id);
  }

  /** Relations from memory (call only when fresh): the view `decide` reads, built from the arrays for this one pair. */
  relations(actor: PartyRef, principal: PartyRef): Relations {
    // Hot path: one lookup per kind of basis, loops rather than filter() (no closure per check).
    const a = this.parties.find(actor.type, actor.id);
    const b = this.parties.find(principal.type, principal.id);
    let mandates: Mandate[] | undefined;
    let guardianOfChildBorn: LocalDate | null = null;
    let courtGuardianships: Court[] | undefined;
    let organizationRoles: RoleKind[] | undefined;
    if (a >= 0 && b >= 0) {
      const over = this.mandateOverlay.get(a);
      if (over) {
        for (const o of over) if (o.principal === b) (mandates ??= []).push(o.mandate);
      } else {
        const base = this.mandates;
        for (let i = base.lowerBound(a, b), e = base.end(a); i < e && base.principal(i) === b; i++) (mandates ??= []).push(base.mandate(i, actor, principal));
      }
      if (actor.type === 'person') {
        if (principal.type === 'person') {
          if (this.isChildOf(a, b)) guardianOfChildBorn = birthDateOf(principal.id);
          const c = this.courts.get(a);
          if (c) for (const x of c) if (x.wardNo === b) (courtGuardianships ??= []).push(x);
        } else {
          const over = this.roleOverlay.get(a);
          if (over) {
            for (const r of over) if (r.organization === b) (organizationRoles ??= []).push(r.kind);
          } else {
            const roles = this.roles;
            for (let i = roles.from(a), e = roles.to(a); i < e; i++) if (roles.value[i] === b) (organizationRoles ??= []).push(this.roleKinds.values[roles.extra[i]!]!);
          }
        }
      }
    }
    return { mandates: mandates ?? NONE, guardianOfChildBorn, courtGuardianships: courtGuardianships ?? NONE, organizationRoles: organizationRoles ?? NONE };
  }

  /** The in-process check, or the database's answer when this process is not known fresh. */
  /**
   * The decision: from memory while the index is fresh — then at once, not as a promise (the
   * e-services' hot path answers without a microtask, decision 0018) — else from the database.
   */
  check(q: CheckQuery): Decision | Promise<Decision> {
    if (this.isFresh()) return decide(q, this.relations(q.actor, q.principal));
    return loadRelations(this.h.db, q.actor, q.principal).then((r) => decide(q, r));
  }

  /** Whether the registers know the party: at once while fresh, else from the database. */
  exists(p: PartyRef): boolean | Promise<boolean> {
    if (this.isFresh()) return this.knows(p);
    return partyExists(this.h.db, p);
  }

  /** Everyone the actor has some basis for, as candidates to decide on (memory only). */
  candidatePrincipals(actor: PartyRef): PartyRef[] {
    const a = this.parties.find(actor.type, actor.id);
    if (a < 0) return [];
    const seen = new Set<number>();
    const over = this.mandateOverlay.get(a);
    if (over) for (const o of over) seen.add(o.principal);
    else for (let i = this.mandates.lowerBound(a, -1), e = this.mandates.end(a); i < e; i++) seen.add(this.mandates.principal(i));
    if (actor.type === 'person') {
      for (const c of this.childrenOf(a)) seen.add(c);
      for (const c of this.courts.get(a) ?? []) seen.add(c.wardNo);
      for (const r of this.rolesOf(a)) seen.add(r.organization);
    }
    return [...seen].map((n) => this.parties.ref(n));
  }
}

const NONE: readonly never[] = Object.freeze([]);
