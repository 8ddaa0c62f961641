import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { Controller, useForm } from 'react-hook-form';
import {
  Button, Heading, InlineAlert, Link, Modal, ModalContent, ModalFooter, ModalTitle, Paragraph, RadioButton,
  RadioButtonGroup, StatusText, Textarea,
} from 'suomifi-ui-components';
import { ApiError, client, unwrap } from '../api.js';
import { formatDate, formatDateTime } from '../dates.js';
import { asFormSchema, type FormSchema } from '../forms.js';
import { summaryPdfUrl, type Errand } from '../errands.js';
import { can as sessionCan, useNames, useSession } from '../session.js';
import { ErrandForm } from '../components/ErrandForm.js';
import { ErrandAttachments } from '../components/ErrandAttachments.js';
import { ErrandEvents, ErrandFacts, ErrandStatusBadge, MandateNeeded, PartiesTable } from '../components/ErrandParts.js';
import { AppLink, applyProblem, ErrorAlert, Loading, PageTitle, problemText, SuccessNote } from '../components/ui.js';
import { useErrand } from './ErrandEditPage.js';

type Done = 'signed' | 'confirmed' | 'declined' | 'withdrawn' | 'decided' | 'information-requested';

/**
 * One errand for everyone who may see it: its status in plain words, who acted for whom on which
 * basis, the parties and their answers, the decision, the information asked for, the events, and
 * only the actions the server permits (`permittedActions`).
 */
export function ErrandPage() {
  const { t } = useTranslation();
  const names = useNames();
  const { me } = useSession();
  const { id = '' } = useParams();
  const { errand: e, service, error, reload } = useErrand(id);
  const schema = useMemo(() => asFormSchema(service?.form), [service]);
  const [done, setDone] = useState<Done | null>(null);

  const title = t('errands.page.title');
  if (error) return (<><PageTitle title={title}>{title}</PageTitle><ErrorAlert error={error} /></>);
  if (!e) return (<><PageTitle title={title}>{title}</PageTitle><Loading /></>);

  const serviceName = e.serviceName[names.lang];
  const can = (a: string) => e.permittedActions.includes(a as never);
  const finished = async (what: Done) => {
    await reload();
    setDone(what);
  };
  // Back to the queue for a session that has one (what the session may do, not who it is).
  const staff = sessionCan(me, 'errand.queue');

  return (
    <>
      <PageTitle title={`${serviceName}: ${e.subject.name}`}>{serviceName}</PageTitle>
      <Paragraph mb="s">
        <AppLink to={staff ? '/staff/errands' : '/errands'}>{staff ? t('errands.page.backToQueue') : t('errands.page.backToList')}</AppLink>
      </Paragraph>

      <div className="errand-status-line" data-testid="errand-status" data-status={e.status}>
        <ErrandStatusBadge status={e.status} />
        <span className="errand-status-text">{t(`errands.statusText.${e.status}`)}</span>
      </div>
      {e.expected !== 'nothing' && (
        <Paragraph mb="m" data-testid="errand-expected" data-expected={e.expected}>
          <strong>{t('errands.page.expected')}:</strong> {t(`errands.expected.${e.expected}`)}
          {e.deadline && (e.expected === 'sign' || e.expected === 'confirm') ? ` ${t('errands.page.byDeadline', { date: formatDate(e.deadline, names.lang) })}` : ''}
        </Paragraph>
      )}

      {done && (
        <SuccessNote title={t(`errands.done.${done}`)} testId="errand-done" data={{ 'data-done': done }} />
      )}

      {e.decision && (
        <section aria-labelledby="errand-decision-title" className={`decision-box decision-${e.decision.outcome}`} data-testid="errand-decision" data-outcome={e.decision.outcome}>
          <Heading variant="h2" id="errand-decision-title" mb="xs">{t(`errands.decision.${e.decision.outcome}`)}</Heading>
          <Paragraph mb="xs" className="errand-text">{e.decision.text}</Paragraph>
          <Paragraph className="muted">{t('errands.decision.at', { date: formatDateTime(e.decision.at, names.lang) })}</Paragraph>
        </section>
      )}

      {e.informationRequest && (
        <section aria-labelledby="errand-info-title" className="info-box" data-testid="information-request">
          <Heading variant="h2" id="errand-info-title" mb="xs">{t('errands.info.title')}</Heading>
          <Paragraph mb="xs" className="errand-text">{e.informationRequest.text}</Paragraph>
          <Paragraph mb="xs" className="muted">{t('errands.info.at', { date: formatDateTime(e.informationRequest.at, names.lang) })}</Paragraph>
          {e.informationRequest.answeredAt ? (
            <Paragraph className="muted">{t('errands.info.answered', { date: formatDateTime(e.informationRequest.answeredAt, names.lang) })}</Paragraph>
          ) : can('edit') && e.status === 'returned' ? (
            <Paragraph>{t('errands.info.howToAnswer')}</Paragraph>
          ) : null}
        </section>
      )}

      <Actions e={e} schema={schema} onDone={finished} reload={reload} />

      <ErrandFacts e={e} />
      {!e.basis && e.actor && can('edit') && <MandateNeeded e={e} service={service} />}
      <PartiesTable e={e} />

      <section aria-labelledby="errand-data-title" className="errand-section">
        <Heading variant="h2" id="errand-data-title" mb="s">{t('errands.page.data')}</Heading>
        {schema ? (
          <ErrandForm schema={schema} value={e.data as Record<string, unknown>} onChange={() => undefined} errors={[]} readOnly idPrefix="errand-view" />
        ) : e.kind === 'party-request' ? (
          <Paragraph mb="m">{t('errands.page.documentOnly')}</Paragraph>
        ) : service ? (
          <Paragraph mb="m">{t('formPreview.noForm')}</Paragraph>
        ) : <Loading />}
      </section>
      <ErrandAttachments e={e} reload={reload} />

      <ErrandEvents e={e} />
    </>
  );
}

