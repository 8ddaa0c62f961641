/**
 * The caseworker's per-person view and the revocation of a paper-registered mandate (issue 10,
 * item 6). Who may do what is the access module's (`staff.person-mandates`, `staff.mandate-read`,
 * `paper-mandate.revoke`); every command is one unit of work.
 */
import {
  asMandateId, effectiveStatus, isLocalDate, permitted, refuse,
  type LocalDate, type MandateStatus, type PartyRef, type StaffActor,
} from '@puolesta/domain';
import type { AuditActor } from '../repositories/audit.repository.js';
import { findMandate, mandatesOfParties, updateMandate, type MandateRecord } from '../repositories/mandates.repository.js';
import { partyNames } from '../repositories/registers.repository.js';
import { assertAllowed, registeredIn } from './access.js';
import { today, type Context } from './context.js';
import { requireKnownParty } from './parties.js';
import { inUnitOfWork } from './unit-of-work.js';

/** What a caseworker may do with one mandate in the per-person view, by the names the API gives. */
export type StaffMandateAction = 'revoke-paper';

export interface StaffMandateView {
  id: string;
  principal: PartyRef & { name: string };
  agent: PartyRef & { name: string };
  issues: string[];
  bundle?: string;
  validFrom: string;
  validUntil: string;
  status: MandateStatus;
  oneOff: boolean;
  target?: { type: 'property'; id: string };
  municipality?: string;
  source: string;
  createdAt: string;
  /** A paper registration: the signed paper's archive reference and date. */
  paperDocument?: { reference: string; signedOn: string };
  permittedActions: StaffMandateAction[];
}

const staffAuditActor = (s: StaffActor): AuditActor => ({ kind: 'staff', key: s.key, municipality: s.municipality });

const revokeFacts = (m: MandateRecord, d: LocalDate) => ({ municipality: m.municipality ?? null, registeredIn: registeredIn(m), source: m.source, status: effectiveStatus(m, d) });

async function views(ctx: Context, staff: StaffActor, list: MandateRecord[]): Promise<StaffMandateView[]> {
  const names = await partyNames(ctx.db, list.flatMap((m) => [m.principal, m.agent]));
  const d = today(ctx);
  return list.map((m) => {
    const doc = m.paperDocument as { reference?: string; signedOn?: string } | null;
    return {
      id: m.id,
      principal: { ...m.principal, name: names.get(`${m.principal.type}:${m.principal.id}`) ?? '' },
      agent: { ...m.agent, name: names.get(`${m.agent.type}:${m.agent.id}`) ?? '' },
      issues: [...m.issues],
      ...(m.bundle ? { bundle: m.bundle } : {}),
      validFrom: m.validFrom,
      validUntil: m.validUntil,
      status: effectiveStatus(m, d),
      oneOff: m.oneOff,
      ...(m.target ? { target: m.target } : {}),
      ...(m.municipality ? { municipality: m.municipality } : {}),
      source: m.source,
      createdAt: new Date(m.createdAt).toISOString(),
      ...(doc && typeof doc.reference === 'string' && typeof doc.signedOn === 'string' ? { paperDocument: { reference: doc.reference, signedOn: doc.signedOn } } : {}),
      permittedActions: permitted('paper-mandate.revoke', staff, revokeFacts(m, d)) ? ['revoke-paper' as const] : [],
    };
  });
}

/**
 * The mandates one person (or organisation) has given and received, as a caseworker of a
 * municipality may see them. The look-up itself is logged first, naming the caseworker and the
 * reason they gave, whether or not anything is found.
 */
export async function personMandates(ctx: Context, staff: StaffActor, input: { party: { type: string; id: string }; reason: string }) {
  assertAllowed('staff.person-mandates', staff, undefined);
  const reason = input.reason.trim();
  if (!reason) throw refuse('staff.lookup-reason-blank', {}, 'reason');
  const party = await requireKnownParty(ctx, 'party', input.party);
  await inUnitOfWork(ctx, staffAuditActor(staff), async (u) => {
    u.emit({ type: 'staff.person-mandates-viewed', party, reason, municipality: staff.municipality! });
  });
  const seen = (m: MandateRecord) => permitted('staff.mandate-read', staff, { municipality: m.municipality ?? null });
  const given = (await mandatesOfParties(ctx.db, [party], 'principal')).filter(seen);
  const received = (await mandatesOfParties(ctx.db, [party], 'agent')).filter(seen);
  const names = await partyNames(ctx.db, [party]);
  return {
    party: { ...party, name: names.get(`${party.type}:${party.id}`) ?? '' },
    given: await views(ctx, staff, given),
    received: await views(ctx, staff, received),
  };
}

export interface PaperRevokeInput { writtenRequest: { receivedOn: string; reference?: string } }

/**
 * A caseworker of the registering municipality revokes a paper-registered mandate on the
 * principal's written request (its date and reference go into the audit entry). The principal's
 * and agent's sides are told as in any revocation. Anyone who may not see the mandate gets the
 * same 404 as for a missing one.
 */
export async function revokePaperMandate(ctx: Context, staff: StaffActor, id: string, input: PaperRevokeInput) {
  const receivedOn = input.writtenRequest.receivedOn;
  const field = 'writtenRequest.receivedOn';
  if (!isLocalDate(receivedOn)) throw refuse('input.date', { field }, field);
  if (receivedOn > today(ctx)) throw refuse('paper.request-in-future', { field }, field);
  const reference = input.writtenRequest.reference?.trim();
  return inUnitOfWork(ctx, staffAuditActor(staff), async (u) => {
    const m = await findMandate(u.db, asMandateId(id), true);
    if (!m) throw refuse('mandate.not-found');
    assertAllowed('paper-mandate.revoke', staff, revokeFacts(m, today(ctx)));
    await updateMandate(u.db, m.id, { status: 'revoked', updated_at: ctx.now(), change_version: await u.authzVersion() });
    u.emit({ type: 'mandate.revoked', mandateId: m.id, principal: m.principal, agent: m.agent, writtenRequest: { receivedOn, ...(reference ? { reference } : {}) } });
    return { id: m.id, status: 'revoked' as MandateStatus };
  });
}
