/**
 * Register changes, as a population-register or trade-register feed would send them: guardianships,
 * court guardianships and organisation roles recorded, changed and ended.
 *
 * Each command is one transaction that bumps the authorization version exactly as a mandate change
 * does (one unit of work with a typed `register.*` event), and returns only when every live process has the change
 * (decision 0006): once a guardianship's end has been answered, no process says yes on its basis.
 */
import { isBusinessId, isLocalDate, isPersonalIdentityCode, refuse, type PartyRef, type Signing } from '@puolesta/domain';
import {
  courtGuardianshipIds,
  deleteCourtGuardianships,
  deleteGuardianship,
  deleteOrganizationRole,
  guardianshipExists,
  insertCourtGuardianship,
  organizationRoleExists,
  partyExists,
  upsertGuardianship,
  upsertOrganizationRole,
} from '../repositories/registers.repository.js';
import type { Context } from './context.js';
import { inUnitOfWork } from './unit-of-work.js';
import type { AuditActor } from '../repositories/audit.repository.js';

/** Register changes come from the national registers' feed, not from a person. */
const FEED: AuditActor = { kind: 'system' };

export interface GuardianshipInput { guardian: string; child: string }
export interface CourtGuardianshipInput { guardian: string; ward: string; scope: string[]; validUntil?: string | null }
export interface OrganizationRoleInput { organization: string; person: string; role: string; signing: string }

const SIGNING: readonly Signing[] = ['alone', 'jointly', 'none'];

/** A person the population register knows (read from the database: the feed may name someone new to this process). */
async function person(ctx: Context, field: string, id: unknown): Promise<string> {
  if (typeof id !== 'string' || !isPersonalIdentityCode(id)) throw refuse('party.invalid-identity-code', { field }, field);
  if (!(await partyExists(ctx.db, { type: 'person', id }))) throw refuse('party.unknown', { partyType: 'person', field }, field);
  return id;
}

async function organization(ctx: Context, field: string, id: unknown): Promise<string> {
  if (typeof id !== 'string' || !isBusinessId(id)) throw refuse('party.invalid-business-id', { field }, field);
  const p: PartyRef = { type: 'organization', id };
  if (!(await partyExists(ctx.db, p))) throw refuse('party.unknown', { partyType: 'organization', field }, field);
  return id;
}

function role(raw: unknown): string {
  if (typeof raw !== 'string' || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(raw) || raw.length > 60) {
    throw refuse('register.role-invalid', {}, 'role');
  }
  return raw;
}

async function pair(ctx: Context, input: GuardianshipInput) {
  const guardian = await person(ctx, 'guardian', input.guardian);
  const child = await person(ctx, 'child', input.child);
  if (guardian === child) throw refuse('register.own-guardian', {}, 'child');
  return { guardian, child };
}

/** Records that `guardian` has custody of `child` (again, if it had ended). */
export async function recordGuardianship(ctx: Context, input: GuardianshipInput): Promise<void> {
  const { guardian, child } = await pair(ctx, input);
  await inUnitOfWork(ctx, FEED, async (u) => {
    await upsertGuardianship(u.db, guardian, child, await u.authzVersion());
    u.emit({ type: 'register.guardianship-recorded', guardian, child });
  });
}

/** Ends a guardianship. `ended: false` when there was none (nothing changes, no version is taken). */
export async function endGuardianship(ctx: Context, input: GuardianshipInput): Promise<{ ended: boolean }> {
  const { guardian, child } = await pair(ctx, input);
  if (!(await guardianshipExists(ctx.db, guardian, child))) return { ended: false };
  // The version first, then the row: every register command locks in the same order.
  return inUnitOfWork(ctx, FEED, async (u) => {
    const ended = await deleteGuardianship(u.db, guardian, child, await u.authzVersion());
    if (ended) u.emit({ type: 'register.guardianship-ended', guardian, child });
    return { ended };
  });
}

/** Records a court-appointed guardianship (edunvalvonta) over `ward` for the issues in `scope`. */
export async function recordCourtGuardianship(ctx: Context, input: CourtGuardianshipInput): Promise<{ id: number }> {
  const guardian = await person(ctx, 'guardian', input.guardian);
  const ward = await person(ctx, 'ward', input.ward);
  if (guardian === ward) throw refuse('register.own-guardian', {}, 'ward');
  if (!Array.isArray(input.scope) || input.scope.length === 0) throw refuse('mandate.no-issues', {}, 'scope');
  const scope = [...new Set(input.scope)];
  const unknown = scope.find((i) => typeof i !== 'string' || !ctx.catalogue.issueCodes.has(i));
  if (unknown !== undefined) throw refuse('mandate.unknown-issue', { issue: String(unknown) }, 'scope');
  const validUntil = input.validUntil ?? null;
  if (validUntil !== null && !isLocalDate(validUntil)) throw refuse('input.date', { field: 'validUntil' }, 'validUntil');
  return inUnitOfWork(ctx, FEED, async (u) => {
    const id = await insertCourtGuardianship(u.db, { guardian, ward, scope, validUntil }, await u.authzVersion());
    u.emit({ type: 'register.court-guardianship-recorded', guardian, ward, scope, validUntil });
    return { id };
  });
}

/** Ends every court guardianship of `guardian` over `ward`; returns how many ended. */
export async function endCourtGuardianship(ctx: Context, input: { guardian: string; ward: string }): Promise<{ ended: number }> {
  const guardian = await person(ctx, 'guardian', input.guardian);
  const ward = await person(ctx, 'ward', input.ward);
  if ((await courtGuardianshipIds(ctx.db, guardian, ward)).length === 0) return { ended: 0 };
  return inUnitOfWork(ctx, FEED, async (u) => {
    const ended = await deleteCourtGuardianships(u.db, guardian, ward, await u.authzVersion());
    u.emit({ type: 'register.court-guardianship-ended', guardian, ward });
    return { ended };
  });
}

/** Records a person's role in an organisation, or changes its signing right (trade register). */
export async function setOrganizationRole(ctx: Context, input: OrganizationRoleInput): Promise<void> {
  const org = await organization(ctx, 'organization', input.organization);
  const holder = await person(ctx, 'person', input.person);
  const r = role(input.role);
  if (!SIGNING.includes(input.signing as Signing)) throw refuse('register.signing-invalid', {}, 'signing');
  const signing = input.signing as Signing;
  await inUnitOfWork(ctx, FEED, async (u) => {
    await upsertOrganizationRole(u.db, { organization: org, person: holder, role: r, signing }, await u.authzVersion());
    u.emit({ type: 'register.organization-role-set', organization: org, person: holder, role: r, signing });
  });
}

/** Removes a person's role in an organisation. `removed: false` when there was none. */
export async function removeOrganizationRole(ctx: Context, input: { organization: string; person: string; role: string }): Promise<{ removed: boolean }> {
  const org = await organization(ctx, 'organization', input.organization);
  const holder = await person(ctx, 'person', input.person);
  const r = role(input.role);
  if (!(await organizationRoleExists(ctx.db, org, holder, r))) return { removed: false };
  return inUnitOfWork(ctx, FEED, async (u) => {
    const removed = await deleteOrganizationRole(u.db, { organization: org, person: holder, role: r }, await u.authzVersion());
    if (removed) u.emit({ type: 'register.organization-role-removed', organization: org, person: holder, role: r });
    return { removed };
  });
}
