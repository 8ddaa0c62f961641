import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate, useSearchParams } from 'react-router';
import { Controller, useForm } from 'react-hook-form';
import { Button, Checkbox, Dropdown, DropdownItem, Heading, Paragraph, RadioButton, RadioButtonGroup } from 'suomifi-ui-components';
import { shownPartyId } from '@puolesta/domain/masking';
import { api, newIdempotencyKey, type Created, type MandateTerms, type NamedParty, type PartyRef } from '../api.js';
import { formatDate, inputToIso } from '../dates.js';
import { can, useNames, useSession } from '../session.js';
import { DateField, GroupStatus, IssuePicker, PartyIdField, PartyTypeField, type IssueChoice } from '../components/fields.js';
import { applyProblem, ErrorAlert, fieldMapper, Loading, PageTitle, problemText, SuccessNote } from '../components/ui.js';
import { checkTerms, focusFirstError, useFormContext, type RelatedParty } from '../mandateRules.js';

type Mode = 'grant' | 'request';

interface FormValues {
  /** 'self', 'child:<index>' or 'org:<business id>' */
  onBehalfOf: string;
  /** The other party: 'p:<index>' of the people the registers relate me to, or 'other' (identity code or business id). */
  whom: string;
  partyType: 'person' | 'organization';
  partyId: string;
  choice: IssueChoice;
  validFrom: string;
  validUntil: string;
  target: string;
  oneOff: boolean;
  municipality: string;
}

const NONE = 'none';
const OTHER = 'other';

export const GrantPage = () => <MandateFormPage mode="grant" />;
export const RequestPage = () => <MandateFormPage mode="request" />;

