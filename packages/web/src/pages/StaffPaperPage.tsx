import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Controller, useForm } from 'react-hook-form';
import { Button, Heading, Link, Paragraph, Textarea, TextInput } from 'suomifi-ui-components';
import { api, type Answer, type NamedParty } from '../api.js';

type PaperCreated = Answer<'/api/v1/staff/paper-mandates', 'post'>;
import { formatDate, inputToIso } from '../dates.js';
import { useNames, useSession } from '../session.js';
import { DateField, IssuePicker, PartyIdField, PartyTypeField, type IssueChoice } from '../components/fields.js';
import { applyProblem, ErrorAlert, fieldMapper, PageTitle, SuccessNote } from '../components/ui.js';
import { typedParty as party } from './StaffCheckPage.js';
import { ParityNote, StaffBackLink } from './StaffPage.js';

interface PaperValues {
  principalType: 'person' | 'organization'; principalId: string;
  agentType: 'person' | 'organization'; agentId: string;
  choice: IssueChoice; validFrom: string; validUntil: string;
  reference: string; signedOn: string; notes: string;
  /** Identity codes of who signed, one per line (empty: the principal themselves). */
  signedBy: string;
}

/** What is sent to register the mandate, with the names the registers gave for the review and the receipt. */
interface Reviewed {
  body: {
    principal: { type: 'person' | 'organization'; id: string }; agent: { type: 'person' | 'organization'; id: string };
    bundle?: string; issues?: string[]; validFrom?: string; validUntil: string;
    document: { reference: string; signedOn: string; notes?: string; signedBy?: { type: 'person'; id: string }[] };
  };
  principal: NamedParty;
  agent: NamedParty;
  signers: NamedParty[];
}

const toField = fieldMapper<keyof PaperValues>({
  principal: 'principalId', agent: 'agentId', issues: 'choice', bundle: 'choice', validFrom: 'validFrom', validUntil: 'validUntil',
  'document.reference': 'reference', 'document.signedOn': 'signedOn', 'document.notes': 'notes', document: 'reference',
  'document.signedBy': 'signedBy', ...Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`document.signedBy.${i}`, 'signedBy' as const])),
});

/**
 * Registering a signed paper power of attorney (`/staff/paper-mandates/new`): the form, then a
 * review naming the people as the registers know them, then a printable receipt with a reference.
 */
