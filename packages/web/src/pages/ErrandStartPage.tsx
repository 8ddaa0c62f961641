import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { Controller, useFieldArray, useForm } from 'react-hook-form';
import { Button, Heading, Paragraph, RadioButton, RadioButtonGroup, StatusText, TextInput } from 'suomifi-ui-components';
import { ApiError, client, unwrap, type BodyOf, type Mandate, type MunicipalServiceDetail } from '../api.js';
import { formatDate } from '../dates.js';
import { otherKind, subjectChoices, type SubjectChoice } from '../errands.js';
import { can, useNames, useSession } from '../session.js';
import { PolicyBadge } from '../components/policy.js';
import { AppLink, applyProblem, ErrorAlert, Loading, PageTitle } from '../components/ui.js';

const OTHER = 'other';
const MAX_CO_APPLICANTS = 10;

interface CoApplicant {
  id: string;
  email: string;
  phone: string;
}
interface FormValues {
  subject: string;
  otherId: string;
  coApplicants: CoApplicant[];
}

type CreateBody = BodyOf<'/api/v1/errands', 'post'>;

/**
 * Starting an errand in a municipality's service: whom it concerns (as the session and my mandates
 * offer it, or someone else by their id), the co-applicants where the service has them. The draft is
 * created at once; its basis and parties, worked out by the server, show on the next page before
 * anything is sent.
 */
