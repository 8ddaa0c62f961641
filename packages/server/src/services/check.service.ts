import { decide, helsinkiDate, parseInstant, refuse, type Basis, type ClientActor, type Decision, type MunicipalityCode, type StaffActor, type LocalDate, type PartyRef } from '@puolesta/domain';
import { today, type Context } from './context.js';
import { assertAllowed } from './access.js';
import { candidatePrincipalsFromDb, loadRelations } from '../repositories/registers.repository.js';
import { namesOf, requireKnownParty, requireMunicipality, requireProperty } from './parties.js';

export interface CheckInput {
  actor: { type: string; id: string };
  principal: { type: string; id: string };
  issue: string;
  target?: { type: string; id: string };
  municipality?: string;
  at?: string;
}

/** Who asks: a vendor's e-service (bound to its municipality) or a caseworker of a municipality. */
export type Asker = ClientActor | StaffActor;

function checkDate(ctx: Context, at: string | undefined): LocalDate {
  if (at === undefined) return today(ctx);
  const t = parseInstant(at);
  if (t === null) throw refuse('input.date-time', { field: 'at' }, 'at');
  return helsinkiDate(t);
}

function checkIssue(ctx: Context, issue: string) {
  if (!ctx.catalogue.issueCodes.has(issue)) throw refuse('check.unknown-issue', { issue }, 'issue');
  return issue;
}

/** The municipality a check is made in (default: the asker's own); whether the asker may check there is the access rule's. */
function checkMunicipality(ctx: Context, asker: Asker, m: string | undefined): MunicipalityCode | null {
  const municipality = m === undefined ? asker.municipality : requireMunicipality(ctx, 'municipality', m);
  assertAllowed(asker.kind === 'api-client' ? 'authorization.check' : 'staff.check', asker, { municipality });
  return municipality;
}

/**
 * May the actor act for the principal in this issue? While the index is fresh the answer comes at once
 * (no promise: the e-services' hot path, decision 0018); a process whose index is loading or stale, or
 * a check about a property (which the registers answer), waits for the database.
 */
export function checkAuthorization(ctx: Context, asker: Asker, input: CheckInput): Decision | Promise<Decision> {
  const issue = checkIssue(ctx, input.issue);
  const date = checkDate(ctx, input.at);
  const municipality = checkMunicipality(ctx, asker, input.municipality);
  const actor = requireKnownParty(ctx, 'actor', input.actor);
  // The principal is looked at only once the actor is known (refusals in the order of the fields).
  if (actor instanceof Promise || input.target) return checkFromDatabase(ctx, asker, input, { issue, date, municipality }, actor);
  const principal = requireKnownParty(ctx, 'principal', input.principal);
  if (principal instanceof Promise) return checkFromDatabase(ctx, asker, input, { issue, date, municipality }, actor, principal);
  return counted(ctx, asker, ctx.index.check({ actor, principal, issue, target: null, municipality, date }));
}

async function checkFromDatabase(
  ctx: Context, asker: Asker, input: CheckInput, q: { issue: string; date: LocalDate; municipality: MunicipalityCode | null },
  actor: PartyRef | Promise<PartyRef>, principal?: Promise<PartyRef>,
): Promise<Decision> {
  const a = await actor;
  const p = await (principal ?? requireKnownParty(ctx, 'principal', input.principal));
  const target = input.target ? await requireProperty(ctx, 'target', input.target) : null;
  return counted(ctx, asker, await ctx.index.check({ ...q, actor: a, principal: p, target }));
}

function counted<D extends Decision | Promise<Decision>>(ctx: Context, asker: Asker, decision: D): D {
  if (decision instanceof Promise) return decision.then((d) => counted(ctx, asker, d)) as D;
  ctx.checks?.checked(asker, decision as Decision);
  return decision;
}

/** One collator for all sorts: `localeCompare(…, 'fi')` would build one per comparison. */
const byFinnishName = new Intl.Collator('fi');

export interface PrincipalView extends PartyRef {
  name: string;
  basis: Basis;
  mandateId?: string;
  validUntil?: string;
  oneOff?: boolean;
  target?: { type: 'property'; id: string };
}

export async function listPrincipals(ctx: Context, asker: Asker, input: { actor: { type: string; id: string }; issue: string; at?: string }): Promise<PrincipalView[]> {
  const issue = checkIssue(ctx, input.issue);
  const date = checkDate(ctx, input.at);
  const actor = await requireKnownParty(ctx, 'actor', input.actor);
  if (!ctx.index.isFresh()) await ctx.index.refresh();
  // A process whose index is still loading (just started) reads the candidates and their relations from the database.
  const fromDb = !ctx.index.isFresh() && !ctx.index.isLoaded;
  if (!fromDb && !ctx.index.isFresh()) throw new Error('authorization index is not fresh');
  const candidates = fromDb ? await candidatePrincipalsFromDb(ctx.db, actor) : ctx.index.candidatePrincipals(actor);
  const out: PrincipalView[] = [];
  for (const principal of candidates) {
    const relations = fromDb ? await loadRelations(ctx.db, actor, principal) : ctx.index.relations(actor, principal);
    const query = { actor, principal, issue, municipality: asker.municipality, date };
    let d = decide(query, relations);
    let target: { type: 'property'; id: string } | undefined;
    // A mandate limited to one property still makes the principal someone the actor acts for, there.
    for (const m of relations.mandates) {
      if (d.allowed || !m.target) continue;
      const withTarget = decide({ ...query, target: m.target }, relations);
      if (withTarget.allowed) { d = withTarget; target = m.target; }
    }
    if (!d.allowed || !d.basis) continue;
    out.push({
      type: principal.type,
      id: principal.id,
      name: '',
      basis: d.basis,
      ...(d.mandateId ? { mandateId: d.mandateId } : {}),
      ...(d.validUntil ? { validUntil: d.validUntil } : {}),
      ...(d.oneOff ? { oneOff: true } : {}),
      ...(target ? { target } : {}),
    });
  }
  // Names from the registers, in one read (the index keeps none).
  const names = await namesOf(ctx, out);
  out.forEach((p, i) => { p.name = names[i]!; });
  return out.sort((a, b) => byFinnishName.compare(a.name, b.name));
}