function MandateFormPage({ mode }: { mode: Mode }) {
  const { t } = useTranslation();
  const { me, catalogue } = useSession();
  const names = useNames();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const person = me?.kind === 'person' ? me : null;
  // Whom the person may act for here, as the server's access rules say.
  const mayForSelf = can(me, mode === 'grant' ? 'mandate.grant' : 'mandate.request');
  const signingOrgs = person?.organizations.filter((o) => o.permittedActions.includes(mode)) ?? [];
  const children = person?.children.filter((c) => c.permittedActions.includes(mode)) ?? [];
  const wards = person?.wards.filter((w) => w.permittedActions.includes(mode)) ?? [];
  const presetOrg = params.get('org');
  // From a child's or ward's section on the home page: for whom, in the history state (never an identity code in the address).
  const presetFor = (useLocation().state as { onBehalfOf?: string } | null)?.onBehalfOf;
  const presetChild = presetFor ? children.findIndex((c) => c.id === presetFor) : -1;
  const presetWard = presetFor ? wards.findIndex((w) => w.id === presetFor) : -1;
  // `?issues=a,b&municipality=049` (e.g. from the service list): the form opens with these chosen.
  const presetIssues = (params.get('issues') ?? '').split(',').filter((c) => catalogue.issues.some((i) => i.code === c));
  const presetMunicipality = params.get('municipality');
  // Whom the registers and my mandates relate me to, the matters for each kind of principal, today.
  const { context: formContext, loading: contextLoading } = useFormContext(person !== null);
  const people: RelatedParty[] = formContext?.people ?? [];
  const formRef = useRef<HTMLFormElement>(null);

  const [step, setStep] = useState<'form' | 'confirm' | 'done'>('form');
  const [other, setOther] = useState<NamedParty | null>(null);
  const [body, setBody] = useState<(MandateTerms & Record<string, unknown>) | null>(null);
  // One key per reviewed form: sending it again (a timeout, a second click) grants or asks once.
  const [sendKey, setSendKey] = useState('');
  const [result, setResult] = useState<Created | null>(null);
  const [formError, setFormError] = useState<unknown>(null);
  const [confirmError, setConfirmError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const stepHeading = useRef<HTMLHeadingElement>(null);

  const { control, handleSubmit, watch, setError, setValue, getValues, formState } = useForm<FormValues>({
    defaultValues: {
      onBehalfOf: mode === 'grant' && presetOrg && signingOrgs.some((o) => o.id === presetOrg) ? `org:${presetOrg}`
        : mode === 'grant' && presetChild >= 0 ? `child:${presetChild}` : mode === 'grant' && presetWard >= 0 ? `ward:${presetWard}` : mayForSelf ? 'self' : children[0] ? 'child:0' : signingOrgs[0] ? `org:${signingOrgs[0].id}` : 'self',
      whom: '',
      partyType: 'person',
      partyId: '',
      choice: { bundle: '', issues: presetIssues },
      validFrom: '',
      validUntil: '',
      target: NONE,
      oneOff: false,
      municipality: presetMunicipality && catalogue.municipalities.some((m) => m.code === presetMunicipality) ? presetMunicipality : NONE,
    },
  });
  const partyType = watch('partyType');
  const onBehalfOf = watch('onBehalfOf');
  // Nobody to offer: the identity code (or business id) straight away.
  const whom = people.length === 0 ? OTHER : watch('whom');
  const chosen = whom.startsWith('p:') ? people[Number(whom.slice(2))] : undefined;
  const choice = watch('choice');

  // The matters offered follow the principal's kind: an organisation has no child's matters.
  const principalKind: 'person' | 'organization' = mode === 'grant'
    ? (onBehalfOf.startsWith('org:') ? 'organization' : 'person')
    : (chosen ? (chosen.type as 'person' | 'organization') : whom === OTHER ? partyType : 'person');
  const offeredIssues = formContext?.issuesFor[principalKind];
  useEffect(() => {
    if (!offeredIssues) return;
    const bundleIssues = choice.bundle ? catalogue.bundles.find((b) => b.code === choice.bundle)?.issues ?? [] : [];
    const bundleFits = bundleIssues.every((i) => offeredIssues.includes(i));
    const issues = choice.issues.filter((i) => offeredIssues.includes(i));
    if (!bundleFits || issues.length !== choice.issues.length) setValue('choice', { bundle: bundleFits ? choice.bundle : '', issues });
  }, [offeredIssues, choice, catalogue.bundles, setValue]);

  useEffect(() => {
    if (step !== 'form') stepHeading.current?.focus();
  }, [step]);

  const partyField = mode === 'grant' ? 'agent' : 'principal';
  const toField = fieldMapper<keyof FormValues>({
    [partyField]: whom === OTHER ? 'partyId' : 'whom', issues: 'choice', bundle: 'choice', validFrom: 'validFrom', validUntil: 'validUntil',
    target: 'target', municipality: 'municipality', onBehalfOf: 'onBehalfOf', oneOff: 'oneOff',
  });

  const actingFor = (v: string): { party?: PartyRef; name: string } => {
    if (v.startsWith('child:')) {
      const c = children[Number(v.slice(6))];
      if (c) return { party: { type: 'person', id: c.id }, name: c.name };
    }
    if (v.startsWith('ward:')) {
      const w = wards[Number(v.slice(5))];
      if (w) return { party: { type: 'person', id: w.id }, name: w.name };
    }
    if (v.startsWith('org:')) {
      const o = signingOrgs.find((x) => x.id === v.slice(4));
      if (o) return { party: { type: 'organization', id: o.id }, name: o.name };
    }
    return { name: person?.person.name ?? '' };
  };
  const childBirthDate = (v: string) => (v.startsWith('child:') ? children[Number(v.slice(6))]?.birthDate ?? null : null);
  const principalName = mode === 'grant' && onBehalfOf !== 'self' ? actingFor(onBehalfOf).name : null;

  const onContinue = handleSubmit(async (v) => {
    setFormError(null);
    const validUntil = inputToIso(v.validUntil);
    const validFrom = v.validFrom.trim() ? inputToIso(v.validFrom) : undefined;
    let bad = false;
    if (!validUntil) { setError('validUntil', { message: t('dates.invalid') }); bad = true; }
    if (validFrom === null) { setError('validFrom', { message: t('dates.invalid') }); bad = true; }
    if (bad) { focusFirstError(formRef.current); return; }
    // The rules the server applies, checked here first with the same functions (dates in order, not
    // in the past, at most 25 years, a child's matters until they turn 18).
    if (formContext) {
      const issues = v.choice.bundle ? catalogue.bundles.find((b) => b.code === v.choice.bundle)?.issues ?? [] : v.choice.issues;
      const found = checkTerms({ issues, validFrom: validFrom ?? undefined, validUntil: validUntil! }, {
        today: formContext.today, knownIssues: catalogue.issues.map((i) => i.code), minorPrincipalBorn: mode === 'grant' ? childBirthDate(v.onBehalfOf) : null,
      });
      for (const p of found) {
        const f = toField(p.field);
        if (f) setError(f, { type: 'rule', message: problemText(p, { beside: true }) });
      }
      if (found.length > 0) { focusFirstError(formRef.current); return; }
    }
    let party: PartyRef;
    if (whom !== OTHER) {
      const c = whom.startsWith('p:') ? people[Number(whom.slice(2))] : undefined;
      if (!c) { setError('whom', { message: t('forms.chooseWhom') }); focusFirstError(formRef.current); return; }
      party = { type: c.type as PartyRef['type'], id: c.id };
      setOther({ type: c.type, id: c.id, name: c.name });
    } else {
      party = { type: v.partyType, id: v.partyId.trim().toUpperCase() };
      try {
        const found = await api<NamedParty>('POST', '/api/v1/parties/lookup', party);
        setOther(found);
      } catch (e) {
        setFormError(applyProblem(e, setError, () => 'partyId'));
        focusFirstError(formRef.current);
        return;
      }
    }
    const forWhom = actingFor(v.onBehalfOf);
    const terms: MandateTerms & Record<string, unknown> = {
      [partyField]: party,
      ...(v.choice.bundle ? { bundle: v.choice.bundle } : { issues: v.choice.issues }),
      ...(validFrom ? { validFrom } : {}),
      validUntil: validUntil!,
      ...(v.oneOff ? { oneOff: true } : {}),
      ...(v.target !== NONE && mode === 'grant' && v.onBehalfOf === 'self' ? { target: { type: 'property' as const, id: v.target } } : {}),
      ...(v.municipality !== NONE ? { municipality: v.municipality } : {}),
      ...(mode === 'grant' && forWhom.party ? { onBehalfOf: forWhom.party } : {}),
    };
    setBody(terms);
    setSendKey(newIdempotencyKey());
    setStep('confirm');
  }, () => focusFirstError(formRef.current));

  const submit = async () => {
    if (!body) return;
    setBusy(true);
    setConfirmError(null);
    try {
      const r = await api<Created>('POST', mode === 'grant' ? '/api/v1/mandates' : '/api/v1/mandate-requests', body, { idempotencyKey: sendKey });
      setResult(r);
      setStep('done');
    } catch (e) {
      const rest = applyProblem(e, setError, toField);
      if (rest === null) {
        // Back to the form, focus on the first field the refusal names.
        setStep('form');
        focusFirstError(formRef.current);
      } else {
        setConfirmError(rest);
      }
    } finally {
      setBusy(false);
    }
  };

  const relationText = (p: RelatedParty) => p.relations.map((r) => t(`forms.rel.${r}`)).join(', ');
  const title = t(`${mode}.title`);
  const issuesOf = (b: MandateTerms) => (b.bundle ? catalogue.bundles.find((x) => x.code === b.bundle)?.issues ?? [] : b.issues ?? []);

  return (
    <>
      <PageTitle title={title}>{title}</PageTitle>

      {step === 'done' && result && other && body && (
        <>
          <SuccessNote title={t(`${mode}.doneTitle`)} testId="done">
            <p>
              {result.status === 'active'
                ? t(`${mode}.doneActive`, { name: other.name, until: formatDate(body.validUntil, names.lang) })
                : t(`${mode}.doneRequested`, { name: other.name })}
            </p>
          </SuccessNote>
          <Button onClick={() => navigate(body.onBehalfOf?.type === 'organization' ? '/organisations' : '/')} data-testid="back-home">
            {body.onBehalfOf?.type === 'organization' ? t('common.backToOrganisations') : t('common.backHome')}
          </Button>
        </>
      )}

      {step === 'confirm' && other && body && (
        <div className="confirm-box" data-testid="confirm">
          <Heading variant="h2" mb="m" tabIndex={-1} ref={stepHeading}>{t('confirm.checkTitle')}</Heading>
          <Paragraph mb="m">
            {mode === 'grant'
              ? t('grant.confirmLead', { agent: other.name, principal: actingFor(watch('onBehalfOf')).name })
              : t('request.confirmLead', { principal: other.name })}
          </Paragraph>
          <dl className="facts">
            <dt>{mode === 'grant' ? t('mandate.agent') : t('mandate.principal')}</dt>
            <dd data-testid="looked-up-name">{chosen ? `${other.name} (${relationText(chosen)})` : `${other.name} (${other.type === 'person' ? t('party.identityCode') : t('party.businessId')} ${shownPartyId(other)})`}</dd>
            {mode === 'grant' && (
              <>
                <dt>{t('mandate.principal')}</dt>
                <dd>{actingFor(watch('onBehalfOf')).name}</dd>
              </>
            )}
            <dt>{t('mandate.matters')}</dt>
            <dd>
              {body.bundle && <div>{names.bundle(body.bundle)}:</div>}
              <ul className="plain-list">{issuesOf(body).map((i) => <li key={i}>{names.issue(i)}</li>)}</ul>
            </dd>
            <dt>{t('mandate.valid')}</dt>
            <dd>
              {body.validFrom
                ? t('mandate.validRange', { from: formatDate(body.validFrom, names.lang), until: formatDate(body.validUntil, names.lang) })
                : t('mandate.validFromToday', { until: formatDate(body.validUntil, names.lang) })}
            </dd>
            {body.oneOff && (<><dt>{t('mandate.oneOff')}</dt><dd>{t('mandate.oneOffText')}</dd></>)}
            {body.target && (<><dt>{t('mandate.target')}</dt><dd>{body.target.id}</dd></>)}
            <dt>{t('mandate.municipality')}</dt>
            <dd>{body.municipality ? names.municipality(body.municipality) : t('mandate.allMunicipalities')}</dd>
          </dl>
          <ErrorAlert error={confirmError} />
          <Button mr="s" mb="s" disabled={busy} onClick={submit} data-testid="confirm-submit">
            {t(`${mode}.submit`)}
          </Button>
          <Button variant="secondary" mb="s" onClick={() => setStep('form')}>
            {t('common.backAndChange')}
          </Button>
        </div>
      )}

      {contextLoading && step === 'form' && <Loading />}
      <form noValidate onSubmit={onContinue} hidden={step !== 'form' || contextLoading} data-testid="mandate-form" ref={formRef}>
        <Paragraph mb="m" data-testid="form-intro">{principalName && principalKind === 'organization' ? t('forms.grantIntroOrg', { name: principalName }) : t(`${mode}.intro`)}</Paragraph>
        <ErrorAlert error={formError} />

        {mode === 'grant' && (children.length > 0 || wards.length > 0 || signingOrgs.length > 0) && (
          <Controller
            control={control}
            name="onBehalfOf"
            render={({ field, fieldState }) => (<div data-field-error={fieldState.error ? 'true' : undefined}>
              <RadioButtonGroup
                labelText={t('grant.forWhom')}
                name="onBehalfOf"
                value={field.value}
                onChange={field.onChange}
                groupStatus={fieldState.error ? 'error' : 'default'}
                mb={fieldState.error ? 'xs' : 'm'}
              >
                {[
                  ...(mayForSelf ? [<RadioButton key="self" value="self">{t('grant.myself')}</RadioButton>] : []),
                  ...children.map((c, i) => <RadioButton key={`c${i}`} value={`child:${i}`}>{t('grant.myChild', { name: c.name })}</RadioButton>),
                  ...wards.map((w, i) => <RadioButton key={`w${i}`} value={`ward:${i}`} hintText={t('grant.wardHint')}>{t('grant.myWard', { name: w.name })}</RadioButton>),
                  ...signingOrgs.map((o) => <RadioButton key={o.id} value={`org:${o.id}`} hintText={o.signing === 'jointly' ? t('grant.jointHint') : undefined}>{o.name}</RadioButton>),
                ]}
              </RadioButtonGroup>
              <GroupStatus id="onBehalfOf" error={fieldState.error?.message} />
            </div>)}
          />
        )}

        {people.length > 0 && (
          <Controller
            control={control}
            name="whom"
            rules={{ validate: (v) => (v ? true : t('forms.chooseWhom')) }}
            render={({ field, fieldState }) => (
              <div data-field-error={fieldState.error ? 'true' : undefined} data-testid="whom">
                <RadioButtonGroup
                  labelText={mode === 'grant' ? t('forms.grantTo') : t('forms.requestFrom')}
                  groupHintText={t('forms.whomHint')}
                  name="whom"
                  value={field.value}
                  onChange={field.onChange}
                  groupStatus={fieldState.error ? 'error' : 'default'}
                  mb={fieldState.error ? 'xs' : 'm'}
                >
                  {[
                    ...people.map((p, i) => (
                      <RadioButton key={`p${i}`} value={`p:${i}`} hintText={relationText(p)} data-testid={`whom-${i}`}>{p.name}</RadioButton>
                    )),
                    <RadioButton key={OTHER} value={OTHER} hintText={t('forms.someoneElseHint')} data-testid="whom-other">{t('forms.someoneElse')}</RadioButton>,
                  ]}
                </RadioButtonGroup>
                <GroupStatus id="whom" error={fieldState.error?.message} />
              </div>
            )}
          />
        )}

        {whom === OTHER && (
          <>
            <Controller
              control={control}
              name="partyType"
              render={({ field }) => (
                <PartyTypeField name="partyType" label={mode === 'grant' ? t('grant.agentType') : t('request.principalType')} value={field.value} onChange={(v) => field.onChange(v)} />
              )}
            />
            <Controller
              control={control}
              name="partyId"
              rules={{ validate: (v) => (getValues('whom') !== OTHER && people.length > 0) || v.trim() ? true : t(partyType === 'organization' ? 'party.businessIdRequired' : 'party.identityCodeRequired') }}
              render={({ field, fieldState }) => (
                <PartyIdField
                  id="partyId"
                  label={partyType === 'organization'
                    ? mode === 'grant' ? t('grant.agentBusinessId') : t('request.principalBusinessId')
                    : mode === 'grant' ? t('grant.agentIdentityCode') : t('request.principalIdentityCode')}
                  partyType={partyType}
                  value={field.value}
                  onChange={field.onChange}
                  onBlur={field.onBlur}
                  error={fieldState.error?.message}
                />
              )}
            />
          </>
        )}

        <Heading variant="h2" mb="s">{t('issues.heading')}</Heading>
        <Controller
          control={control}
          name="choice"
          rules={{ validate: (v) => (v.bundle || v.issues.length ? true : t('issues.required')) }}
          render={({ field, fieldState }) => (
            <IssuePicker idPrefix={mode} value={field.value} onChange={field.onChange} error={fieldState.error?.message} {...(offeredIssues ? { only: offeredIssues } : {})}
              hint={principalKind === 'organization' ? t('forms.orgMattersHint') : undefined} />
          )}
        />

        <Heading variant="h2" mb="s">{t('dates.heading')}</Heading>
        <Controller
          control={control}
          name="validFrom"
          render={({ field, fieldState }) => (
            <DateField id="validFrom" label={t('dates.validFrom')} hint={t('dates.validFromHint')} optional value={field.value} onChange={field.onChange} onBlur={field.onBlur} error={fieldState.error?.message} />
          )}
        />
        <Controller
          control={control}
          name="validUntil"
          rules={{ validate: (v) => (v.trim() ? true : t('dates.untilRequired')) }}
          render={({ field, fieldState }) => (
            <DateField id="validUntil" label={t('dates.validUntil')} value={field.value} onChange={field.onChange} onBlur={field.onBlur} error={fieldState.error?.message} />
          )}
        />

        <Heading variant="h2" mb="s">{t('limits.heading')}</Heading>
        <Paragraph mb="m">{t('limits.intro')}</Paragraph>
        <Controller
          control={control}
          name="oneOff"
          render={({ field, fieldState }) => (
            <Checkbox id="oneOff" checked={field.value} onClick={({ checkboxState }) => field.onChange(checkboxState)} hintText={t('limits.oneOffHint')} status={fieldState.error ? 'error' : 'default'} statusText={fieldState.error?.message} mb="m">
              {t('limits.oneOff')}
            </Checkbox>
          )}
        />
        {mode === 'grant' && onBehalfOf === 'self' && (person?.properties.length ?? 0) > 0 && (
          <Controller
            control={control}
            name="target"
            render={({ field, fieldState }) => (<div className="field">
              <Dropdown labelText={t('limits.property')} optionalText={t('common.optional')} value={field.value} onChange={(v) => field.onChange(v)} status={fieldState.error ? 'error' : 'default'} statusText={fieldState.error?.message} mb="m" id="target">
                {[
                  <DropdownItem key={NONE} value={NONE}>{t('limits.anyProperty')}</DropdownItem>,
                  ...(person?.properties ?? []).map((p) => <DropdownItem key={p.id} value={p.id}>{`${p.address} (${p.id})`}</DropdownItem>),
                ]}
              </Dropdown>
            </div>)}
          />
        )}
        <Controller
          control={control}
          name="municipality"
          render={({ field, fieldState }) => (<div className="field">
            <Dropdown labelText={t('limits.municipality')} optionalText={t('common.optional')} value={field.value} onChange={(v) => field.onChange(v)} status={fieldState.error ? 'error' : 'default'} statusText={fieldState.error?.message} mb="l" id="municipality">
              {[
                <DropdownItem key={NONE} value={NONE}>{t('limits.anyMunicipality')}</DropdownItem>,
                ...catalogue.municipalities.map((m) => <DropdownItem key={m.code} value={m.code}>{m.name[names.lang]}</DropdownItem>),
              ]}
            </Dropdown>
          </div>)}
        />

        <Button type="submit" disabled={formState.isSubmitting} data-testid="continue">
          {t('common.continue')}
        </Button>
      </form>
    </>
  );
}
