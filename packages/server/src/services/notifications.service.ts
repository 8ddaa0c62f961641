import {
  CONTACT_CHANNELS, asMunicipalityCode, missingContactDetail, refuse,
  type ContactChannel, type PersonActor, type StaffActor,
} from '@puolesta/domain';
import {
  contactsOf, deliveryMunicipality, markRead, messagesOf, notificationRecipient, requeueDelivery, saveContactSettings, troubledDeliveries, unreadCount,
} from '../repositories/notifications.repository.js';
import { assertAllowed } from './access.js';
import type { Context } from './context.js';
import { inUnitOfWork } from './unit-of-work.js';

const iso = (d: Date | string) => new Date(d).toISOString();

/** My inbox, newest first, with how each message travelled. */
export async function listMessages(ctx: Context, me: PersonActor, limit = 200) {
  const rows = await messagesOf(ctx.db, me.id, limit);
  return {
    unread: await unreadCount(ctx.db, me.id),
    messages: rows.map((r) => ({
      id: r.id, event: r.event, subject: r.subject, body: r.body, createdAt: iso(r.created_at),
      ...(r.read_at ? { readAt: iso(r.read_at) } : {}),
      ...(r.mandate_id ? { mandateId: r.mandate_id } : {}),
      ...(r.errand_id ? { errandId: r.errand_id } : {}),
      channels: [{ channel: 'inbox', status: 'delivered' }, ...r.channels],
    })),
  };
}

/** Only the count, for the header's badge. */
export const countUnread = async (ctx: Context, me: PersonActor) => ({ unread: await unreadCount(ctx.db, me.id) });

export async function markMessageRead(ctx: Context, me: PersonActor, id: string) {
  const recipient = await notificationRecipient(ctx.db, id);
  // Someone else's message answers exactly like a missing one.
  if (recipient === undefined) throw refuse('message.not-found');
  assertAllowed('message.mark-read', me, { recipient });
  return { id, readAt: iso(await markRead(ctx.db, id, ctx.now())) };
}

export async function mySettings(ctx: Context, me: PersonActor) {
  const c = (await contactsOf(ctx.db, [me.id])).get(me.id);
  if (!c) throw refuse('auth.session-ended');
  return {
    preferredChannel: c.preferredChannel, email: c.email, phone: c.phone, language: c.language, notifyEveryUse: c.notifyEveryUse,
    fromRegister: !c.own, permittedActions: ['edit'] as 'edit'[],
  };
}

export interface SettingsInput { preferredChannel: string; email?: string | null; phone?: string | null; language: string; notifyEveryUse?: boolean }

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]{2,}$/u;
const PHONE = /^\+[1-9][0-9]{6,14}$/;

/** An e-mail address and a phone number as given (blank = none), normalised and checked; `prefix` places the field (`parties.0.contact.`). */
export function contactDetails(input: { email?: string | null | undefined; phone?: string | null | undefined }, prefix = ''): { email: string | null; phone: string | null } {
  const email = input.email?.trim() || null;
  const phone = input.phone ? input.phone.replace(/[\s-]/g, '') || null : null;
  if (email !== null && (email.length > 254 || !EMAIL.test(email))) throw refuse('settings.email-invalid', { field: `${prefix}email` }, `${prefix}email`);
  if (phone !== null && !PHONE.test(phone)) throw refuse('settings.phone-invalid', { field: `${prefix}phone` }, `${prefix}phone`);
  return { email, phone };
}

/** Changes my contact settings; the channel I choose must have its address. */
export async function saveMySettings(ctx: Context, me: PersonActor, input: SettingsInput) {
  if (!(CONTACT_CHANNELS as readonly string[]).includes(input.preferredChannel)) throw refuse('settings.unknown-channel', { field: 'preferredChannel' }, 'preferredChannel');
  if (!['fi', 'sv', 'en'].includes(input.language)) throw refuse('settings.unknown-language', { field: 'language' }, 'language');
  const { email, phone } = contactDetails(input);
  const preferredChannel = input.preferredChannel as ContactChannel;
  const missing = missingContactDetail({ preferredChannel, email, phone });
  if (missing) throw refuse('settings.channel-needs-detail', { channel: preferredChannel, field: missing }, missing);
  await inUnitOfWork(ctx, { kind: 'person', id: me.id }, async (u) => {
    await saveContactSettings(u.db, { personId: me.id, preferredChannel, email, phone, language: input.language, notifyEveryUse: input.notifyEveryUse ?? false, at: ctx.now() });
    u.emit({ type: 'person.contact-settings-changed', person: me.id, preferredChannel, language: input.language });
  });
  return mySettings(ctx, me);
}

// ---- operations ------------------------------------------------------------------------------------

/** Deliveries not made: of the admin's municipality's residents, or (umbrella admin) of all or one municipality. */
export async function listDeliveries(ctx: Context, staff: StaffActor, municipality: string | undefined) {
  const scope = municipality !== undefined ? asMunicipalityCode(municipality) : staff.roles.includes('umbrella-admin') ? null : staff.municipality;
  assertAllowed('delivery.list', staff, { municipality: scope });
  const rows = await troubledDeliveries(ctx.db, scope, 500);
  return {
    deliveries: rows.map((r) => ({
      id: String(r.id), messageId: r.notification_id, event: r.event, channel: r.channel, status: r.status,
      attempts: r.attempts, maxAttempts: r.max_attempts, municipality: r.municipality, language: r.language,
      createdAt: iso(r.created_at), nextAttemptAt: r.status === 'pending' ? iso(r.next_attempt_at) : null,
      finishedAt: r.finished_at ? iso(r.finished_at) : null, lastError: r.last_error,
      ...(r.mandate_id ? { mandateId: r.mandate_id } : {}),
      permittedActions: r.status === 'failed' || r.status === 'dead' ? ['retry' as const] : [],
    })),
  };
}

export async function retryDelivery(ctx: Context, staff: StaffActor, id: string) {
  const n = Number(id);
  const d = Number.isSafeInteger(n) && n > 0 ? await deliveryMunicipality(ctx.db, n) : undefined;
  if (!d) throw refuse('delivery.not-found');
  assertAllowed('delivery.retry', staff, { municipality: d.municipality === null ? null : asMunicipalityCode(d.municipality) });
  await inUnitOfWork(ctx, { kind: 'staff', key: staff.key, municipality: staff.municipality }, async (u) => {
    if (!(await requeueDelivery(u.db, n, ctx.now()))) throw refuse('delivery.not-retryable', { status: d.status });
    u.emit({ type: 'delivery.retried', delivery: id, channel: d.channel, municipality: d.municipality });
  });
  ctx.notify.written?.();
  return { id, status: 'pending' as const };
}
