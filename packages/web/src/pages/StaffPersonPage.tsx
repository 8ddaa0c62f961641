import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Controller, useForm } from 'react-hook-form';
import { Button, Heading, Paragraph, Textarea, TextInput } from 'suomifi-ui-components';
import { api, type Answer } from '../api.js';
import { formatDate, inputToIso } from '../dates.js';
import { useNames } from '../session.js';
import { DateField, PartyIdField, PartyTypeField } from '../components/fields.js';
import { applyProblem, Empty, ErrorAlert, fieldMapper, PageTitle, SuccessNote } from '../components/ui.js';
import { typedParty } from './StaffCheckPage.js';
import { StaffBackLink } from './StaffPage.js';

type PersonMandates = Answer<'/api/v1/staff/people/mandates', 'post'>;
type StaffMandate = PersonMandates['given'][number];

interface LookupValues { partyType: 'person' | 'organization'; partyId: string; reason: string }
interface RevokeValues { receivedOn: string; reference: string }

/** Revoking one paper-registered mandate on the principal's written request: the request's date and reference. */
function RevokeForm({ m, onDone, onCancel }: { m: StaffMandate; onDone(m: StaffMandate): void; onCancel(): void }) {
  const { t } = useTranslation();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const { control, handleSubmit, setError: setFieldError } = useForm<RevokeValues>({ defaultValues: { receivedOn: '', reference: '' } });
  const onSubmit = handleSubmit(async (v) => {
    setError(null);
    const receivedOn = inputToIso(v.receivedOn);
    if (!receivedOn) { setFieldError('receivedOn', { message: t('dates.invalid') }); return; }
    setBusy(true);
    try {
      const r = await api<{ id: string; status: string }>('POST', `/api/v1/staff/mandates/${encodeURIComponent(m.id)}/revoke`, {
        writtenRequest: { receivedOn, ...(v.reference.trim() ? { reference: v.reference.trim() } : {}) },
      });
      onDone({ ...m, status: r.status as StaffMandate['status'], permittedActions: [] });
    } catch (e) {
      setError(applyProblem(e, setFieldError, fieldMapper<keyof RevokeValues>({ 'writtenRequest.receivedOn': 'receivedOn', 'writtenRequest.reference': 'reference' })));
    } finally {
      setBusy(false);
    }
  });
  return (
    <form noValidate onSubmit={onSubmit} className="confirm-box" data-testid="revoke-form">
      <Heading variant="h5" as="h5" mb="s">{t('caseworker.people.revokeTitle', { principal: m.principal.name, agent: m.agent.name })}</Heading>
      <Paragraph mb="m">{t('caseworker.people.revokeLead')}</Paragraph>
      <ErrorAlert error={error} />
      <Controller control={control} name="receivedOn" rules={{ validate: (v) => (v.trim() ? true : t('caseworker.people.receivedOnRequired')) }} render={({ field, fieldState }) => (
        <DateField id={`receivedOn-${m.id}`} label={t('caseworker.people.receivedOn')} value={field.value} onChange={field.onChange} onBlur={field.onBlur} error={fieldState.error?.message} />
      )} />
      <Controller control={control} name="reference" render={({ field, fieldState }) => (
        <TextInput id={`requestReference-${m.id}`} labelText={t('caseworker.people.requestReference')} optionalText={t('common.optional')} value={field.value} onChange={(v) => field.onChange(String(v ?? ''))} status={fieldState.error ? 'error' : 'default'} statusText={fieldState.error?.message} mb="m" />
      )} />
      <Button type="submit" mr="s" mb="s" disabled={busy} data-testid="revoke-confirm">{t('caseworker.people.revokeConfirm')}</Button>
      <Button variant="secondary" mb="s" onClick={onCancel}>{t('caseworker.people.cancel')}</Button>
    </form>
  );
}

/** One mandate as the caseworker sees it: who for whom, which matters, how long, how it was made. */
function MandateItem({ m, onRevoked }: { m: StaffMandate; onRevoked(m: StaffMandate): void }) {
  const { t } = useTranslation();
  const names = useNames();
  const [revoking, setRevoking] = useState(false);
  return (
    <li className="staff-mandate" data-testid="staff-mandate" data-source={m.source} data-status={m.status}>
      <Heading variant="h4" as="h4" mb="xs">{t('caseworker.people.between', { principal: m.principal.name, agent: m.agent.name })}</Heading>
      <dl className="facts">
        <dt>{t('mandate.matters')}</dt>
        <dd>{m.issues.map((i) => names.issue(i)).join(', ')}</dd>
        <dt>{t('mandate.valid')}</dt>
        <dd>{t('mandate.validRange', { from: formatDate(m.validFrom, names.lang), until: formatDate(m.validUntil, names.lang) })}</dd>
        <dt>{t('caseworker.people.state')}</dt>
        <dd data-testid="staff-mandate-status">{t(`status.${m.status}`, { defaultValue: m.status })}</dd>
        <dt>{t('mandate.municipality')}</dt>
        <dd>{m.municipality ? names.municipality(m.municipality) : t('mandate.allMunicipalities')}</dd>
        <dt>{t('caseworker.people.source')}</dt>
        <dd>{m.paperDocument
          ? t('caseworker.people.paper', { date: formatDate(m.paperDocument.signedOn, names.lang), reference: m.paperDocument.reference })
          : t('caseworker.people.electronic')}</dd>
      </dl>
      {m.permittedActions.includes('revoke-paper') && !revoking && (
        <Button variant="secondary" mb="s" onClick={() => setRevoking(true)} data-testid="revoke-paper">{t('caseworker.people.revoke')}</Button>
      )}
      {revoking && m.permittedActions.includes('revoke-paper') && (
        <RevokeForm m={m} onCancel={() => setRevoking(false)} onDone={(done) => { setRevoking(false); onRevoked(done); }} />
      )}
    </li>
  );
}