export function ErrandStartPage() {
  const { t } = useTranslation();
  const names = useNames();
  const navigate = useNavigate();
  const { me } = useSession();
  const [params] = useSearchParams();
  const municipality = params.get('municipality') ?? '';
  const serviceCode = params.get('service') ?? '';
  const person = me?.kind === 'person' ? me : null;
  const [service, setService] = useState<MunicipalServiceDetail | null>(null);
  const [received, setReceived] = useState<Mandate[] | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let live = true;
    if (!municipality || !serviceCode) return;
    Promise.all([
      unwrap(client.GET('/api/v1/municipalities/{code}/services/{serviceCode}', { params: { path: { code: municipality, serviceCode } } })),
      can(me, 'mandate.list-own') ? unwrap(client.GET('/api/v1/me/mandates')).then((l) => l.received) : Promise.resolve([] as Mandate[]),
    ]).then(([s, r]) => {
      if (!live) return;
      setService(s);
      setReceived(r);
    }, (e) => live && setLoadError(e));
    return () => {
      live = false;
    };
  }, [municipality, serviceCode, me]);

  const choices = useMemo(() => (person && service ? subjectChoices(person, received ?? [], service.subject) : []), [person, service, received]);
  const other = service ? otherKind(service.subject) : null;

  const { control, handleSubmit, watch, setError: setFieldError, reset, formState } = useForm<FormValues>({
    defaultValues: { subject: '', otherId: '', coApplicants: [] },
  });
  const co = useFieldArray({ control, name: 'coApplicants' });
  // A new co-applicant's identity code takes focus; after a removal, "Add" does.
  const coCount = useRef(co.fields.length);
  useEffect(() => {
    const n = co.fields.length;
    if (n > coCount.current) document.getElementById(`co-${n - 1}-id`)?.focus();
    else if (n < coCount.current) document.getElementById('add-co-applicant')?.focus();
    coCount.current = n;
  }, [co.fields.length]);
  useEffect(() => {
    // The only choice is chosen for the person; otherwise they choose.
    if (choices.length === 1 && !other) reset({ subject: choices[0]!.key, otherId: '', coApplicants: [] });
  }, [choices, other, reset]);
  const chosen = watch('subject');

  const title = t('errands.start.title');
  if (!municipality || !serviceCode) {
    return (<><PageTitle title={title}>{title}</PageTitle><Paragraph mb="m">{t('errands.start.noService')}</Paragraph><AppLink to="/services">{t('errands.start.toServices')}</AppLink></>);
  }
  if (loadError) return (<><PageTitle title={title}>{title}</PageTitle><ErrorAlert error={loadError} /><AppLink to="/services">{t('errands.start.toServices')}</AppLink></>);
  if (!service || !received || !person) return (<><PageTitle title={title}>{title}</PageTitle><Loading /></>);

  const serviceName = service.name[names.lang];
  const coApplicants = service.parties === 'co-applicants';

  const toField = (f: string): keyof FormValues | `coApplicants.${number}.${keyof CoApplicant}` | null => {
    if (f.startsWith('subject')) return chosen === OTHER ? 'otherId' : 'subject';
    const m = /^parties\.(\d+)(?:\.(id|contact\.email|contact\.phone|contact))?/.exec(f);
    if (m && Number(m[1]) < co.fields.length) {
      const part = m[2] === 'contact.email' ? 'email' : m[2] === 'contact.phone' || m[2] === 'contact' ? 'phone' : 'id';
      return `coApplicants.${Number(m[1])}.${part}`;
    }
    return null;
  };

  const focusSubject = () => document.querySelector<HTMLInputElement>('#subject input[type="radio"]')?.focus();
  const onSubmit = handleSubmit(async (v) => {
    setError(null);
    const choice: SubjectChoice | undefined = choices.find((c) => c.key === v.subject);
    const subject = v.subject === OTHER && other ? { type: other, id: v.otherId.trim().toUpperCase() } : choice?.subject;
    if (!subject) return;
    const parties = v.coApplicants.map((c) => {
      const email = c.email.trim();
      const phone = c.phone.trim();
      return { type: 'person' as const, id: c.id.trim().toUpperCase(), ...(email || phone ? { contact: { ...(email ? { email } : {}), ...(phone ? { phone } : {}) } } : {}) };
    });
    const body: CreateBody = { municipality, service: serviceCode, subject, data: {}, ...(parties.length ? { parties } : {}) };
    try {
      const created = await unwrap(client.POST('/api/v1/errands', { body }));
      navigate(`/errands/${encodeURIComponent(created.id)}/edit`);
    } catch (e) {
      const rest = applyProblem(e, setFieldError, toField);
      setError(rest);
      if (rest === null && v.subject !== OTHER && e instanceof ApiError && e.problem.field?.startsWith('subject')) focusSubject();
    }
  }, (errs) => {
    // The choice of whom is a group of radio buttons: focus goes to its first option.
    if (errs.subject) focusSubject();
  });

  const hint = (c: SubjectChoice): string => {
    switch (c.basis) {
      case 'mandate':
        return t(c.oneOff ? 'errands.start.basisMandateOneOff' : 'errands.start.basisMandate', {
          issues: (c.issues ?? []).map((i) => names.issue(i)).join(', '), until: formatDate(c.validUntil ?? '', names.lang),
        });
      case 'organization-role':
        return t('errands.start.basisRole', { role: t(`roles.${c.role}`, { defaultValue: c.role ?? '' }) });
      default:
        return t(`errands.start.basis_${c.basis}`);
    }
  };
  const otherLabel = other ? t(`errands.start.otherId_${other}`) : '';
  const subjectError = formState.errors.subject?.message;

  return (
    <>
      <PageTitle title={`${title}: ${serviceName}`}>{serviceName}</PageTitle>
      <Paragraph mb="s">{t('errands.start.lead', { municipality: names.municipality(municipality) })}</Paragraph>
      <div className="service-badge"><PolicyBadge policy={service.policy} /></div>
      <Paragraph mb="m" data-testid="guidance">{service.guidance[names.lang]}</Paragraph>

      <form noValidate onSubmit={onSubmit} data-testid="errand-start-form">
        <Heading variant="h2" mb="s">{t('errands.start.whomTitle')}</Heading>
        <Paragraph mb="m">{t('errands.start.whomIntro')}</Paragraph>
        <ErrorAlert error={error} />
        <Controller
          control={control}
          name="subject"
          rules={{ validate: (v) => (v ? true : t('errands.start.subjectRequired')) }}
          render={({ field }) => (
            <div className="field" id="subject" tabIndex={-1}>
              <RadioButtonGroup
                labelText={t('errands.start.whom')}
                name="errand-subject"
                value={field.value}
                onChange={field.onChange}
                groupStatus={subjectError ? 'error' : 'default'}
              >
                {[
                  ...choices.map((c) => (
                    <RadioButton key={c.key} id={`subject-${c.key}`} value={c.key} hintText={hint(c)} aria-describedby={subjectError ? 'subject-status' : undefined}>
                      {c.basis === 'self' ? t('errands.start.myself', { name: c.name }) : c.name}
                    </RadioButton>
                  )),
                  ...(other ? [
                    <RadioButton key={OTHER} id="subject-other" value={OTHER} hintText={t(`errands.start.otherHint_${other}`)} aria-describedby={subjectError ? 'subject-status' : undefined}>
                      {t('errands.start.other')}
                    </RadioButton>,
                  ] : []),
                ]}
              </RadioButtonGroup>
              {subjectError && <StatusText id="subject-status" status="error" mt="xs">{subjectError}</StatusText>}
            </div>
          )}
        />
        {chosen === OTHER && other && (
          <Controller
            control={control}
            name="otherId"
            rules={{ validate: (v) => (v.trim() ? true : t(`errands.start.otherIdRequired_${other}`)) }}
            render={({ field, fieldState }) => (
              <TextInput
                id="otherId"
                labelText={otherLabel}
                hintText={t(`errands.start.otherIdHint_${other}`)}
                value={field.value}
                ref={field.ref}
                onChange={(v) => field.onChange(String(v ?? ''))}
                onBlur={field.onBlur}
                status={fieldState.error ? 'error' : 'default'}
                statusText={fieldState.error?.message}
                autoComplete="off"
                mb="m"
              />
            )}
          />
        )}

        {coApplicants && (
          <fieldset className="errand-group co-applicants" data-testid="co-applicants">
            <legend className="errand-legend">{t('errands.start.coTitle')}</legend>
            <Paragraph mb="s" className="errand-hint">{t('errands.start.coIntro')}</Paragraph>
            {co.fields.map((f, i) => (
              <fieldset key={f.id} className="errand-item" data-testid="co-applicant">
                <legend className="errand-item-legend">{t('errands.start.coItem', { n: i + 1 })}</legend>
                <Controller
                  control={control}
                  name={`coApplicants.${i}.id`}
                  rules={{ validate: (v) => (v.trim() ? true : t('party.identityCodeRequired')) }}
                  render={({ field, fieldState }) => (
                    <TextInput id={`co-${i}-id`} ref={field.ref} labelText={t('errands.start.coId')} hintText={t('party.identityCodeHint')} value={field.value}
                      onChange={(v) => field.onChange(String(v ?? ''))} onBlur={field.onBlur} autoComplete="off"
                      status={fieldState.error ? 'error' : 'default'} statusText={fieldState.error?.message} mb="s" />
                  )}
                />
                <Paragraph mb="s" className="errand-hint">{t('errands.start.coContactIntro')}</Paragraph>
                <Controller
                  control={control}
                  name={`coApplicants.${i}.email`}
                  render={({ field, fieldState }) => (
                    <TextInput id={`co-${i}-email`} ref={field.ref} type="email" labelText={t('errands.start.coEmail')} optionalText={t('common.optional')} value={field.value}
                      onChange={(v) => field.onChange(String(v ?? ''))} onBlur={field.onBlur} autoComplete="off"
                      status={fieldState.error ? 'error' : 'default'} statusText={fieldState.error?.message} mb="s" />
                  )}
                />
                <Controller
                  control={control}
                  name={`coApplicants.${i}.phone`}
                  render={({ field, fieldState }) => (
                    <TextInput id={`co-${i}-phone`} ref={field.ref} type="tel" labelText={t('errands.start.coPhone')} hintText={t('settings.phoneHint')} optionalText={t('common.optional')} value={field.value}
                      onChange={(v) => field.onChange(String(v ?? ''))} onBlur={field.onBlur} autoComplete="off"
                      status={fieldState.error ? 'error' : 'default'} statusText={fieldState.error?.message} mb="s" />
                  )}
                />
                <Button variant="secondaryNoBorder" onClick={() => co.remove(i)}>
                  {t('errandForm.remove')}<span className="visually-hidden"> {t('errands.start.coItem', { n: i + 1 })}</span>
                </Button>
              </fieldset>
            ))}
            {co.fields.length < MAX_CO_APPLICANTS && (
              <Button variant="secondary" className="errand-add" id="add-co-applicant" data-testid="add-co-applicant" onClick={() => co.append({ id: '', email: '', phone: '' }, { shouldFocus: false })}>
                {t('errands.start.coAdd')}
              </Button>
            )}
          </fieldset>
        )}

        <Paragraph mb="m" mt="m">{t('errands.start.nextStep')}</Paragraph>
        <div className="button-row">
          <Button type="submit" disabled={formState.isSubmitting} data-testid="errand-start">{t('errands.start.submit')}</Button>
          <AppLink to="/services">{t('errands.start.toServices')}</AppLink>
        </div>
      </form>
    </>
  );
}
