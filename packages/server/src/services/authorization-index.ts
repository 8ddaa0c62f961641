import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import {
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
import { channelName, type DatabaseHandle, type Listener } from '../db/database.js';
import { mandatesChangedSince, toMandate } from '../repositories/mandates.repository.js';
import { loadRelations, partyExists } from '../repositories/registers.repository.js';
import type { Logger } from '../logger.js';

interface Court { ward: string; scope: IssueCode[]; validUntil: LocalDate | null }
interface Role { organization: string; role: string; signing: Signing }

export interface IndexOptions {
  /** How long this process may answer from memory without hearing from the database. */
  leaseMs?: number;
  /** How often the lease is renewed (and changes polled, in case a notification was missed). */
  heartbeatMs?: number;
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
  private byAgent = new Map<string, Mandate[]>();
  private mandateAgent = new Map<string, string>();
  private children = new Map<string, string[]>();
  private courts = new Map<string, Court[]>();
  private roles = new Map<string, Role[]>();
  private persons = new Map<string, string>(); // id → name
  private organizations = new Map<string, string>();
  private leaseValidUntil = 0;
  private catching: Promise<void> | null = null;
  private listener: Listener | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly leaseMs: number;
  private readonly heartbeatMs: number;
  private readonly channel: string;
  private stopped = false;

  constructor(private readonly h: DatabaseHandle, private readonly log?: Logger, opts: IndexOptions = {}) {
    this.leaseMs = opts.leaseMs ?? 5000;
    this.heartbeatMs = opts.heartbeatMs ?? 1000;
    this.channel = channelName(h.schema, 'authz');
  }

  get notifyChannel() { return this.channel; }
  get appliedVersion() { return this.version; }

  async start(): Promise<void> {
    this.listener = await this.h.newListener();
    await this.listener.listen(this.channel, () => { void this.refresh().catch((e) => this.log?.warn({ err: e }, 'authz refresh failed')); });
    await this.loadSnapshot();
    await this.renewLease();
    this.timer = setInterval(() => { void this.refresh().catch((e) => this.log?.warn({ err: e }, 'authz heartbeat failed')); }, this.heartbeatMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.leaseValidUntil = 0;
    await this.listener?.close();
    await this.h.db.deleteFrom('authz_nodes').where('node_id', '=', this.nodeId).execute().catch(() => {});
  }

  /** Fresh means: this process holds a lease, so every committed change has reached it or will block its writer. */
  isFresh(): boolean {
    return !this.stopped && Date.now() < this.leaseValidUntil;
  }

  private async loadSnapshot(): Promise<void> {
    const db = this.h.db;
    await db.transaction().setIsolationLevel('repeatable read').execute(async (tx) => {
      const v = await tx.selectFrom('authz_state').select('version').where('id', '=', 1).executeTakeFirstOrThrow();
      const byAgent = new Map<string, Mandate[]>();
      const mandateAgent = new Map<string, string>();
      const batch = 50_000;
      for (let after = ''; ;) {
        const rows = await tx.selectFrom('mandates').selectAll().where('id', '>', after).orderBy('id').limit(batch).execute();
        for (const r of rows) {
          const m = toMandate(r);
          const k = partyKey(m.agent);
          (byAgent.get(k) ?? byAgent.set(k, []).get(k)!).push(m);
          mandateAgent.set(m.id, k);
        }
        if (rows.length < batch) break;
        after = rows[rows.length - 1]!.id;
      }
      const children = new Map<string, string[]>();
      for (const g of await tx.selectFrom('guardianships').select(['guardian_id', 'child_id']).execute()) {
        (children.get(g.guardian_id) ?? children.set(g.guardian_id, []).get(g.guardian_id)!).push(g.child_id);
      }
      const courts = new Map<string, Court[]>();
      for (const c of await tx.selectFrom('court_guardianships').selectAll().execute()) {
        (courts.get(c.guardian_id) ?? courts.set(c.guardian_id, []).get(c.guardian_id)!).push({ ward: c.ward_id, scope: c.scope, validUntil: c.valid_until as LocalDate | null });
      }
      const roles = new Map<string, Role[]>();
      for (const r of await tx.selectFrom('organization_roles').selectAll().execute()) {
        (roles.get(r.person_id) ?? roles.set(r.person_id, []).get(r.person_id)!).push({ organization: r.organization_id, role: r.role, signing: r.signing });
      }
      const persons = new Map<string, string>();
      for (let after = ''; ;) {
        const rows = await tx.selectFrom('persons').select(['id', 'first_name', 'last_name']).where('id', '>', after).orderBy('id').limit(batch).execute();
        for (const p of rows) persons.set(p.id, `${p.first_name} ${p.last_name}`);
        if (rows.length < batch) break;
        after = rows[rows.length - 1]!.id;
      }
      const organizations = new Map<string, string>();
      for (const o of await tx.selectFrom('organizations').select(['id', 'name']).execute()) organizations.set(o.id, o.name);
      Object.assign(this, { byAgent, mandateAgent, children, courts, roles, persons, organizations, version: Number(v.version) });
    });
  }

  /** Applies every change committed since the applied version, then renews the lease. Calls coalesce. */
  refresh(): Promise<void> {
    if (this.catching) return this.catching.then(() => this.refresh());
    this.catching = (async () => {
      try {
        const changed = await mandatesChangedSince(this.h.db, this.version);
        for (const m of changed) this.apply(m);
        const max = changed.reduce((a, m) => Math.max(a, m.changeVersion), this.version);
        this.version = max;
        await this.renewLease();
      } finally {
        this.catching = null;
      }
    })();
    return this.catching;
  }

  private apply(m: Mandate): void {
    const k = partyKey(m.agent);
    const list = this.byAgent.get(k) ?? this.byAgent.set(k, []).get(k)!;
    const i = list.findIndex((x) => x.id === m.id);
    if (i >= 0) list[i] = m;
    else list.push(m);
    this.mandateAgent.set(m.id, k);
  }

  /** Renews the lease only if nothing has been committed that this process has not applied. */
  private async renewLease(): Promise<void> {
    if (this.stopped) return;
    const sentAt = Date.now();
    const ok = await this.h.db.transaction().execute(async (tx) => {
      const s = await tx.selectFrom('authz_state').select('version').where('id', '=', 1).forShare().executeTakeFirstOrThrow();
      if (Number(s.version) > this.version) return false;
      await sql`insert into authz_nodes (node_id, acked_version, lease_until)
                values (${this.nodeId}, ${this.version}, now() + ${`${this.leaseMs} milliseconds`}::interval)
                on conflict (node_id) do update set acked_version = excluded.acked_version, lease_until = excluded.lease_until`.execute(tx);
      return true;
    });
    if (ok) this.leaseValidUntil = sentAt + this.leaseMs - 250;
    else {
      // A change is in: apply it first (the notification will also arrive), then renew.
      this.leaseValidUntil = 0;
      const changed = await mandatesChangedSince(this.h.db, this.version);
      for (const m of changed) this.apply(m);
      this.version = changed.reduce((a, m) => Math.max(a, m.changeVersion), this.version);
      return this.renewLease();
    }
  }

  /**
   * Called by a writer after its transaction committed with `version`: applies it here, then waits
   * until no other live process is still behind it.
   */
  async afterCommit(version: number): Promise<void> {
    while (this.version < version) await this.refresh();
    const deadline = Date.now() + this.leaseMs + 1000;
    for (let wait = 1; ; wait = Math.min(wait * 2, 20)) {
      const r = await sql<{ behind: number }>`select count(*)::int as behind from authz_nodes
        where node_id <> ${this.nodeId} and lease_until > now() and acked_version < ${version}`.execute(this.h.db);
      if ((r.rows[0]?.behind ?? 0) === 0) return;
      if (Date.now() > deadline) throw new Error('authorization change not acknowledged by other processes in time');
      await new Promise((res) => setTimeout(res, wait));
    }
  }

  // ---- answering ----------------------------------------------------------------------------

  knows(p: PartyRef): boolean {
    return p.type === 'person' ? this.persons.has(p.id) : this.organizations.has(p.id);
  }

  nameOf(p: PartyRef): string | undefined {
    return p.type === 'person' ? this.persons.get(p.id) : this.organizations.get(p.id);
  }

  /** Relations from memory (call only when fresh). */
  relations(actor: PartyRef, principal: PartyRef): Relations {
    const all = this.byAgent.get(partyKey(actor));
    const mandates = all ? all.filter((m) => m.principal.id === principal.id && m.principal.type === principal.type) : [];
    let guardianOfChildBorn: LocalDate | null = null;
    let courtGuardianships: Relations['courtGuardianships'] = [];
    let organizationRoles: Relations['organizationRoles'] = [];
    if (actor.type === 'person') {
      if (principal.type === 'person') {
        if (this.children.get(actor.id)?.includes(principal.id)) guardianOfChildBorn = birthDateOf(principal.id);
        const c = this.courts.get(actor.id);
        if (c) courtGuardianships = c.filter((x) => x.ward === principal.id);
      } else {
        const r = this.roles.get(actor.id);
        if (r) organizationRoles = r.filter((x) => x.organization === principal.id);
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
    for (const m of this.byAgent.get(partyKey(actor)) ?? []) add(m.principal);
    if (actor.type === 'person') {
      for (const c of this.children.get(actor.id) ?? []) add({ type: 'person', id: c });
      for (const c of this.courts.get(actor.id) ?? []) add({ type: 'person', id: c.ward });
      for (const r of this.roles.get(actor.id) ?? []) add({ type: 'organization', id: r.organization });
    }
    return out;
  }
}
