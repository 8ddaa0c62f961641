/**
 * The errand's files: a list with download links for everyone who sees the errand, and for the
 * applicant (when `attach` is in `permittedActions`) adding a file and removing one. A file changes
 * the errand like an edit does (decision 0012): the version and hash change, and where the errand
 * waits for the parties their signatures and confirmations are void. The server decides the type by
 * the content and keeps the limits; the UI says its refusals in the user's language.
 */
import { useEffect, useRef, useState, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Heading, InlineAlert, Paragraph } from 'suomifi-ui-components';
import { ApiError, csrfHeaders, unwrap } from '../api.js';
import { formatDateTime } from '../dates.js';
import type { Errand, ErrandStatus } from '../errands.js';
import { useNames } from '../session.js';
import { errorText, SuccessNote } from './ui.js';

/** The server's default limit for one file (`DEFAULT_ATTACHMENT_MAX_BYTES`, 10 MiB); a refusal's `maxBytes` overrides it. */
export const ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;
/** Files on an errand at a time (`MAX_ATTACHMENTS`). */
export const MAX_ATTACHMENTS = 10;
/** What the file picker offers: the types the server takes (it decides by the content). */
export const ATTACHMENT_ACCEPT = '.pdf,.jpg,.jpeg,.png,.txt,application/pdf,image/jpeg,image/png,text/plain';

const AWAITING: readonly ErrandStatus[] = ['awaiting-signatures', 'awaiting-confirmations'];
const LOCALE: Record<string, string> = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' };

type Attachment = Errand['attachments'][number];

/** 48,3 kB / 10 MB in the reader's language (1 kB = 1024 bytes). */
export function formatBytes(bytes: number, lang: string): string {
  const locale = LOCALE[lang] ?? 'fi-FI';
  const [value, unit] = bytes >= 1024 * 1024 ? [bytes / (1024 * 1024), 'megabyte'] : [Math.max(bytes / 1024, bytes > 0 ? 0.1 : 0), 'kilobyte'];
  return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: 1 }).format(value);
}

const attachmentUrl = (errandId: string, attachmentId?: string) =>
  `/api/v1/errands/${encodeURIComponent(errandId)}/attachments${attachmentId ? `/${encodeURIComponent(attachmentId)}` : ''}`;

/** One file up as multipart/form-data (field `file`), with the session's CSRF header; a refusal as an ApiError. */
async function upload(errandId: string, file: File): Promise<{ version: number; hash: string; name: string }> {
  const body = new FormData();
  body.append('file', file, file.name);
  return unwrap((async () => {
    const response = await fetch(attachmentUrl(errandId), {
      method: 'POST', body, credentials: 'same-origin', headers: { accept: 'application/json', ...csrfHeaders() },
    });
    const json: unknown = await response.json().catch(() => undefined);
    return response.ok ? { data: json as { version: number; hash: string; name: string }, response } : { error: json, response };
  })());
}

async function remove(errandId: string, attachmentId: string): Promise<void> {
  await unwrap((async () => {
    const response = await fetch(attachmentUrl(errandId, attachmentId), {
      method: 'DELETE', credentials: 'same-origin', headers: { accept: 'application/json', ...csrfHeaders() },
    });
    const json: unknown = await response.json().catch(() => undefined);
    return response.ok ? { data: json, response } : { error: json, response };
  })());
}

type Status =
  | { state: 'idle' }
  | { state: 'uploading'; name: string }
  | { state: 'done'; text: string };

