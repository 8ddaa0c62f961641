import { addYears, birthDateOf, forbidden, invalid, isBusinessId, isPersonalIdentityCode, isPropertyId, notFound, type GrantingSide, type PartyRef, type Signing } from '@puolesta/domain';
import type { Context } from './context.js';
import { today } from './context.js';
import { guardiansOf, propertyExists, signatoriesOf } from '../repositories/registers.repository.js';

/** Checks an incoming party reference's form. Never echoes the id back in the message. */
export function parseParty(field: string, p: { type: string; id: string }): PartyRef {
  if (p.type === 'person') {
    if (!isPersonalIdentityCode(p.id)) throw invalid(`${field}.id`, `${field}.id is not a valid personal identity code.`);
    return { type: 'person', id: p.id };
  }
  if (p.type === 'organization') {
    if (!isBusinessId(p.id)) throw invalid(`${field}.id`, `${field}.id is not a valid business id.`);
    return { type: 'organization', id: p.id };
  }
  throw invalid(`${field}.type`, `${field}.type must be "person" or "organization".`);
}

export async function requireKnownParty(ctx: Context, field: string, raw: { type: string; id: string }): Promise<PartyRef> {
  const p = parseParty(field, raw);
  if (!(await ctx.index.exists(p))) throw notFound(`No ${p.type} with that ${p.type === 'person' ? 'identity code' : 'business id'} (${field}).`, `${field}.id`);
  return p;
}

export async function requireProperty(ctx: Context, field: string, raw: { type: string; id: string }) {
  if (raw.type !== 'property') throw invalid(`${field}.type`, `${field}.type must be "property".`);
  if (!isPropertyId(raw.id)) throw invalid(`${field}.id`, `${field}.id is not a property id.`);
  if (!(await propertyExists(ctx.db, raw.id))) throw notFound(`No property ${raw.id} (${field}).`, `${field}.id`);
  return { type: 'property' as const, id: raw.id };
}

export function requireMunicipality(ctx: Context, field: string, code: string) {
  if (!ctx.catalogue.municipalities.has(code)) throw invalid(field, `Unknown municipality code "${code}".`);
  return code;
}

export const isMinorOn = (personId: string, date: string) => date < addYears(birthDateOf(personId), 18);

/** Who decides for this principal, from the registers. */
export async function grantingSide(ctx: Context, principal: PartyRef): Promise<GrantingSide> {
  if (principal.type === 'organization') {
    const roles = await signatoriesOf(ctx.db, principal.id);
    const signing = new Map<string, Signing>();
    for (const r of roles) {
      const prev = signing.get(r.person_id);
      if (prev !== 'alone') signing.set(r.person_id, r.signing === 'none' ? (prev ?? 'none') : r.signing);
    }
    return { kind: 'organization', signing };
  }
  if (isMinorOn(principal.id, today(ctx))) {
    const guardians = await guardiansOf(ctx.db, principal.id);
    if (guardians.length > 0) return { kind: 'child', guardians };
  }
  return { kind: 'person' };
}

/** The party a logged-in person acts as: themselves, or (onBehalfOf) an organisation or minor child. */
export async function actingAs(ctx: Context, personId: string, onBehalfOf?: { type: string; id: string }): Promise<{ party: PartyRef; side: GrantingSide }> {
  if (!onBehalfOf) return { party: { type: 'person', id: personId }, side: { kind: 'person' } };
  const party = await requireKnownParty(ctx, 'onBehalfOf', onBehalfOf);
  if (party.type === 'person' && party.id === personId) return { party, side: { kind: 'person' } };
  const side = await grantingSide(ctx, party);
  const allowed =
    (side.kind === 'organization' && ['alone', 'jointly'].includes(side.signing.get(personId) ?? 'none')) ||
    (side.kind === 'child' && side.guardians.includes(personId));
  if (!allowed) throw forbidden(party.type === 'organization' ? 'You have no signing rights in that organisation.' : 'You are not a guardian of that minor.');
  return { party, side };
}

/** Is this person on the principal's side of the mandate (the principal, a guardian, a signatory)? */
export async function onSide(ctx: Context, personId: string, party: PartyRef): Promise<boolean> {
  if (party.type === 'person' && party.id === personId) return true;
  const side = await grantingSide(ctx, party);
  if (side.kind === 'child') return side.guardians.includes(personId);
  if (side.kind === 'organization') return ['alone', 'jointly'].includes(side.signing.get(personId) ?? 'none');
  return false;
}