function MandateList({ title, list, testId, onRevoked }: { title: string; list: StaffMandate[]; testId: string; onRevoked(m: StaffMandate): void }) {
  const { t } = useTranslation();
  return (
    <section data-testid={testId}>
      <Heading variant="h3" as="h3" mb="s">{title}</Heading>
      {list.length === 0 ? <Empty>{t('caseworker.people.none')}</Empty> : (
        <ul className="plain-list staff-mandates">{list.map((m) => <MandateItem key={m.id} m={m} onRevoked={onRevoked} />)}</ul>
      )}
    </section>
  );
}

/**
 * A person's mandates for a caseworker (`/staff/people`): only after an explicit look-up with a
 * reason (the server logs both; the identity code goes in the request body, never the address).
 */
export function StaffPersonPage() {
  const { t } = useTranslation();
  const [result, setResult] = useState<PersonMandates | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [revoked, setRevoked] = useState<StaffMandate | null>(null);
  const [busy, setBusy] = useState(false);
  const { control, handleSubmit, watch, setError: setFieldError } = useForm<LookupValues>({ defaultValues: { partyType: 'person', partyId: '', reason: '' } });
  const required = (msg: string) => ({ validate: (v: string) => (v.trim() ? true : msg) });
  const onSubmit = handleSubmit(async (v) => {
    setError(null);
    setResult(null);
    setRevoked(null);
    setBusy(true);
    try {
      setResult(await api<PersonMandates>('POST', '/api/v1/staff/people/mandates', { party: typedParty(v.partyType, v.partyId), reason: v.reason.trim() }));
    } catch (e) {
      setError(applyProblem(e, setFieldError, fieldMapper<keyof LookupValues>({ party: 'partyId', reason: 'reason' })));
    } finally {
      setBusy(false);
    }
  });
  const onRevoked = (m: StaffMandate) => {
    setRevoked(m);
    setResult((r) => r && { ...r, given: r.given.map((x) => (x.id === m.id ? m : x)), received: r.received.map((x) => (x.id === m.id ? m : x)) });
  };
  const title = t('caseworker.people.title');
  return (
    <>
      <StaffBackLink />
      <PageTitle title={title}>{title}</PageTitle>
      <Paragraph mb="m">{t('caseworker.people.intro')}</Paragraph>
      <form noValidate onSubmit={onSubmit} data-testid="people-form">
        <ErrorAlert error={error} />
        <Controller control={control} name="partyType" render={({ field }) => <PartyTypeField name="lookupPartyType" label={t('caseworker.people.partyType')} value={field.value} onChange={field.onChange} />} />
        <Controller control={control} name="partyId" rules={required(t('party.identityCodeRequired'))} render={({ field, fieldState }) => (
          <PartyIdField id="lookupPartyId" label={t('caseworker.people.partyId')} partyType={watch('partyType')} value={field.value} onChange={field.onChange} onBlur={field.onBlur} error={fieldState.error?.message} />
        )} />
        <Controller control={control} name="reason" rules={required(t('caseworker.people.reasonRequired'))} render={({ field, fieldState }) => (
          <Textarea id="lookupReason" labelText={t('caseworker.people.reason')} hintText={t('caseworker.people.reasonHint')} value={field.value} onChange={(e) => field.onChange(e.target.value)} status={fieldState.error ? 'error' : 'default'} statusText={fieldState.error?.message} mb="m" />
        )} />
        <Button type="submit" mb="l" disabled={busy} data-testid="people-submit">{t('caseworker.people.submit')}</Button>
      </form>
      {revoked && (
        <SuccessNote title={t('caseworker.people.revokedTitle')} testId="revoke-done">
          {t('caseworker.people.revokedText', { principal: revoked.principal.name, agent: revoked.agent.name })}
        </SuccessNote>
      )}
      {result && (
        <div data-testid="people-result">
          <Heading variant="h2" mb="s" data-testid="people-name">{t('caseworker.people.resultTitle', { name: result.party.name })}</Heading>
          <Paragraph mb="m">{t('caseworker.people.logged')}</Paragraph>
          <MandateList title={t('caseworker.people.given')} list={result.given} testId="people-given" onRevoked={onRevoked} />
          <MandateList title={t('caseworker.people.received')} list={result.received} testId="people-received" onRevoked={onRevoked} />
        </div>
      )}
    </>
  );
}
