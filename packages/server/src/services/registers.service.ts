/**
 * Register changes, as a population-register or trade-register feed would send them: guardianships,
 * court guardianships and organisation roles recorded, changed and ended.
 *
 * Each command is one transaction that bumps the authorization version exactly as a mandate change
 * does (`change()` of mandates.service), and returns only when every live process has the change
 * (decision 0006): once a guardianship's end has been answered, no process says yes on its basis.
 */
import { invalid, isBusinessId, isLocalDate, isPersonalIdentityCode, notFound, type PartyRef, type Signing } from '@puolesta/domain';
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
import { change } from './mandates.service.js';

export interface GuardianshipInput { guardian: string; child: string }
export interface CourtGuardianshipInput { guardian: string; ward: string; scope: string[]; validUntil?: string | null }
export interface OrganizationRoleInput { organization: string; person: string; role: string; signing: string }

const SIGNING: readonly Signing[] = ['alone', 'jointly', 'none'];

/** A person the population register knows (read from the database: the feed may name someone new to this process). */
async function person(ctx: Context, field: string, id: unknown): Promise<string> {
  if (typeof id !== 'string' || !isPersonalIdentityCode(id)) throw invalid(field, `${field} is not a valid personal identity code.`);
  if (!(await partyExists(ctx.db, { type: 'person', id }))) throw notFound(`No person with that identity code (${field}).`, field);
  return id;
}

async function organization(ctx: Context, field: string, id: unknown): Promise<string> {
  if (typeof id !== 'string' || !isBusinessId(id)) throw invalid(field, `${field} is not a valid business id.`);
  const p: PartyRef = { type: 'organization', id };
  if (!(await partyExists(ctx.db, p))) throw notFound(`No organisation with that business id (${field}).`, field);
  return id;
}

function role(raw: unknown): string {
  if (typeof raw !== 'string' || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(raw) || raw.length > 60) {
    throw invalid('role', 'role must be lower-case words joined by hyphens, e.g. board-chair.');
  }
  return raw;
}

async function pair(ctx: Context, input: GuardianshipInput) {
  const guardian = await person(ctx, 'guardian', input.guardian);
  const child = await person(ctx, 'child', input.child);
  if (guardian === child) throw invalid('child', 'A person cannot be their own guardian.');
  return { guardian, child };
}

/** Records that `guardian` has custody of `child` (again, if it had ended). */
export async function recordGuardianship(ctx: Context, input: GuardianshipInput): Promise<void> {
  const { guardian, child } = await pair(ctx, input);
  await change(ctx, async (c, version) => upsertGuardianship(c.db, guardian, child, await version()));
}

/** Ends a guardianship. `ended: false` when there was none (nothing changes, no version is taken). */
export async function endGuardianship(ctx: Context, input: GuardianshipInput): Promise<{ ended: boolean }> {
  const { guardian, child } = await pair(ctx, input);
  if (!(await guardianshipExists(ctx.db, guardian, child))) return { ended: false };
  // The version first, then the row: every register command locks in the same order.
  return change(ctx, async (c, version) => ({ ended: await deleteGuardianship(c.db, guardian, child, await version()) }));
}

/** Records a court-appointed guardianship (edunvalvonta) over `ward` for the issues in `scope`. */
export async function recordCourtGuardianship(ctx: Context, input: CourtGuardianshipInput): Promise<{ id: number }> {
  const guardian = await person(ctx, 'guardian', input.guardian);
  const ward = await person(ctx, 'ward', input.ward);
  if (guardian === ward) throw invalid('ward', 'A person cannot be their own guardian.');
  if (!Array.isArray(input.scope) || input.scope.length === 0) throw invalid('scope', 'scope must list at least one issue.');
  const scope = [...new Set(input.scope)];
  const unknown = scope.find((i) => typeof i !== 'string' || !ctx.catalogue.issueCodes.has(i));
  if (unknown !== undefined) throw invalid('scope', `Unknown issue "${String(unknown)}" in scope.`);
  const validUntil = input.validUntil ?? null;
  if (validUntil !== null && !isLocalDate(validUntil)) throw invalid('validUntil', 'validUntil must be a date (YYYY-MM-DD) or null.');
  return change(ctx, async (c, version) => ({ id: await insertCourtGuardianship(c.db, { guardian, ward, scope, validUntil }, await version()) }));
}

/** Ends every court guardianship of `guardian` over `ward`; returns how many ended. */
export async function endCourtGuardianship(ctx: Context, input: { guardian: string; ward: string }): Promise<{ ended: number }> {
  const guardian = await person(ctx, 'guardian', input.guardian);
  const ward = await person(ctx, 'ward', input.ward);
  if ((await courtGuardianshipIds(ctx.db, guardian, ward)).length === 0) return { ended: 0 };
  return change(ctx, async (c, version) => ({ ended: await deleteCourtGuardianships(c.db, guardian, ward, await version()) }));
}

/** Records a person's role in an organisation, or changes its signing right (trade register). */
export async function setOrganizationRole(ctx: Context, input: OrganizationRoleInput): Promise<void> {
  const org = await organization(ctx, 'organization', input.organization);
  const holder = await person(ctx, 'person', input.person);
  const r = role(input.role);
  if (!SIGNING.includes(input.signing as Signing)) throw invalid('signing', 'signing must be "alone", "jointly" or "none".');
  const signing = input.signing as Signing;
  await change(ctx, async (c, version) => upsertOrganizationRole(c.db, { organization: org, person: holder, role: r, signing }, await version()));
}

/** Removes a person's role in an organisation. `removed: false` when there was none. */
export async function removeOrganizationRole(ctx: Context, input: { organization: string; person: string; role: string }): Promise<{ removed: boolean }> {
  const org = await organization(ctx, 'organization', input.organization);
  const holder = await person(ctx, 'person', input.person);
  const r = role(input.role);
  if (!(await organizationRoleExists(ctx.db, org, holder, r))) return { removed: false };
  return change(ctx, async (c, version) => ({ removed: await deleteOrganizationRole(c.db, { organization: org, person: holder, role: r }, await version()) }));
}
