import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { Controller, useForm } from 'react-hook-form';
import { Button, Checkbox, Heading, InlineAlert, Paragraph, Toast } from 'suomifi-ui-components';
import { ApiError, client, unwrap, type MunicipalServiceDetail } from '../api.js';
import { formatDate, formatDateTime, formatTime } from '../dates.js';
import { asFormSchema, missingRequired, type FormValue } from '../forms.js';
import { newAttemptKey, type Errand, type ErrandParty, type ErrandStatus, type SavedErrand } from '../errands.js';
import { useNames } from '../session.js';
import { ErrandForm, errandFormErrors, focusErrorSummary, formProblemsOf, type FormFieldProblem } from '../components/ErrandForm.js';
import { basisText, MandateNeeded, PartiesTable } from '../components/ErrandParts.js';
import { correctButtonId, PartyContactForm, type ContactInput } from '../components/PartyContact.js';
import { ErrandAttachments } from '../components/ErrandAttachments.js';
import { AppLink, ErrorAlert, Loading, PageTitle, problemText, SuccessNote } from '../components/ui.js';

const PREFIX = 'errand';
/** Saving waits this long after the last change. */
const AUTOSAVE_MS = 800;
const AWAITING: readonly ErrandStatus[] = ['awaiting-signatures', 'awaiting-confirmations'];

type SaveState =
  | { state: 'idle' }
  | { state: 'saving' }
  | { state: 'saved'; at: Date; voided: boolean }
  | { state: 'invalid' }
  | { state: 'failed'; error: unknown };

/** What the errand's page loads: the errand and its service (for the form). */
export function useErrand(id: string) {
  const [errand, setErrand] = useState<Errand | null>(null);
  const [service, setService] = useState<MunicipalServiceDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(async (): Promise<Errand | null> => {
    try {
      const e = await unwrap(client.GET('/api/v1/errands/{id}', { params: { path: { id } } }));
      setErrand(e);
      setError(null);
      return e;
    } catch (err) {
      setError(err);
      return null;
    }
  }, [id]);
  useEffect(() => {
    let live = true;
    void load().then((e) => {
      if (!e || !live) return;
      // A service the municipality no longer offers has no form to draw: the page says so.
      unwrap(client.GET('/api/v1/municipalities/{code}/services/{serviceCode}', { params: { path: { code: e.municipality, serviceCode: e.service } } }))
        .then((s) => live && setService(s), () => undefined);
    });
    return () => {
      live = false;
    };
  }, [load]);
  return { errand, setErrand, service, error, reload: load };
}

/**
 * The applicant fills in the errand: the basis and the parties as the server worked them out, the form
 * saved as one types, then a review and sending. Sending takes an `Idempotency-Key` per attempt of the
 * review, so a retried click or a lost answer sends once.
 */
