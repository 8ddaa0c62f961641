import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { Controller, useForm } from 'react-hook-form';
import { Button, Checkbox, CheckboxGroup, Heading, InlineAlert, Paragraph } from 'suomifi-ui-components';
import { api, newIdempotencyKey, type Created, type Mandate } from '../api.js';
import { formatDate, inputToIso, isoToInput } from '../dates.js';
import { useNames } from '../session.js';
import { MandateFacts } from '../components/MandateCards.js';
import { DateField, GroupStatus } from '../components/fields.js';
import { AppLink, applyProblem, ErrorAlert, fieldMapper, Loading, PageTitle, problemText, SuccessNote } from '../components/ui.js';
import { checkNarrowing, checkTerms, focusFirstError, useFormContext } from '../mandateRules.js';

interface FormValues {
  issues: string[];
  validUntil: string;
}

/** The principal answers a request: approve as asked, approve less, or say no. */
export function DecidePage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const names = useNames();
  const navigate = useNavigate();
  const [m, setM] = useState<Mandate | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<Created | null>(null);
  const [confirmReject, setConfirmReject] = useState(false);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  // Today's date by the server's clock, for the checks made before sending.
  const { context: formContext } = useFormContext(true);

  const { control, handleSubmit, reset, setError: setFieldError } = useForm<FormValues>({ defaultValues: { issues: [], validUntil: '' } });

  useEffect(() => {
    api<Mandate>('GET', `/api/v1/mandates/${encodeURIComponent(id)}`).then((x) => {
      setM(x);
      reset({ issues: x.issues, validUntil: isoToInput(x.validUntil) });
    }, setLoadError);
  }, [id, reset]);

  // One key for this answer: sent again after a timeout or a second click, it is recorded once (a refused answer stores nothing).
  const [sendKey] = useState(newIdempotencyKey);
  const decide = async (body: { decision: 'grant' | 'reject'; issues?: string[]; validUntil?: string }) => {
    setBusy(true);
    setError(null);
    try {
      setResult(await api<Created>('POST', `/api/v1/mandate-requests/${encodeURIComponent(id)}/decision`, body, { idempotencyKey: sendKey }));
    } catch (e) {
      setError(applyProblem(e, setFieldError, fieldMapper<keyof FormValues>({ issues: 'issues', validUntil: 'validUntil' })));
      focusFirstError(formRef.current);
    } finally {
      setBusy(false);
    }
  };

  const onApprove = handleSubmit(async (v) => {
    if (!m) return;
    const until = inputToIso(v.validUntil);
    if (!until) {
      setFieldError('validUntil', { message: t('dates.invalid') });
      focusFirstError(formRef.current);
      return;
    }
    // Only narrowing, and terms the server would take: the domain's own rules, checked before sending.
    const issues = m.issues.filter((i) => v.issues.includes(i));
    const refusals = [
      checkNarrowing(m, { issues, validUntil: until }),
      ...(formContext ? checkTerms({ issues, validFrom: m.validFrom > formContext.today ? m.validFrom : formContext.today, validUntil: until }, { today: formContext.today, knownIssues: m.issues }) : []),
    ].filter((p) => p !== null);
    const toField = fieldMapper<keyof FormValues>({ issues: 'issues', validUntil: 'validUntil' });
    let shown = 0;
    for (const p of refusals) {
      const f = toField(p.field);
      if (f) { setFieldError(f, { type: 'rule', message: problemText(p, { beside: true }) }); shown++; }
    }
    if (shown > 0) { focusFirstError(formRef.current); return; }
    const narrowedIssues = v.issues.length !== m.issues.length;
    await decide({ decision: 'grant', ...(narrowedIssues ? { issues: m.issues.filter((i) => v.issues.includes(i)) } : {}), ...(until !== m.validUntil ? { validUntil: until } : {}) });
  }, () => focusFirstError(formRef.current));

  const title = t('decide.title');
  if (loadError) return (<><PageTitle title={title}>{title}</PageTitle><ErrorAlert error={loadError} /></>);
  if (!m) return (<><PageTitle title={title}>{title}</PageTitle><Loading /></>);

  if (result) {
    const text = result.status === 'active' ? t('decide.doneActive', { name: m.agent.name }) : result.status === 'rejected' ? t('decide.doneRejected', { name: m.agent.name }) : t('decide.doneWaiting');
    return (
      <>
        <PageTitle title={title}>{title}</PageTitle>
        <SuccessNote title={t('decide.doneTitle')} testId="done">
          <p>{text}</p>
        </SuccessNote>
        <Button onClick={() => navigate(m.principal.type === 'organization' ? '/organisations' : '/')} data-testid="back-home">
          {m.principal.type === 'organization' ? t('common.backToOrganisations') : t('common.backHome')}
        </Button>
      </>
    );
  }

  const canDecide = m.permittedActions.includes('decide');
  return (
    <>
      <PageTitle title={title}>{title}</PageTitle>
      <Paragraph mb="m">{t('decide.lead', { agent: m.agent.name, principal: m.principal.name })}</Paragraph>
      {m.forErrand && (
        <Paragraph mb="m" data-testid="request-for-errand">
          {t('decide.forErrand', { ref: m.forErrand.ref, service: m.forErrand.serviceName[names.lang], municipality: names.municipality(m.forErrand.municipality) })}{' '}
          <AppLink to={`/errands/${encodeURIComponent(m.forErrand.id)}`}>{t('decide.forErrandLink')}</AppLink>
        </Paragraph>
      )}
      <MandateFacts m={m} />
      {!canDecide ? (
        <InlineAlert mb="m">{t('decide.cannot')}</InlineAlert>
      ) : (
        <form noValidate onSubmit={onApprove} data-testid="decide-form" ref={formRef}>
          <Heading variant="h2" mb="s">{t('decide.yourAnswer')}</Heading>
          <Paragraph mb="m">{t('decide.narrowIntro')}</Paragraph>
          <ErrorAlert error={error} />
          <Controller
            control={control}
            name="issues"
            rules={{ validate: (v) => (v.length > 0 ? true : t('decide.atLeastOne')) }}
            render={({ field, fieldState }) => (
              <div data-field-error={fieldState.error ? 'true' : undefined}><CheckboxGroup labelText={t('decide.whichMatters')} groupStatus={fieldState.error ? 'error' : 'default'} mb={fieldState.error ? 'xs' : 'm'} id="issues" tabIndex={-1}>
                {m.issues.map((i) => (
                  <Checkbox key={i} id={`decide-issue-${i}`} checked={field.value.includes(i)} onClick={({ checkboxState }) => field.onChange(checkboxState ? [...field.value, i] : field.value.filter((x) => x !== i))}>
                    {names.issue(i)}
                  </Checkbox>
                ))}
              </CheckboxGroup><GroupStatus id="decide-issues" error={fieldState.error?.message} /></div>
            )}
          />
          <Paragraph mb="s">{t('decide.untilHint', { date: formatDate(m.validUntil, names.lang) })}</Paragraph>
          <Controller
            control={control}
            name="validUntil"
            rules={{ validate: (v) => (v.trim() ? true : t('dates.untilRequired')) }}
            render={({ field, fieldState }) => (
              <DateField id="validUntil" label={t('dates.validUntil')} value={field.value} onChange={field.onChange} onBlur={field.onBlur} error={fieldState.error?.message} />
            )}
          />
          <Button type="submit" mr="s" mb="s" disabled={busy} data-testid="approve">{t('decide.approve')}</Button>
          {!confirmReject ? (
            <Button variant="secondary" mb="s" disabled={busy} onClick={() => setConfirmReject(true)} data-testid="reject">{t('decide.reject')}</Button>
          ) : (
            <InlineAlert status="warning" mb="s" labelText={t('decide.rejectConfirmTitle')}>
              <Paragraph mb="s">{t('decide.rejectConfirmText', { name: m.agent.name })}</Paragraph>
              <Button mr="s" disabled={busy} onClick={() => decide({ decision: 'reject' })} data-testid="reject-yes">{t('decide.rejectYes')}</Button>
              <Button variant="secondary" onClick={() => setConfirmReject(false)}>{t('common.cancel')}</Button>
            </InlineAlert>
          )}
        </form>
      )}
    </>
  );
}