export function ErrandAttachments({ e, reload }: { e: Errand; reload(): Promise<unknown> }) {
  const { t } = useTranslation();
  const { lang } = useNames();
  const can = e.permittedActions.includes('attach');
  const files = e.attachments ?? [];
  const [status, setStatus] = useState<Status>({ state: 'idle' });
  const [error, setError] = useState<string | null>(null);
  const [maxBytes, setMaxBytes] = useState(ATTACHMENT_MAX_BYTES);
  const [confirming, setConfirming] = useState<Attachment | null>(null);
  const [removing, setRemoving] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const confirmRef = useRef<HTMLHeadingElement>(null);
  const headingId = `attachments-${e.id}`;
  const awaiting = AWAITING.includes(e.status);
  const max = formatBytes(maxBytes, lang);

  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);

  /** A refusal in the user's language; a too-large file says the limit in kB/MB, not in bytes. */
  const refusal = (err: unknown): string => {
    if (err instanceof ApiError && err.problem.code === 'attachment.too-large') {
      const limit = Number(err.problem.params?.maxBytes);
      if (Number.isFinite(limit) && limit > 0) setMaxBytes(limit);
      return t('errands.attachments.tooLarge', { max: formatBytes(Number.isFinite(limit) && limit > 0 ? limit : maxBytes, lang) });
    }
    return errorText(err, t);
  };

  const changed = (key: 'addedOk' | 'removedOk', name: string) =>
    setStatus({ state: 'done', text: `${t(`errands.attachments.${key}`, { name })}${awaiting ? ` ${t('errands.attachments.voided')}` : ''}` });

  const picked = async (ev: ChangeEvent<HTMLInputElement>) => {
    const file = ev.target.files?.[0];
    // The same file may be picked again after a refusal.
    ev.target.value = '';
    if (!file) return;
    setError(null);
    setConfirming(null);
    setStatus({ state: 'uploading', name: file.name });
    try {
      const added = await upload(e.id, file);
      await reload();
      changed('addedOk', added.name);
    } catch (err) {
      setStatus({ state: 'idle' });
      setError(refusal(err));
    }
  };

  const confirmRemove = async () => {
    if (!confirming) return;
    setRemoving(true);
    setError(null);
    try {
      await remove(e.id, confirming.id);
      await reload();
      const name = confirming.name;
      setConfirming(null);
      changed('removedOk', name);
    } catch (err) {
      setConfirming(null);
      setError(refusal(err));
    } finally {
      setRemoving(false);
    }
  };

  const full = files.length >= MAX_ATTACHMENTS;
  const typeText = (a: Attachment) => t(`errands.attachments.types.${a.contentType}`, { defaultValue: a.contentType });

  return (
    <section aria-labelledby={headingId} className="errand-section errand-attachments" data-testid="attachments">
      <Heading variant="h2" id={headingId} mb="s">{t('errands.attachments.heading')}</Heading>
      {files.length === 0 ? (
        <Paragraph mb="m" data-testid="no-attachments">{t('errands.attachments.none')}</Paragraph>
      ) : (
        <table className="log-table card-table attachments-table" aria-labelledby={headingId} data-testid="attachment-list">
          <thead>
            <tr>
              <th scope="col">{t('errands.attachments.name')}</th>
              <th scope="col">{t('errands.attachments.type')}</th>
              <th scope="col">{t('errands.attachments.size')}</th>
              <th scope="col">{t('errands.attachments.addedAt')}</th>
              {can && <th scope="col"><span className="visually-hidden">{t('errands.attachments.actions')}</span></th>}
            </tr>
          </thead>
          <tbody>
            {files.map((a) => (
              <tr key={a.id} data-testid="attachment" data-attachment-id={a.id}>
                <th scope="row" className="attachment-name">
                  <a href={attachmentUrl(e.id, a.id)} download={a.name} data-testid="attachment-download">{a.name}</a>
                </th>
                <td data-label={t('errands.attachments.type')} data-testid="attachment-type">{typeText(a)}</td>
                <td data-label={t('errands.attachments.size')} data-testid="attachment-size">{formatBytes(a.size, lang)}</td>
                <td data-label={t('errands.attachments.addedAt')}>{formatDateTime(a.createdAt, lang)}</td>
                {can && (
                  <td>
                    <Button variant="secondary" disabled={removing || status.state === 'uploading'} onClick={() => { setError(null); setConfirming(a); }} data-testid="attachment-remove">
                      {t('errands.attachments.remove')}<span className="visually-hidden"> {a.name}</span>
                    </Button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {can && confirming && (
        <div className="action-panel" data-testid="attachment-remove-confirm">
          <InlineAlert status="warning" mb="s">
            <Heading variant="h3" as="h3" mb="xs" tabIndex={-1} ref={confirmRef}>{t('errands.attachments.removeTitle')}</Heading>
            <Paragraph mb="s">{t('errands.attachments.removeText', { name: confirming.name })}{awaiting ? ` ${t('errands.attachments.voidingHint')}` : ''}</Paragraph>
            <div className="button-row">
              <Button disabled={removing} onClick={() => void confirmRemove()} data-testid="attachment-remove-yes">{t('errands.attachments.removeConfirm')}</Button>
              <Button variant="secondary" onClick={() => setConfirming(null)} data-testid="attachment-remove-cancel">{t('common.cancel')}</Button>
            </div>
          </InlineAlert>
        </div>
      )}

      {status.state === 'done' && (
        <SuccessNote title={status.text} testId="attachment-done" />
      )}

      {can && (
        <div className="attachment-add">
          {full ? (
            <Paragraph mb="m" data-testid="attachments-full">{t('errands.attachments.full', { count: MAX_ATTACHMENTS })}</Paragraph>
          ) : (
            <>
              <input
                ref={input}
                id={`attachment-input-${e.id}`}
                type="file"
                className="visually-hidden"
                tabIndex={-1}
                accept={ATTACHMENT_ACCEPT}
                aria-label={t('errands.attachments.add')}
                aria-describedby={`attachment-hint-${e.id}`}
                onChange={(ev) => void picked(ev)}
                data-testid="attachment-input"
              />
              <Button
                variant="secondary"
                disabled={status.state === 'uploading'}
                aria-describedby={`attachment-hint-${e.id}${error ? ` attachment-error-${e.id}` : ''}`}
                onClick={() => input.current?.click()}
                data-testid="attachment-add"
              >
                {t('errands.attachments.add')}
              </Button>
              <Paragraph mt="xs" mb="s" className="muted" id={`attachment-hint-${e.id}`} data-testid="attachment-hint">
                {t('errands.attachments.hint', { max, count: MAX_ATTACHMENTS })}
                {awaiting ? ` ${t('errands.attachments.voidingHint')}` : ''}
              </Paragraph>
            </>
          )}
          <p className="autosave" aria-live="polite" data-testid="attachment-status" data-state={status.state}>
            {status.state === 'uploading' ? t('errands.attachments.uploading', { name: status.name }) : ''}
          </p>
          {error && (
            <div id={`attachment-error-${e.id}`} data-testid="attachment-error">
              <InlineAlert status="error" mb="m" role="alert">{error}</InlineAlert>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
