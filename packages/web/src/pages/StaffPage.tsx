import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Controller, useForm } from 'react-hook-form';
import { Button, Dropdown, DropdownItem, Heading, InlineAlert, Notification, Paragraph, Text, Textarea, TextInput } from 'suomifi-ui-components';
import { api, type CheckResult, type Created, type PartyRef } from '../api.js';
import { formatDate, inputToIso } from '../dates.js';
import { can, useNames, useSession } from '../session.js';
import { DateField, IssuePicker, PartyIdField, PartyTypeField, type IssueChoice } from '../components/fields.js';
import { applyProblem, ErrorAlert, fieldMapper, PageTitle } from '../components/ui.js';

const party = (type: string, id: string): PartyRef => ({ type: type as PartyRef['type'], id: id.trim().toUpperCase() });

interface CheckValues { actorType: 'person' | 'organization'; actorId: string; principalType: 'person' | 'organization'; principalId: string; issue: string; target: string }

function CheckForm() {
  const { t } = useTranslation();
  const { catalogue } = useSession();
  const names = useNames();
  const [result, setResult] = useState<CheckResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const { control, handleSubmit, watch, setError: setFieldError } = useForm<CheckValues>({
    defaultValues: { actorType: 'person', actorId: '', principalType: 'person', principalId: '', issue: '', target: '' },
  });
  const onSubmit = handleSubmit(async (v) => {
    setError(null);
    setResult(null);
    try {
      setResult(await api<CheckResult>('POST', '/api/v1/staff/checks', {
        actor: party(v.actorType, v.actorId), principal: party(v.principalType, v.principalId), issue: v.issue,
        ...(v.target.trim() ? { target: { type: 'property', id: v.target.trim() } } : {}),
      }));
    } catch (e) {
      setError(applyProblem(e, setFieldError, fieldMapper<keyof CheckValues>({ actor: 'actorId', principal: 'principalId', issue: 'issue', target: 'target' })));
    }
  });
  const required = (msg: string) => ({ validate: (v: string) => (v.trim() ? true : msg) });
  return (
    <form noValidate onSubmit={onSubmit} data-testid="check-form">
      <Heading variant="h2" mb="s">{t('staff.checkHeading')}</Heading>
      <Paragraph mb="m">{t('staff.checkIntro')}</Paragraph>
      <ErrorAlert error={error} />
      <Controller control={control} name="actorType" render={({ field }) => <PartyTypeField name="actorType" label={t('staff.visitorType')} value={field.value} onChange={field.onChange} />} />
      <Controller control={control} name="actorId" rules={required(t('party.identityCodeRequired'))} render={({ field, fieldState }) => (
        <PartyIdField id="actorId" label={t('staff.visitorId')} partyType={watch('actorType')} value={field.value} onChange={field.onChange} onBlur={field.onBlur} error={fieldState.error?.message} />
      )} />
      <Controller control={control} name="principalType" render={({ field }) => <PartyTypeField name="principalType" label={t('staff.principalType')} value={field.value} onChange={field.onChange} />} />
      <Controller control={control} name="principalId" rules={required(t('party.identityCodeRequired'))} render={({ field, fieldState }) => (
        <PartyIdField id="principalId" label={t('staff.principalId')} partyType={watch('principalType')} value={field.value} onChange={field.onChange} onBlur={field.onBlur} error={fieldState.error?.message} />
      )} />
      <Controller control={control} name="issue" rules={required(t('staff.issueRequired'))} render={({ field, fieldState }) => (<div className="field">
        <Dropdown id="issue" labelText={t('staff.issue')} visualPlaceholder={t('staff.issuePlaceholder')} value={field.value || null} onChange={(v) => field.onChange(v)} status={fieldState.error ? 'error' : 'default'} statusText={fieldState.error?.message} mb="m">
          {catalogue.issues.map((i) => <DropdownItem key={i.code} value={i.code}>{i.name[names.lang]}</DropdownItem>)}
        </Dropdown>
      </div>)} />
      <Controller control={control} name="target" render={({ field, fieldState }) => (
        <TextInput id="target" labelText={t('staff.property')} optionalText={t('common.optional')} hintText={t('staff.propertyHint')} value={field.value} onChange={(v) => field.onChange(String(v ?? ''))} status={fieldState.error ? 'error' : 'default'} statusText={fieldState.error?.message} mb="m" />
      )} />
      <Button type="submit" mb="m" data-testid="check-submit">{t('staff.checkSubmit')}</Button>
      <div aria-live="polite">
        {result && (
          <div className={result.allowed ? 'result-allowed' : 'result-denied'} data-testid="check-result" data-allowed={String(result.allowed)}>
            <Heading variant="h3" mb="xs">{result.allowed ? t('staff.allowed') : t('staff.notAllowed')}</Heading>
            <Paragraph mb="xs">{t('staff.resultNames', { actor: result.actorName, principal: result.principalName })}</Paragraph>
            {result.basis && <Paragraph mb="xs"><Text variant="bold">{t('staff.basis')}:</Text> {t(`basis.${result.basis}`, { defaultValue: result.basis })}</Paragraph>}
            {result.validUntil && <Paragraph mb="xs">{t('staff.validUntil', { date: formatDate(result.validUntil, names.lang) })}{result.oneOff ? ` ${t('mandate.oneOffShort')}` : ''}</Paragraph>}
            {!result.allowed && (
              <Paragraph mb="xs" data-testid="check-reason">
                <Text variant="bold">{t('staff.reason')}:</Text> {result.reasonCode ? t(`reasons.${result.reasonCode}`, { defaultValue: result.reason ?? '' }) : result.reason}
              </Paragraph>
            )}
          </div>
        )}
      </div>
    </form>
  );
}