export function StaffPaperPage() {
  const { t } = useTranslation();
  const { catalogue, me } = useSession();
  const names = useNames();
  const [step, setStep] = useState<'form' | 'review' | 'done'>('form');
  const [formError, setFormError] = useState<unknown>(null);
  const [reviewError, setReviewError] = useState<unknown>(null);
  const [reviewed, setReviewed] = useState<Reviewed | null>(null);
  const [created, setCreated] = useState<PaperCreated | null>(null);
  const [busy, setBusy] = useState(false);
  const stepHeading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (step === 'review') stepHeading.current?.focus();
  }, [step]);
  const { control, handleSubmit, watch, setError: setFieldError, reset } = useForm<PaperValues>({
    defaultValues: { principalType: 'person', principalId: '', agentType: 'person', agentId: '', choice: { bundle: '', issues: [] }, validFrom: '', validUntil: '', reference: '', signedOn: '', notes: '', signedBy: '' },
  });
  const required = (msg: string) => ({ validate: (v: string) => (v.trim() ? true : msg) });

  const onContinue = handleSubmit(async (v) => {
    setFormError(null);
    const validUntil = inputToIso(v.validUntil);
    const validFrom = v.validFrom.trim() ? inputToIso(v.validFrom) : undefined;
    const signedOn = inputToIso(v.signedOn);
    let bad = false;
    if (!validUntil) { setFieldError('validUntil', { message: t('dates.invalid') }); bad = true; }
    if (validFrom === null) { setFieldError('validFrom', { message: t('dates.invalid') }); bad = true; }
    if (!signedOn) { setFieldError('signedOn', { message: t('dates.invalid') }); bad = true; }
    if (bad) return;
    const signerIds = v.signedBy.split(/[\s,;]+/).map((x) => x.trim().toUpperCase()).filter(Boolean);
    const principalRef = party(v.principalType, v.principalId);
    const agentRef = party(v.agentType, v.agentId);
    // The names from the registers, for the review: who is who is checked before anything is registered.
    const lookup = (p: { type: string; id: string }) => api<NamedParty>('POST', '/api/v1/parties/lookup', p);
    let principal: NamedParty, agent: NamedParty;
    const signers: NamedParty[] = [];
    try {
      principal = await lookup(principalRef);
    } catch (e) { setFormError(applyProblem(e, setFieldError, () => 'principalId')); return; }
    try {
      agent = await lookup(agentRef);
    } catch (e) { setFormError(applyProblem(e, setFieldError, () => 'agentId')); return; }
    try {
      for (const id of signerIds) signers.push(await lookup({ type: 'person', id }));
    } catch (e) { setFormError(applyProblem(e, setFieldError, () => 'signedBy')); return; }
    setReviewed({
      principal, agent, signers,
      body: {
        principal: principalRef, agent: agentRef,
        ...(v.choice.bundle ? { bundle: v.choice.bundle } : { issues: v.choice.issues }),
        ...(validFrom ? { validFrom } : {}), validUntil: validUntil!,
        document: {
          reference: v.reference.trim(), signedOn: signedOn!, ...(v.notes.trim() ? { notes: v.notes.trim() } : {}),
          ...(signerIds.length ? { signedBy: signerIds.map((id) => ({ type: 'person' as const, id })) } : {}),
        },
      },
    });
    setReviewError(null);
    setStep('review');
  });

  const register = async () => {
    if (!reviewed) return;
    setBusy(true);
    setReviewError(null);
    try {
      setCreated(await api<PaperCreated>('POST', '/api/v1/staff/paper-mandates', reviewed.body));
      setStep('done');
    } catch (e) {
      const rest = applyProblem(e, setFieldError, toField);
      if (rest === null) setStep('form');
      else setReviewError(rest);
    } finally {
      setBusy(false);
    }
  };

  const startAgain = () => {
    reset();
    setReviewed(null);
    setCreated(null);
    setStep('form');
  };

  const title = t('staff.paperHeading');
  const matters = (b: Reviewed['body']) => (b.bundle ? catalogue.bundles.find((x) => x.code === b.bundle)?.issues ?? [] : b.issues ?? []);
  const partyKind = (p: NamedParty) => (p.type === 'person' ? t('party.identityCode') : t('party.businessId'));
  const validity = (b: Reviewed['body']) => (b.validFrom
    ? t('mandate.validRange', { from: formatDate(b.validFrom, names.lang), until: formatDate(b.validUntil, names.lang) })
    : t('mandate.validFromToday', { until: formatDate(b.validUntil, names.lang) }));

  return (
    <>
      <StaffBackLink />
      <PageTitle title={title}>{title}</PageTitle>

      {step === 'done' && reviewed && created && (
        <div data-testid="paper-done">
          <div className="no-print">
            <SuccessNote title={t('staff.paperDone')} testId="paper-success">
              {t('caseworker.receipt.doneText', { principal: reviewed.principal.name, agent: reviewed.agent.name, until: formatDate(reviewed.body.validUntil, names.lang) })}
            </SuccessNote>
          </div>
          <section className="receipt" aria-labelledby="receipt-title" data-testid="receipt">
            <Heading variant="h2" mb="s" id="receipt-title">{t('caseworker.receipt.title')}</Heading>
            <Paragraph mb="m">{t('caseworker.receipt.lead', { municipality: me?.municipality ? names.municipality(me.municipality) : '' })}</Paragraph>
            <dl className="facts">
              <dt>{t('caseworker.receipt.reference')}</dt>
              <dd data-testid="receipt-reference" className="receipt-reference">{created.id}</dd>
              <dt>{t('caseworker.receipt.registeredOn')}</dt>
              <dd>{formatDate(created.registeredOn, names.lang)}</dd>
              <dt>{t('mandate.principal')}</dt>
              <dd data-testid="receipt-principal">{reviewed.principal.name}</dd>
              <dt>{t('mandate.agent')}</dt>
              <dd data-testid="receipt-agent">{reviewed.agent.name}</dd>
              <dt>{t('mandate.matters')}</dt>
              <dd>
                {reviewed.body.bundle && <div>{names.bundle(reviewed.body.bundle)}:</div>}
                <ul className="plain-list">{matters(reviewed.body).map((i) => <li key={i}>{names.issue(i)}</li>)}</ul>
              </dd>
              <dt>{t('mandate.valid')}</dt>
              <dd data-testid="receipt-valid">{validity(reviewed.body)}</dd>
              <dt>{t('mandate.municipality')}</dt>
              <dd>{me?.municipality ? t('caseworker.receipt.onlyIn', { municipality: names.municipality(me.municipality) }) : t('mandate.allMunicipalities')}</dd>
              <dt>{t('caseworker.receipt.written')}</dt>
              <dd data-testid="receipt-written">{t('caseworker.receipt.writtenText', { date: formatDate(reviewed.body.document.signedOn, names.lang), reference: reviewed.body.document.reference })}</dd>
              <dt>{t('staff.signedBy')}</dt>
              <dd>{reviewed.signers.length ? reviewed.signers.map((s) => s.name).join(', ') : reviewed.principal.name}</dd>
              <dt>{t('caseworker.receipt.registeredBy')}</dt>
              <dd>{me?.name ?? ''}</dd>
            </dl>
            <div className="no-print">
              <Button mr="s" mb="s" onClick={() => window.print()} data-testid="receipt-print">{t('caseworker.receipt.print')}</Button>
              <Link href={`/api/v1/mandates/${encodeURIComponent(created.id)}/receipt.pdf?lang=${names.lang}`} data-testid="receipt-pdf" className="receipt-pdf">
                {t('caseworker.receipt.pdf')}
              </Link>
            </div>
          </section>
          <Button variant="secondary" mt="m" className="no-print" onClick={startAgain} data-testid="paper-again">{t('caseworker.receipt.another')}</Button>
        </div>
      )}

      {step === 'review' && reviewed && (
        <div className="confirm-box" data-testid="paper-review">
          <Heading variant="h2" mb="m" tabIndex={-1} ref={stepHeading}>{t('caseworker.review.title')}</Heading>
          <Paragraph mb="m">{t('caseworker.review.lead', { principal: reviewed.principal.name, agent: reviewed.agent.name })}</Paragraph>
          <dl className="facts">
            <dt>{t('mandate.principal')}</dt>
            <dd data-testid="review-principal">{reviewed.principal.name} ({partyKind(reviewed.principal)} {reviewed.principal.id})</dd>
            <dt>{t('mandate.agent')}</dt>
            <dd data-testid="review-agent">{reviewed.agent.name} ({partyKind(reviewed.agent)} {reviewed.agent.id})</dd>
            <dt>{t('mandate.matters')}</dt>
            <dd>
              {reviewed.body.bundle && <div>{names.bundle(reviewed.body.bundle)}:</div>}
              <ul className="plain-list">{matters(reviewed.body).map((i) => <li key={i}>{names.issue(i)}</li>)}</ul>
            </dd>
            <dt>{t('mandate.valid')}</dt>
            <dd>{validity(reviewed.body)}</dd>
            <dt>{t('caseworker.receipt.written')}</dt>
            <dd>{t('caseworker.receipt.writtenText', { date: formatDate(reviewed.body.document.signedOn, names.lang), reference: reviewed.body.document.reference })}</dd>
            <dt>{t('staff.signedBy')}</dt>
            <dd data-testid="review-signers">{reviewed.signers.length ? reviewed.signers.map((s) => s.name).join(', ') : t('caseworker.review.principalSigned', { name: reviewed.principal.name })}</dd>
            {reviewed.body.document.notes && (<><dt>{t('staff.notes')}</dt><dd>{reviewed.body.document.notes}</dd></>)}
          </dl>
          <ErrorAlert error={reviewError} />
          <Button mr="s" mb="s" disabled={busy} onClick={register} data-testid="paper-submit">{t('staff.paperSubmit')}</Button>
          <Button variant="secondary" mb="s" onClick={() => setStep('form')} data-testid="paper-back">{t('common.backAndChange')}</Button>
        </div>
      )}

      <div hidden={step !== 'form'}>
        <ParityNote />
        <form noValidate onSubmit={onContinue} data-testid="paper-form">
          <Paragraph mb="m">{t('staff.paperIntro')}</Paragraph>
          <ErrorAlert error={formError} />
          <Controller control={control} name="principalType" render={({ field }) => <PartyTypeField name="paperPrincipalType" label={t('staff.paperPrincipalType')} value={field.value} onChange={field.onChange} />} />
          <Controller control={control} name="principalId" rules={required(t('party.identityCodeRequired'))} render={({ field, fieldState }) => (
            <PartyIdField id="paperPrincipalId" label={t('staff.paperPrincipalId')} partyType={watch('principalType')} value={field.value} onChange={field.onChange} onBlur={field.onBlur} error={fieldState.error?.message} />
          )} />
          <Controller control={control} name="agentType" render={({ field }) => <PartyTypeField name="paperAgentType" label={t('staff.paperAgentType')} value={field.value} onChange={field.onChange} />} />
          <Controller control={control} name="agentId" rules={required(t('party.identityCodeRequired'))} render={({ field, fieldState }) => (
            <PartyIdField id="paperAgentId" label={t('staff.paperAgentId')} partyType={watch('agentType')} value={field.value} onChange={field.onChange} onBlur={field.onBlur} error={fieldState.error?.message} />
          )} />
          <Heading variant="h2" mb="s">{t('issues.heading')}</Heading>
          <Controller control={control} name="choice" rules={{ validate: (v) => (v.bundle || v.issues.length ? true : t('issues.required')) }} render={({ field, fieldState }) => (
            <IssuePicker idPrefix="paper" value={field.value} onChange={field.onChange} error={fieldState.error?.message} />
          )} />
          <Heading variant="h2" mb="s">{t('dates.heading')}</Heading>
          <Controller control={control} name="validFrom" render={({ field, fieldState }) => (
            <DateField id="paperValidFrom" label={t('dates.validFrom')} hint={t('dates.validFromHint')} optional value={field.value} onChange={field.onChange} onBlur={field.onBlur} error={fieldState.error?.message} />
          )} />
          <Controller control={control} name="validUntil" rules={required(t('dates.untilRequired'))} render={({ field, fieldState }) => (
            <DateField id="paperValidUntil" label={t('dates.validUntil')} value={field.value} onChange={field.onChange} onBlur={field.onBlur} error={fieldState.error?.message} />
          )} />
          <Heading variant="h2" mb="s">{t('staff.document')}</Heading>
          <Controller control={control} name="reference" rules={required(t('staff.referenceRequired'))} render={({ field, fieldState }) => (
            <TextInput id="reference" labelText={t('staff.reference')} hintText={t('staff.referenceHint')} value={field.value} onChange={(v) => field.onChange(String(v ?? ''))} status={fieldState.error ? 'error' : 'default'} statusText={fieldState.error?.message} mb="m" />
          )} />
          <Controller control={control} name="signedOn" rules={required(t('staff.signedOnRequired'))} render={({ field, fieldState }) => (
            <DateField id="signedOn" label={t('staff.signedOn')} value={field.value} onChange={field.onChange} onBlur={field.onBlur} error={fieldState.error?.message} />
          )} />
          <Controller control={control} name="signedBy" render={({ field, fieldState }) => (
            <Textarea id="signedBy" labelText={t('staff.signedBy')} hintText={t('staff.signedByHint')} optionalText={t('common.optional')} value={field.value} onChange={(e) => field.onChange(e.target.value)} status={fieldState.error ? 'error' : 'default'} statusText={fieldState.error?.message} mb="m" data-testid="paper-signed-by" />
          )} />
          <Controller control={control} name="notes" render={({ field, fieldState }) => (
            <Textarea id="notes" labelText={t('staff.notes')} optionalText={t('common.optional')} value={field.value} onChange={(e) => field.onChange(e.target.value)} status={fieldState.error ? 'error' : 'default'} statusText={fieldState.error?.message} mb="m" />
          )} />
          <Button type="submit" mb="m" data-testid="paper-continue">{t('caseworker.review.continue')}</Button>
        </form>
      </div>
    </>
  );
}