/** The actions the server permits, each with its own confirmation. */
function Actions({ e, schema, onDone, reload }: { e: Errand; schema: FormSchema | null; onDone(d: Done): Promise<void>; reload(): Promise<Errand | null> }) {
  const { t } = useTranslation();
  const { lang } = useNames();
  const can = (a: string) => e.permittedActions.includes(a as never);
  const [open, setOpen] = useState<'answer' | 'decline' | 'withdraw' | 'decide' | 'information' | null>(null);
  const answer = can('sign') ? 'sign' : can('confirm') ? 'confirm' : null;
  const any = answer || can('decline') || can('withdraw') || can('edit') || can('download-summary') || can('decide') || can('request-information');
  if (!any) return null;
  const close = () => setOpen(null);
  return (
    <section aria-labelledby="errand-actions-title" className="errand-actions">
      <Heading variant="h2" id="errand-actions-title" mb="s">{t('errands.actions.title')}</Heading>
      <div className="button-row">
        {can('edit') && (
          <span data-testid="errand-action-edit">
            <AppLink to={`/errands/${encodeURIComponent(e.id)}/edit`}>{e.status === 'returned' ? t('errands.actions.answerInfo') : t('errands.actions.edit')}</AppLink>
          </span>
        )}
        {answer && (
          <Button onClick={() => setOpen('answer')} data-testid={`errand-action-${answer}`}>{t(`errands.actions.${answer}`)}</Button>
        )}
        {can('decline') && <Button variant="secondary" onClick={() => setOpen('decline')} data-testid="errand-action-decline">{t('errands.actions.decline')}</Button>}
        {can('decide') && <Button onClick={() => setOpen('decide')} data-testid="errand-action-decide">{t('errands.actions.decide')}</Button>}
        {can('request-information') && <Button variant="secondary" onClick={() => setOpen('information')} data-testid="errand-action-request-information">{t('errands.actions.requestInformation')}</Button>}
        {can('withdraw') && <Button variant="secondary" onClick={() => setOpen('withdraw')} data-testid="errand-action-withdraw">{t('errands.actions.withdraw')}</Button>}
        {can('download-summary') && (
          <span data-testid="errand-action-download-summary">
            <Link href={summaryPdfUrl(e.id, lang)} download>{t('errands.actions.downloadSummary')}</Link>
          </span>
        )}
      </div>
      {answer && <AnswerDialog e={e} schema={schema} answer={answer} visible={open === 'answer'} onClose={close} onDone={onDone} reload={reload} />}
      {open === 'decline' && <DeclineForm e={e} onCancel={close} onDone={onDone} reload={reload} />}
      {open === 'withdraw' && <WithdrawConfirm e={e} onCancel={close} onDone={onDone} />}
      {open === 'decide' && <DecideForm e={e} onCancel={close} onDone={onDone} />}
      {open === 'information' && <InformationForm e={e} onCancel={close} onDone={onDone} />}
    </section>
  );
}

