/**
 * An errand's attachments (decision 0012): the applicant adds and removes them while the errand may
 * be changed; whoever may see the errand downloads them. A file's type is what its content shows;
 * it is stored in the database in the command's unit of work (a crash leaves nothing half-written);
 * adding or removing one is a change of the errand (a new version and hash, signatures void);
 * a removed file stays in the database, no longer part of the errand.
 */
import { createHash, randomUUID } from 'node:crypto';
import { attachmentName, MAX_ATTACHMENTS, refuse, sniffAttachmentType, type StaffActor } from '@puolesta/domain';
import { attachmentContent, insertAttachment, markAttachmentRemoved } from '../repositories/errands.repository.js';
import { assertAllowed, type Caller } from './access.js';
import type { Context } from './context.js';
import { base, errandChanged, personAudit, visibleErrand } from './errands.service.js';
import { inUnitOfWork } from './unit-of-work.js';

export interface AttachmentLimits {
  /** Bytes per file (`PUOLESTA_ATTACHMENT_MAX_BYTES`). */
  maxBytes: number;
}

export interface Upload {
  /** The name the sender gave the file. */
  name: string;
  content: Uint8Array;
}

/**
 * Before a file is read at all: may the caller add files to this errand? (The command asks again in
 * its transaction; this spares reading ten megabytes to refuse them.)
 */
export async function assertMayAttach(ctx: Context, c: Caller, id: string): Promise<void> {
  const { facts } = await visibleErrand(ctx, c, id, false);
  assertAllowed('errand.attach', c.actor, facts);
}

/** Adds a file to the errand: its name, size and content type checked, stored with its digest; the errand's new version. */
export async function addAttachment(ctx: Context, c: Caller, id: string, file: Upload, limits: AttachmentLimits) {
  const name = attachmentName(file.name);
  if (name === null) throw refuse('attachment.name-invalid', { field: 'file' }, 'file');
  if (file.content.byteLength > limits.maxBytes) throw refuse('attachment.too-large', { maxBytes: limits.maxBytes }, 'file');
  const contentType = sniffAttachmentType(file.content);
  if (!contentType) throw refuse('attachment.type-not-allowed', {}, 'file');
  const sha256 = createHash('sha256').update(file.content).digest('hex');
  const attachmentId = randomUUID();
  return inUnitOfWork(ctx, personAudit(c.actor.id), async (u) => {
    const { l, facts } = await visibleErrand(u.ctx, c, id, true);
    assertAllowed('errand.attach', c.actor, facts);
    if (l.attachments.length >= MAX_ATTACHMENTS) throw refuse('attachment.too-many', { max: MAX_ATTACHMENTS }, 'file');
    const at = ctx.now();
    await insertAttachment(u.db, { id: attachmentId, errandId: id, name, contentType, sha256, content: file.content, uploadedBy: c.actor.id, at });
    const v = await errandChanged(u, c, l, {}, (x) => ({ type: 'errand.attachment-added', ...base(l.errand), attachment: attachmentId, name, sha256, ...x }));
    return { id: attachmentId, name, contentType, size: file.content.byteLength, sha256, createdAt: at.toISOString(), version: v.version, hash: v.hash };
  });
}

/** Takes a file off the errand (it stays in the database): the errand's new version. */
export async function removeAttachment(ctx: Context, c: Caller, id: string, attachmentId: string) {
  return inUnitOfWork(ctx, personAudit(c.actor.id), async (u) => {
    const { l, facts } = await visibleErrand(u.ctx, c, id, true);
    assertAllowed('errand.attach', c.actor, facts);
    if (!(await markAttachmentRemoved(u.db, id, attachmentId, ctx.now()))) throw refuse('attachment.not-found', {}, 'attachmentId');
    const v = await errandChanged(u, c, l, {}, (x) => ({ type: 'errand.attachment-removed', ...base(l.errand), attachment: attachmentId, ...x }));
    return { id, status: l.errand.status, version: v.version, hash: v.hash };
  });
}

/** A file of the errand with its content, for whoever may see the errand. */
export async function downloadAttachment(ctx: Context, who: Caller | StaffActor, id: string, attachmentId: string) {
  await visibleErrand(ctx, who, id, false);
  const a = await attachmentContent(ctx.db, id, attachmentId);
  if (!a) throw refuse('attachment.not-found', {}, 'attachmentId');
  return a;
}