interface PaperValues {
  principalType: 'person' | 'organization'; principalId: string;
  agentType: 'person' | 'organization'; agentId: string;
  choice: IssueChoice; validFrom: string; validUntil: string;
  reference: string; signedOn: string; notes: string;
  /** Identity codes of who signed, one per line (empty: the principal themselves). */
  signedBy: string;
}

function PaperForm() {
  const { t } = useTranslation();
  const names = useNames();
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<{ created: Created; until: string } | null>(null);
  const { control, handleSubmit, watch, setError: setFieldError, reset } = useForm<PaperValues>({
    defaultValues: { principalType: 'person', principalId: '', agentType: 'person', agentId: '', choice: { bundle: '', issues: [] }, validFrom: '', validUntil: '', reference: '', signedOn: '', notes: '', signedBy: '' },
  });
  const required = (msg: string) => ({ validate: (v: string) => (v.trim() ? true : msg) });
  const onSubmit = handleSubmit(async (v) => {
    setError(null);
    setDone(null);
    const validUntil = inputToIso(v.validUntil);
    const validFrom = v.validFrom.trim() ? inputToIso(v.validFrom) : undefined;
    const signedOn = inputToIso(v.signedOn);
    let bad = false;
    if (!validUntil) { setFieldError('validUntil', { message: t('dates.invalid') }); bad = true; }
    if (validFrom === null) { setFieldError('validFrom', { message: t('dates.invalid') }); bad = true; }
    if (!signedOn) { setFieldError('signedOn', { message: t('dates.invalid') }); bad = true; }
    if (bad) return;
    const signers = v.signedBy.split(/[\s,;]+/).map((x) => x.trim().toUpperCase()).filter(Boolean);
    try {
      const created = await api<Created>('POST', '/api/v1/staff/paper-mandates', {
        principal: party(v.principalType, v.principalId), agent: party(v.agentType, v.agentId),
        ...(v.choice.bundle ? { bundle: v.choice.bundle } : { issues: v.choice.issues }),
        ...(validFrom ? { validFrom } : {}), validUntil,
        document: {
          reference: v.reference.trim(), signedOn, ...(v.notes.trim() ? { notes: v.notes.trim() } : {}),
          ...(signers.length ? { signedBy: signers.map((id) => ({ type: 'person' as const, id })) } : {}),
        },
      });
      setDone({ created, until: validUntil! });
      reset();
    } catch (e) {
      setError(applyProblem(e, setFieldError, fieldMapper<keyof PaperValues>({
        principal: 'principalId', agent: 'agentId', issues: 'choice', bundle: 'choice', validFrom: 'validFrom', validUntil: 'validUntil',
        'document.reference': 'reference', 'document.signedOn': 'signedOn', 'document.notes': 'notes', document: 'reference',
        'document.signedBy': 'signedBy', ...Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`document.signedBy.${i}`, 'signedBy' as const])),
      })));
    }
  });
  return (
    <form noValidate onSubmit={onSubmit} data-testid="paper-form">
      <Heading variant="h2" mb="s" mt="xl">{t('staff.paperHeading')}</Heading>
      <Paragraph mb="m">{t('staff.paperIntro')}</Paragraph>
      <ErrorAlert error={error} />
      <Controller control={control} name="principalType" render={({ field }) => <PartyTypeField name="paperPrincipalType" label={t('staff.paperPrincipalType')} value={field.value} onChange={field.onChange} />} />
      <Controller control={control} name="principalId" rules={required(t('party.identityCodeRequired'))} render={({ field, fieldState }) => (
        <PartyIdField id="paperPrincipalId" label={t('staff.paperPrincipalId')} partyType={watch('principalType')} value={field.value} onChange={field.onChange} onBlur={field.onBlur} error={fieldState.error?.message} />
      )} />
      <Controller control={control} name="agentType" render={({ field }) => <PartyTypeField name="paperAgentType" label={t('staff.paperAgentType')} value={field.value} onChange={field.onChange} />} />
      <Controller control={control} name="agentId" rules={required(t('party.identityCodeRequired'))} render={({ field, fieldState }) => (
        <PartyIdField id="paperAgentId" label={t('staff.paperAgentId')} partyType={watch('agentType')} value={field.value} onChange={field.onChange} onBlur={field.onBlur} error={fieldState.error?.message} />
      )} />
      <Heading variant="h3" mb="s">{t('issues.heading')}</Heading>
      <Controller control={control} name="choice" rules={{ validate: (v) => (v.bundle || v.issues.length ? true : t('issues.required')) }} render={({ field, fieldState }) => (
        <IssuePicker idPrefix="paper" value={field.value} onChange={field.onChange} error={fieldState.error?.message} />
      )} />
      <Heading variant="h3" mb="s">{t('dates.heading')}</Heading>
      <Controller control={control} name="validFrom" render={({ field, fieldState }) => (
        <DateField id="paperValidFrom" label={t('dates.validFrom')} hint={t('dates.validFromHint')} optional value={field.value} onChange={field.onChange} onBlur={field.onBlur} error={fieldState.error?.message} />
      )} />
      <Controller control={control} name="validUntil" rules={required(t('dates.untilRequired'))} render={({ field, fieldState }) => (
        <DateField id="paperValidUntil" label={t('dates.validUntil')} value={field.value} onChange={field.onChange} onBlur={field.onBlur} error={fieldState.error?.message} />
      )} />
      <Heading variant="h3" mb="s">{t('staff.document')}</Heading>
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
      <Button type="submit" mb="m" data-testid="paper-submit">{t('staff.paperSubmit')}</Button>
      <div aria-live="polite">
        {done && (
          <Notification showCloseButton={false} headingText={t('staff.paperDone')} regionAriaLabel={t('staff.paperDone')} data-testid="paper-done">
            {t('staff.paperDoneText', { until: formatDate(done.until, names.lang) })}
          </Notification>
        )}
      </div>
    </form>
  );
}

/** The service point: the same rules as online. */
export function StaffPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const isCaseworker = can(me, 'staff.check');
  return (
    <>
      <PageTitle title={t('staff.title')}>{t('staff.title')}</PageTitle>
      <InlineAlert status="warning" mb="l" labelText={t('staff.parityTitle')} data-testid="parity">
        {t('staff.parityText')}
      </InlineAlert>
      {!isCaseworker ? <Paragraph>{t('staff.notCaseworker')}</Paragraph> : (
        <>
          <CheckForm />
          <PaperForm />
        </>
      )}
    </>
  );
}