const isVersionChanged = (err: unknown) => err instanceof ApiError && err.problem.code === 'errand.version-changed';

/** Sign or confirm: the version shown, read once more in a dialog, bound by its hash. */
function AnswerDialog({ e, schema, answer, visible, onClose, onDone, reload }: {
  e: Errand; schema: FormSchema | null; answer: 'sign' | 'confirm'; visible: boolean; onClose(): void; onDone(d: Done): Promise<void>; reload(): Promise<Errand | null>;
}) {
  const { t } = useTranslation();
  const names = useNames();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [changed, setChanged] = useState(false);
  const titleRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (visible) {
      setError(null);
      setChanged(false);
    }
  }, [visible]);
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await unwrap(client.POST('/api/v1/errands/{id}/responses', { params: { path: { id: e.id } }, body: { response: answer, hash: e.hash } }));
      onClose();
      await onDone(answer === 'sign' ? 'signed' : 'confirmed');
    } catch (err) {
      if (isVersionChanged(err)) {
        // The errand changed since it was opened: show the new version, to be read before answering.
        await reload();
        setChanged(true);
        titleRef.current?.focus();
      } else setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal visible={visible} appElementId="root" onEscKeyDown={onClose} focusOnOpenRef={titleRef} ariaLabelledBy="answer-dialog-title" scrollable>
      {/* The content scrolls: it takes focus so a keyboard can scroll it (axe: scrollable-region-focusable). */}
      <ModalContent tabIndex={0} role="region" aria-labelledby="answer-dialog-title">
        <ModalTitle id="answer-dialog-title" forwardedRef={titleRef} tabIndex={-1}>{t(`errands.answer.title_${answer}`)}</ModalTitle>
        {changed && (
          <InlineAlert status="warning" mb="m" role="alert" data-testid="version-changed">{t('errands.answer.changed')}</InlineAlert>
        )}
        <Paragraph mb="m">{t(`errands.answer.intro_${answer}`, { ref: e.ref, version: e.version })}</Paragraph>
        {e.kind === 'party-request' && e.document && (
          <dl className="facts">
            <dt>{t('errands.facts.document')}</dt>
            <dd>{e.document.title}{e.document.summary ? ` – ${e.document.summary}` : ''}</dd>
            <dt>{t('errands.answer.digest')}</dt>
            <dd className="digest">{e.document.sha256}</dd>
          </dl>
        )}
        <dl className="facts">
          <dt>{t('errands.facts.service')}</dt>
          <dd>{e.serviceName[names.lang]}</dd>
          <dt>{t('errands.facts.subject')}</dt>
          <dd>{e.subject.name}</dd>
        </dl>
        {schema ? <ErrandForm schema={schema} value={e.data as Record<string, unknown>} onChange={() => undefined} errors={[]} readOnly idPrefix="answer-review" /> : null}
        <ErrorAlert error={error} />
      </ModalContent>
      <ModalFooter>
        <Button disabled={busy} onClick={() => void submit()} data-testid="answer-confirm">{t(`errands.answer.confirm_${answer}`)}</Button>
        <Button variant="secondary" onClick={onClose}>{t('common.cancel')}</Button>
      </ModalFooter>
    </Modal>
  );
}

