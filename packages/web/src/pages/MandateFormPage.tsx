import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { Controller, useForm } from 'react-hook-form';
import { Button, Checkbox, Dropdown, DropdownItem, Heading, Notification, Paragraph, RadioButton, RadioButtonGroup } from 'suomifi-ui-components';
import { api, type Created, type MandateTerms, type NamedParty, type PartyRef } from '../api.js';
import { formatDate, inputToIso } from '../dates.js';
import { can, useNames, useSession } from '../session.js';
import { DateField, IssuePicker, PartyIdField, PartyTypeField, type IssueChoice } from '../components/fields.js';
import { applyProblem, ErrorAlert, fieldMapper, PageTitle } from '../components/ui.js';

type Mode = 'grant' | 'request';

interface FormValues {
  /** 'self', 'child:<index>' or 'org:<business id>' */
  onBehalfOf: string;
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
  // `?issues=a,b&municipality=049` (e.g. from the service list): the form opens with these chosen.
  const presetIssues = (params.get('issues') ?? '').split(',').filter((c) => catalogue.issues.some((i) => i.code === c));
  const presetMunicipality = params.get('municipality');

  const [step, setStep] = useState<'form' | 'confirm' | 'done'>('form');
  const [other, setOther] = useState<NamedParty | null>(null);
  const [body, setBody] = useState<(MandateTerms & Record<string, unknown>) | null>(null);
  const [result, setResult] = useState<Created | null>(null);
  const [formError, setFormError] = useState<unknown>(null);
  const [confirmError, setConfirmError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const stepHeading = useRef<HTMLHeadingElement>(null);

  const { control, handleSubmit, watch, setError, formState } = useForm<FormValues>({
    defaultValues: {
      onBehalfOf: mode === 'grant' && presetOrg && signingOrgs.some((o) => o.id === presetOrg) ? `org:${presetOrg}` : mayForSelf ? 'self' : children[0] ? 'child:0' : signingOrgs[0] ? `org:${signingOrgs[0].id}` : 'self',
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

  useEffect(() => {
    if (step !== 'form') stepHeading.current?.focus();
  }, [step]);

  const partyField = mode === 'grant' ? 'agent' : 'principal';
  const toField = fieldMapper<keyof FormValues>({
    [partyField]: 'partyId', issues: 'choice', bundle: 'choice', validFrom: 'validFrom', validUntil: 'validUntil',
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

  const onContinue = handleSubmit(async (v) => {
    setFormError(null);
    const validUntil = inputToIso(v.validUntil);
    const validFrom = v.validFrom.trim() ? inputToIso(v.validFrom) : undefined;
    let bad = false;
    if (!validUntil) { setError('validUntil', { message: t('dates.invalid') }); bad = true; }
    if (validFrom === null) { setError('validFrom', { message: t('dates.invalid') }); bad = true; }
    if (bad) return;
    const party: PartyRef = { type: v.partyType, id: v.partyId.trim().toUpperCase() };
    try {
      const found = await api<NamedParty>('POST', '/api/v1/parties/lookup', party);
      setOther(found);
    } catch (e) {
      setFormError(applyProblem(e, setError, () => 'partyId'));
      return;
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
    setStep('confirm');
  });

  const submit = async () => {
    if (!body) return;
    setBusy(true);
    setConfirmError(null);
    try {
      const r = await api<Created>('POST', mode === 'grant' ? '/api/v1/mandates' : '/api/v1/mandate-requests', body);
      setResult(r);
      setStep('done');
    } catch (e) {
      const rest = applyProblem(e, setError, toField);
      if (rest === null) {
        setStep('form');
      } else {
        setConfirmError(rest);
      }
    } finally {
      setBusy(false);
    }
  };

  const title = t(`${mode}.title`);
  const issuesOf = (b: MandateTerms) => (b.bundle ? catalogue.bundles.find((x) => x.code === b.bundle)?.issues ?? [] : b.issues ?? []);

  return (
    <>
      <PageTitle title={title}>{title}</PageTitle>

      {step === 'done' && result && other && body && (
        <>
          <Heading variant="h2" mb="m" tabIndex={-1} ref={stepHeading}>{t(`${mode}.doneTitle`)}</Heading>
          <Notification showCloseButton={false} headingText={t(`${mode}.doneTitle`)} regionAriaLabel={t(`${mode}.doneTitle`)} mb="m" data-testid="done">
            <Paragraph>
              {result.status === 'active'
                ? t(`${mode}.doneActive`, { name: other.name, until: formatDate(body.validUntil, names.lang) })
                : t(`${mode}.doneRequested`, { name: other.name })}
            </Paragraph>
          </Notification>
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
            <dd data-testid="looked-up-name">{other.name} ({other.type === 'person' ? t('party.identityCode') : t('party.businessId')} {other.id})</dd>
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

      <form noValidate onSubmit={onContinue} hidden={step !== 'form'} data-testid="mandate-form">
        <Paragraph mb="m">{t(`${mode}.intro`)}</Paragraph>
        <ErrorAlert error={formError} />

        {mode === 'grant' && (children.length > 0 || wards.length > 0 || signingOrgs.length > 0) && (
          <Controller
            control={control}
            name="onBehalfOf"
            render={({ field, fieldState }) => (
              <RadioButtonGroup
                labelText={t('grant.forWhom')}
                name="onBehalfOf"
                value={field.value}
                onChange={field.onChange}
                groupStatus={fieldState.error ? 'error' : 'default'}
                groupStatusText={fieldState.error?.message}
                mb="m"
              >
                {[
                  ...(mayForSelf ? [<RadioButton key="self" value="self">{t('grant.myself')}</RadioButton>] : []),
                  ...children.map((c, i) => <RadioButton key={`c${i}`} value={`child:${i}`}>{t('grant.myChild', { name: c.name })}</RadioButton>),
                  ...wards.map((w, i) => <RadioButton key={`w${i}`} value={`ward:${i}`} hintText={t('grant.wardHint')}>{t('grant.myWard', { name: w.name })}</RadioButton>),
                  ...signingOrgs.map((o) => <RadioButton key={o.id} value={`org:${o.id}`} hintText={o.signing === 'jointly' ? t('grant.jointHint') : undefined}>{o.name}</RadioButton>),
                ]}
              </RadioButtonGroup>
            )}
          />
        )}

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
          rules={{ validate: (v) => (v.trim() ? true : t(partyType === 'organization' ? 'party.businessIdRequired' : 'party.identityCodeRequired')) }}
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

        <Heading variant="h2" mb="s">{t('issues.heading')}</Heading>
        <Controller
          control={control}
          name="choice"
          rules={{ validate: (v) => (v.bundle || v.issues.length ? true : t('issues.required')) }}
          render={({ field, fieldState }) => <IssuePicker idPrefix={mode} value={field.value} onChange={field.onChange} error={fieldState.error?.message} />}
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