export function ErrandEditPage() {
  const { t } = useTranslation();
  const names = useNames();
  const { id = '' } = useParams();
  const { errand, setErrand, service, error: loadError, reload } = useErrand(id);
  const schema = useMemo(() => asFormSchema(service?.form), [service]);

  const [value, setValue] = useState<FormValue>({});
  const [problems, setProblems] = useState<FormFieldProblem[]>([]);
  const [checks, setChecks] = useState(0);
  const [save, setSave] = useState<SaveState>({ state: 'idle' });
  const [step, setStep] = useState<'edit' | 'review' | 'done'>('edit');
  const [sendError, setSendError] = useState<unknown>(null);
  const [sending, setSending] = useState(false);
  const [sent, setSent] = useState<Errand | null>(null);
  const stepHeading = useRef<HTMLHeadingElement>(null);
  const attemptKey = useRef('');

  // ---- saving as one types ------------------------------------------------------------------------
  const latest = useRef<FormValue>({});
  const savedJson = useRef<string | null>(null);
  const version = useRef(0);
  const lastOutcome = useRef<'saved' | 'invalid' | 'failed'>('saved');
  const chain = useRef<Promise<void>>(Promise.resolve());
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    if (!errand || savedJson.current !== null) return;
    // The errand's data as loaded is what is saved.
    const data = (errand.data ?? {}) as FormValue;
    latest.current = data;
    savedJson.current = JSON.stringify(data);
    version.current = errand.version;
    setValue(data);
  }, [errand]);

  /** The server took `data` (as `json`): what the page knows of the errand follows. */
  const saved = useCallback((r: SavedErrand, data: FormValue, json: string) => {
    savedJson.current = json;
    const voided = AWAITING.includes(r.status) && r.version > version.current;
    version.current = r.version;
    setErrand((e) => (e ? { ...e, status: r.status, version: r.version, hash: r.hash, data } : e));
    lastOutcome.current = 'saved';
    // Messages of an earlier try are about a value that is gone.
    setProblems([]);
    setSave({ state: 'saved', at: new Date(), voided });
  }, [setErrand]);

  const saveOnce = useCallback(async () => {
    const data = latest.current;
    const json = JSON.stringify(data);
    if (json === savedJson.current) return;
    setSave({ state: 'saving' });
    try {
      const r = await unwrap(client.PUT('/api/v1/errands/{id}', { params: { path: { id } }, body: { data } }));
      saved(r, data, json);
    } catch (e) {
      const fp = formProblemsOf(e);
      if (fp) {
        lastOutcome.current = 'invalid';
        setProblems(fp);
        setSave({ state: 'invalid' });
      } else {
        lastOutcome.current = 'failed';
        setSave({ state: 'failed', error: e });
      }
    }
  }, [id, saved]);

  /** Saves what is there now (after what is being saved), and resolves when done. */
  const flush = useCallback(() => {
    clearTimeout(timer.current);
    chain.current = chain.current.then(saveOnce);
    return chain.current;
  }, [saveOnce]);

  // ---- a party's contact details for this errand ------------------------------------------------------
  const [contactOpen, setContactOpen] = useState<number | null>(null);
  const [contactBusy, setContactBusy] = useState(false);
  const [contactNote, setContactNote] = useState<{ name: string; contact: string } | null>(null);
  const [restoreError, setRestoreError] = useState<unknown>(null);
  const contactNoteRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (contactNote) contactNoteRef.current?.focus();
  }, [contactNote]);

  /**
   * Saves one party's contact details (an empty one restores the register's) with the form's data, in
   * the same chain as the autosave and after what is typed so far is saved: the data sent is the latest
   * (or, when that is not valid yet, what the server has), so nothing typed is lost or undone.
   * Resolves to null when saved, or to the refusal.
   */
  const saveContact = useCallback((party: ErrandParty, contact: ContactInput): Promise<unknown> => {
    clearTimeout(timer.current);
    timer.current = undefined;
    const run = chain.current.then(saveOnce).then(async () => {
      const data = lastOutcome.current === 'invalid' && savedJson.current !== null ? (JSON.parse(savedJson.current) as FormValue) : latest.current;
      const json = JSON.stringify(data);
      const r = await unwrap(client.PUT('/api/v1/errands/{id}', {
        params: { path: { id } },
        body: { data, parties: [{ type: party.type === 'organization' ? 'organization' : 'person', id: party.id, contact }] },
      }));
      if (json !== savedJson.current) saved(r, data, json);
    });
    chain.current = run.then(() => undefined, () => undefined);
    return run.then(async () => {
      // The server keeps the details as it reads them (a phone number without spaces): show those.
      const fresh = await unwrap(client.GET('/api/v1/errands/{id}', { params: { path: { id } } })).catch(() => null);
      const same = (p: ErrandParty) => p.type === party.type && p.id === party.id;
      const now = fresh?.parties.find(same)?.contact ?? (contact.email || contact.phone ? contact : undefined);
      setErrand((e) => (e ? { ...e, parties: e.parties.map((p) => (same(p) ? { ...p, contact: now } : p)) } : e));
      setContactNote({ name: party.name, contact: [now?.email, now?.phone].filter(Boolean).join(', ') });
      return null;
    }, (e: unknown) => e);
  }, [id, saveOnce, saved, setErrand]);

  const correctContact = async (party: ErrandParty, contact: ContactInput) => {
    setContactBusy(true);
    setContactNote(null);
    const refusal = await saveContact(party, contact);
    setContactBusy(false);
    if (!refusal) setContactOpen(null);
    return refusal;
  };
  const restoreContact = async (party: ErrandParty) => {
    setContactBusy(true);
    setContactNote(null);
    setRestoreError(null);
    const refusal = await saveContact(party, {});
    setContactBusy(false);
    if (refusal) setRestoreError(refusal);
  };

  // What was typed is saved also when the person leaves the page before the pause.
  useEffect(() => () => {
    if (timer.current !== undefined) void flush();
  }, [flush]);

  const change = (v: FormValue) => {
    setValue(v);
    latest.current = v;
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      timer.current = undefined;
      void flush();
    }, AUTOSAVE_MS);
  };

  // ---- steps ----------------------------------------------------------------------------------------
  const { control, handleSubmit, setError: setFieldError, formState } = useForm<{ attest: boolean }>({ defaultValues: { attest: false } });

  useEffect(() => {
    if (step !== 'edit') stepHeading.current?.focus();
  }, [step]);
  useEffect(() => {
    if (checks > 0) focusErrorSummary(PREFIX);
  }, [checks]);

  const errors = useMemo(() => (schema ? errandFormErrors(schema, problems, names.lang) : []), [schema, problems, names.lang]);

  const toReview = async () => {
    await flush();
    if (!schema) return;
    if (lastOutcome.current === 'invalid') {
      setChecks((n) => n + 1);
      return;
    }
    if (lastOutcome.current === 'failed') return;
    const missing = missingRequired(schema, latest.current).map((field) => ({ field, code: 'form.required' }));
    if (missing.length > 0) {
      setProblems(missing);
      setChecks((n) => n + 1);
      return;
    }
    attemptKey.current = newAttemptKey();
    setSendError(null);
    setStep('review');
  };

  const send = handleSubmit(async (v) => {
    if (!errand) return;
    setSending(true);
    setSendError(null);
    try {
      await unwrap(client.POST('/api/v1/errands/{id}/submit', {
        params: { path: { id }, header: { 'idempotency-key': attemptKey.current } },
        body: errand.involvement === 'attest' ? { attest: v.attest } : {},
      }));
      setSent(await reload());
      setStep('done');
    } catch (e) {
      const fp = formProblemsOf(e);
      if (fp) {
        setProblems(fp);
        setStep('edit');
        setChecks((n) => n + 1);
      } else if (e instanceof ApiError && e.problem.code === 'errand.attestation-required') {
        setFieldError('attest', { type: 'server', message: problemText(e.problem) });
        document.getElementById('attest')?.focus();
      } else {
        setSendError(e);
      }
    } finally {
      setSending(false);
    }
  }, () => {
    // The attestation is the only input here: focus goes to it.
    document.getElementById('attest')?.focus();
  });

  const title = t('errands.edit.title');
  if (loadError) return (<><PageTitle title={title}>{title}</PageTitle><ErrorAlert error={loadError} /></>);
  if (!errand) return (<><PageTitle title={title}>{title}</PageTitle><Loading /></>);
  const serviceName = errand.serviceName[names.lang];
  const pageTitle = `${serviceName}: ${errand.subject.name}`;
  const can = (a: string) => errand.permittedActions.includes(a as never);

  if (step === 'done' && sent) {
    const principal = sent.principal?.name ?? sent.subject.name;
    return (
      <>
        <PageTitle title={pageTitle}>{serviceName}</PageTitle>
        <Heading variant="h2" mb="m" tabIndex={-1} ref={stepHeading} id="errand-sent-title">{t(`errands.sent.title_${sent.status}`, { defaultValue: t('errands.sent.title') })}</Heading>
        <SuccessNote title={t('errands.sent.heading', { ref: sent.ref })} testId="errand-sent" data={{ 'data-status': sent.status }} focus={false}>
          <p>{t(`errands.sent.text_${sent.status}`, { defaultValue: t(`errands.status.${sent.status}`), name: principal, deadline: sent.deadline ? formatDate(sent.deadline, names.lang) : '' })}</p>
          <p>{t('errands.sent.followUp')}</p>
        </SuccessNote>
        <div className="button-row">
          <AppLink to={`/errands/${encodeURIComponent(id)}`} testId="to-errand">{t('errands.sent.toErrand')}</AppLink>
          <AppLink to="/errands" testId="to-my-errands">{t('errands.sent.toList')}</AppLink>
        </div>
      </>
    );
  }

  if (!can('edit')) {
    return (
      <>
        <PageTitle title={pageTitle}>{serviceName}</PageTitle>
        <InlineAlert mb="m" data-testid="not-editable">{t('errands.edit.notEditable', { status: t(`errands.status.${errand.status}`) })}</InlineAlert>
        <AppLink to={`/errands/${encodeURIComponent(id)}`}>{t('errands.sent.toErrand')}</AppLink>
      </>
    );
  }

  const saveLine = (() => {
    switch (save.state) {
      case 'saving': return t('errands.edit.saving');
      case 'saved': return save.voided ? t('errands.edit.savedVoided', { time: formatTime(save.at, names.lang) }) : t('errands.edit.saved', { time: formatTime(save.at, names.lang) });
      case 'invalid': return t('errands.edit.notSavedInvalid');
      case 'failed': return t('errands.edit.notSaved');
      default: return '';
    }
  })();
  const again = errand.status === 'returned' || errand.status === 'declined';
  /** Names come from the register; another person's contact details can be corrected for this errand. */
  const correctable = (p: ErrandParty) => p.type === 'person' && !(errand.actor?.type === 'person' && errand.actor.id === p.id);

  return (
    <>
      <PageTitle title={pageTitle}>{serviceName}</PageTitle>
      <dl className="facts">
        <dt>{t('errands.facts.ref')}</dt>
        <dd data-testid="errand-ref">{errand.ref}</dd>
        <dt>{t('errands.facts.municipality')}</dt>
        <dd>{names.municipality(errand.municipality)}</dd>
        <dt>{t('errands.facts.subject')}</dt>
        <dd data-testid="errand-subject">{errand.subject.name}</dd>
        <dt>{t('errands.facts.applicant')}</dt>
        <dd data-testid="errand-basis">{basisText(errand, t)}</dd>
      </dl>
      {!errand.basis && <MandateNeeded e={errand} service={service} />}
      {errand.status === 'returned' && errand.informationRequest && (
        <InlineAlert status="warning" mb="m" labelText={t('errands.info.title')} data-testid="information-request">
          <Paragraph mb="xs" className="errand-text">{errand.informationRequest.text}</Paragraph>
          <Paragraph>{t('errands.info.answerByEditing', { date: formatDateTime(errand.informationRequest.at, names.lang) })}</Paragraph>
        </InlineAlert>
      )}
      {errand.status === 'declined' && (
        <InlineAlert status="warning" mb="m" labelText={t('errands.edit.declinedTitle')} data-testid="declined-note">
          {t('errands.edit.declinedText')}
        </InlineAlert>
      )}
      {AWAITING.includes(errand.status) && (
        <InlineAlert mb="m" labelText={t('errands.edit.awaitingTitle')} data-testid="voiding-note">
          {t('errands.edit.awaitingText')}
        </InlineAlert>
      )}

      {step === 'review' ? (
        <form noValidate onSubmit={send} data-testid="errand-review">
          <Heading variant="h2" mb="s" tabIndex={-1} ref={stepHeading}>{t('errands.review.title')}</Heading>
          <Paragraph mb="m">{t('errands.review.intro')}</Paragraph>
          <PartiesTable e={errand} headingLevel="h3" />
          <Heading variant="h3" mb="s">{t('errands.edit.formTitle')}</Heading>
          {schema && <ErrandForm schema={schema} value={value} onChange={() => undefined} errors={[]} readOnly idPrefix={`${PREFIX}-review`} />}
          {errand.involvement === 'attest' && (
            <Controller
              control={control}
              name="attest"
              rules={{ validate: (v) => (v ? true : problemText({ code: 'errand.attestation-required', status: 400 })) }}
              render={({ field, fieldState }) => (
                <Checkbox id="attest" checked={field.value} onClick={({ checkboxState }) => field.onChange(checkboxState)}
                  status={fieldState.error ? 'error' : 'default'} statusText={fieldState.error?.message} hintText={t('errands.review.attestHint')} mb="m">
                  {t('errands.review.attest')}
                </Checkbox>
              )}
            />
          )}
          <ErrorAlert error={sendError} />
          <div className="button-row">
            <Button type="submit" disabled={sending || formState.isSubmitting} data-testid="errand-send">{again ? t('errands.review.sendAgain') : t('errands.review.send')}</Button>
            <Button variant="secondary" onClick={() => setStep('edit')} data-testid="errand-back">{t('common.backAndChange')}</Button>
          </div>
        </form>
      ) : (
        <>
          <PartiesTable
            e={errand}
            panel={(p, i) => correctable(p) && (
              <>
                {contactOpen === i ? (
                  <PartyContactForm party={p} index={i} busy={contactBusy} onSave={(c) => correctContact(p, c)}
                    onCancel={() => { setContactOpen(null); setTimeout(() => document.getElementById(correctButtonId(i))?.focus()); }} />
                ) : (
                  <div className="button-row party-contact-tools">
                    <Button variant="secondaryNoBorder" id={correctButtonId(i)}
                      disabled={contactBusy} onClick={() => { setContactNote(null); setRestoreError(null); setContactOpen(i); }} data-testid={`contact-${i}-correct`}>
                      {p.contact ? t('errands.contact.change') : t('errands.contact.correct')}<span className="visually-hidden"> – {p.name}</span>
                    </Button>
                    {p.contact && (
                      <Button variant="secondaryNoBorder" disabled={contactBusy} onClick={() => void restoreContact(p)} data-testid={`contact-${i}-restore`}>
                        {t('errands.contact.restore')}<span className="visually-hidden"> – {p.name}</span>
                      </Button>
                    )}
                  </div>
                )}
              </>
            )}
          >
            <ErrorAlert error={restoreError} />
            <div aria-live="polite">
              {contactNote && (
                <Toast ref={contactNoteRef} tabIndex={-1} headingText={contactNote.contact ? t('errands.contact.savedTitle') : t('errands.contact.restoredTitle')} mb="m" data-testid="contact-saved">
                  {contactNote.contact ? t('errands.contact.savedText', contactNote) : t('errands.contact.restoredText', contactNote)}
                </Toast>
              )}
            </div>
          </PartiesTable>
          <section aria-labelledby="errand-form-title" className="errand-section">
            <Heading variant="h2" id="errand-form-title" mb="s">{t('errands.edit.formTitle')}</Heading>
            <Paragraph mb="s">{t('errands.edit.autosaveNote')}</Paragraph>
            {!schema ? (service ? <Paragraph mb="m">{t('formPreview.noForm')}</Paragraph> : <Loading />) : (
              <form
                noValidate
                data-testid="errand-edit-form"
                onSubmit={(ev) => {
                  ev.preventDefault();
                  void toReview();
                }}
              >
                <ErrandForm schema={schema} value={value} onChange={change} errors={errors} idPrefix={PREFIX} focusErrors={false} />
                <p className="autosave" aria-live="polite" data-testid="autosave" data-state={save.state}>{saveLine}</p>
                {save.state === 'failed' && <ErrorAlert error={save.error} />}
                <div className="button-row">
                  {can('submit') && <Button type="submit" data-testid="errand-review-button">{again ? t('errands.edit.reviewAgain') : t('errands.edit.review')}</Button>}
                  <AppLink to={`/errands/${encodeURIComponent(id)}`}>{t('errands.edit.toErrand')}</AppLink>
                </div>
              </form>
            )}
          </section>
          <ErrandAttachments e={errand} reload={reload} />
        </>
      )}
    </>
  );
}