function DeclineForm({ e, onCancel, onDone, reload }: { e: Errand; onCancel(): void; onDone(d: Done): Promise<void>; reload(): Promise<Errand | null> }) {
  const { t } = useTranslation();
  const [error, setError] = useState<unknown>(null);
  const { control, handleSubmit, setError: setFieldError, formState } = useForm<{ reason: string }>({ defaultValues: { reason: '' } });
  const onSubmit = handleSubmit(async (v) => {
    setError(null);
    try {
      await unwrap(client.POST('/api/v1/errands/{id}/responses', { params: { path: { id: e.id } }, body: { response: 'decline', reason: v.reason.trim(), hash: e.hash } }));
      await onDone('declined');
    } catch (err) {
      if (isVersionChanged(err)) {
        await reload();
        setError(err);
      } else setError(applyProblem(err, setFieldError, (f) => (f === 'reason' ? 'reason' : null)));
    }
  });
  return (
    <form noValidate onSubmit={onSubmit} className="action-panel" data-testid="decline-form">
      <Heading variant="h3" mb="s">{t('errands.decline.title')}</Heading>
      <Paragraph mb="s">{t('errands.decline.intro')}</Paragraph>
      <ErrorAlert error={error} />
      <Controller
        control={control}
        name="reason"
        rules={{ validate: (v) => (v.trim() ? true : problemTextOf('errand.reason-required')) }}
        render={({ field, fieldState }) => (
          <Textarea id="decline-reason" labelText={t('errands.decline.reason')} value={field.value} onChange={(ev) => field.onChange(ev.target.value)} onBlur={field.onBlur}
            ref={field.ref} status={fieldState.error ? 'error' : 'default'} statusText={fieldState.error?.message} maxLength={1000} fullWidth mb="m" />
        )}
      />
      <div className="button-row">
        <Button type="submit" disabled={formState.isSubmitting} data-testid="decline-confirm">{t('errands.decline.confirm')}</Button>
        <Button variant="secondary" onClick={onCancel}>{t('common.cancel')}</Button>
      </div>
    </form>
  );
}

function WithdrawConfirm({ e, onCancel, onDone }: { e: Errand; onCancel(): void; onDone(d: Done): Promise<void> }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), []);
  const go = async () => {
    setBusy(true);
    setError(null);
    try {
      await unwrap(client.POST('/api/v1/errands/{id}/withdraw', { params: { path: { id: e.id } } }));
      await onDone('withdrawn');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="action-panel" ref={ref} tabIndex={-1} data-testid="withdraw-confirm">
      <InlineAlert status="warning" mb="s" labelText={t('errands.withdraw.title')}>
        <Paragraph mb="s">{e.status === 'draft' ? t('errands.withdraw.textDraft') : t('errands.withdraw.text')}</Paragraph>
        <ErrorAlert error={error} />
        <div className="button-row">
          <Button disabled={busy} onClick={() => void go()} data-testid="withdraw-yes">{t('errands.withdraw.confirm')}</Button>
          <Button variant="secondary" onClick={onCancel}>{t('common.cancel')}</Button>
        </div>
      </InlineAlert>
    </div>
  );
}

interface DecideValues { outcome: '' | 'approved' | 'rejected'; text: string }

