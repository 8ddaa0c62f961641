import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Controller, useForm } from 'react-hook-form';
import { Button, Dropdown, DropdownItem, Heading, Paragraph, Text, TextInput } from 'suomifi-ui-components';
import { api, type CheckResult, type PartyRef } from '../api.js';
import { formatDate } from '../dates.js';
import { useNames, useSession } from '../session.js';
import { PartyIdField, PartyTypeField } from '../components/fields.js';
import { applyProblem, ErrorAlert, fieldMapper, PageTitle } from '../components/ui.js';
import { ParityNote, StaffBackLink } from './StaffPage.js';

/** A party reference as the caseworker typed it (trimmed, upper case). */
export const typedParty = (type: string, id: string): PartyRef => ({ type: type as PartyRef['type'], id: id.trim().toUpperCase() });
const party = typedParty;

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

/** The check at a service point (`/staff/check`): may this visitor act for that person? The same rules as online. */
export function StaffCheckPage() {
  const { t } = useTranslation();
  return (
    <>
      <StaffBackLink />
      <PageTitle title={t('staff.checkHeading')}>{t('staff.checkHeading')}</PageTitle>
      <ParityNote />
      <CheckForm />
    </>
  );
}