/** A caseworker decides: outcome and text, then a review of both, then the decision. */
function DecideForm({ e, onCancel, onDone }: { e: Errand; onCancel(): void; onDone(d: Done): Promise<void> }) {
  const { t } = useTranslation();
  const [review, setReview] = useState<DecideValues | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const reviewRef = useRef<HTMLHeadingElement>(null);
  const { control, handleSubmit, setError: setFieldError, formState } = useForm<DecideValues>({ defaultValues: { outcome: '', text: '' } });
  useEffect(() => {
    if (review) reviewRef.current?.focus();
  }, [review]);
  const onContinue = handleSubmit((v) => {
    setError(null);
    setReview(v);
  });
  const confirm = async () => {
    if (!review || !review.outcome) return;
    setBusy(true);
    setError(null);
    try {
      await unwrap(client.POST('/api/v1/errands/{id}/decision', { params: { path: { id: e.id } }, body: { outcome: review.outcome, text: review.text.trim() } }));
      await onDone('decided');
    } catch (err) {
      const rest = applyProblem(err, setFieldError, (f) => (f === 'text' ? 'text' : f === 'outcome' ? 'outcome' : null));
      if (rest === null) setReview(null);
      else setError(rest);
    } finally {
      setBusy(false);
    }
  };
  const outcomeError = formState.errors.outcome?.message;
  if (review) {
    return (
      <div className="action-panel confirm-box" data-testid="decide-review">
        <Heading variant="h3" mb="s" tabIndex={-1} ref={reviewRef}>{t('errands.decide.reviewTitle')}</Heading>
        <dl className="facts">
          <dt>{t('errands.decide.outcome')}</dt>
          <dd data-testid="decide-review-outcome">{t(`errands.decision.${review.outcome}`)}</dd>
          <dt>{t('errands.decide.text')}</dt>
          <dd className="errand-text">{review.text.trim()}</dd>
        </dl>
        <Paragraph mb="s">{t('errands.decide.reviewNote')}</Paragraph>
        <ErrorAlert error={error} />
        <div className="button-row">
          <Button disabled={busy} onClick={() => void confirm()} data-testid="decide-confirm">{t('errands.decide.confirm')}</Button>
          <Button variant="secondary" onClick={() => setReview(null)}>{t('common.backAndChange')}</Button>
        </div>
      </div>
    );
  }
  return (
    <form noValidate onSubmit={onContinue} className="action-panel" data-testid="decide-form">
      <Heading variant="h3" mb="s">{t('errands.decide.title')}</Heading>
      <ErrorAlert error={error} />
      <Controller
        control={control}
        name="outcome"
        rules={{ validate: (v) => (v ? true : t('errands.decide.outcomeRequired')) }}
        render={({ field }) => (
          <div className="field" id="decide-outcome" tabIndex={-1}>
            <RadioButtonGroup labelText={t('errands.decide.outcome')} name="decide-outcome" value={field.value} onChange={field.onChange} groupStatus={outcomeError ? 'error' : 'default'}>
              <RadioButton id="decide-approved" value="approved" aria-describedby={outcomeError ? 'decide-outcome-status' : undefined}>{t('errands.decision.approved')}</RadioButton>
              <RadioButton id="decide-rejected" value="rejected" aria-describedby={outcomeError ? 'decide-outcome-status' : undefined}>{t('errands.decision.rejected')}</RadioButton>
            </RadioButtonGroup>
            {outcomeError && <StatusText id="decide-outcome-status" status="error" mt="xs">{outcomeError}</StatusText>}
          </div>
        )}
      />
      <Controller
        control={control}
        name="text"
        rules={{ validate: (v) => (v.trim() ? true : problemTextOf('errand.decision-text-required')) }}
        render={({ field, fieldState }) => (
          <Textarea id="decide-text" labelText={t('errands.decide.text')} hintText={t('errands.decide.textHint')} value={field.value} onChange={(ev) => field.onChange(ev.target.value)}
            onBlur={field.onBlur} ref={field.ref} status={fieldState.error ? 'error' : 'default'} statusText={fieldState.error?.message} maxLength={8000} fullWidth mb="m" />
        )}
      />
      <div className="button-row">
        <Button type="submit" data-testid="decide-continue">{t('common.continue')}</Button>
        <Button variant="secondary" onClick={onCancel}>{t('common.cancel')}</Button>
      </div>
    </form>
  );
}

/** A caseworker asks for more information: the errand returns to the applicant. */
function InformationForm({ e, onCancel, onDone }: { e: Errand; onCancel(): void; onDone(d: Done): Promise<void> }) {
  const { t } = useTranslation();
  const [error, setError] = useState<unknown>(null);
  const { control, handleSubmit, setError: setFieldError, formState } = useForm<{ text: string }>({ defaultValues: { text: '' } });
  const onSubmit = handleSubmit(async (v) => {
    setError(null);
    try {
      await unwrap(client.POST('/api/v1/errands/{id}/information-requests', { params: { path: { id: e.id } }, body: { text: v.text.trim() } }));
      await onDone('information-requested');
    } catch (err) {
      setError(applyProblem(err, setFieldError, (f) => (f === 'text' ? 'text' : null)));
    }
  });
  return (
    <form noValidate onSubmit={onSubmit} className="action-panel" data-testid="information-form">
      <Heading variant="h3" mb="s">{t('errands.info.askTitle')}</Heading>
      <Paragraph mb="s">{t('errands.info.askIntro')}</Paragraph>
      <ErrorAlert error={error} />
      <Controller
        control={control}
        name="text"
        rules={{ validate: (v) => (v.trim() ? true : problemTextOf('errand.information-text-required')) }}
        render={({ field, fieldState }) => (
          <Textarea id="information-text" labelText={t('errands.info.askText')} value={field.value} onChange={(ev) => field.onChange(ev.target.value)} onBlur={field.onBlur}
            ref={field.ref} status={fieldState.error ? 'error' : 'default'} statusText={fieldState.error?.message} maxLength={4000} fullWidth mb="m" />
        )}
      />
      <div className="button-row">
        <Button type="submit" disabled={formState.isSubmitting} data-testid="information-send">{t('errands.info.askSend')}</Button>
        <Button variant="secondary" onClick={onCancel}>{t('common.cancel')}</Button>
      </div>
    </form>
  );
}

const problemTextOf = (code: string) => problemText({ code, status: 400 });
