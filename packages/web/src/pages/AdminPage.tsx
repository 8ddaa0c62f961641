import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Dropdown, DropdownItem, Heading, Notification, Paragraph, Text, TextInput } from 'suomifi-ui-components';
import {
  api, choicePolicy, policyChoice, type CatalogueVersion, type ClassSaveResult, type ListDiff, type MunicipalService, type Name3, type Policy,
  type PolicyChoice, type ServiceClass, type ServiceClassInput, type VersionComparison,
} from '../api.js';
import { formatDate } from '../dates.js';
import { can, useNames, useSession } from '../session.js';
import { Empty, ErrorAlert, errorText, Loading, PageTitle } from '../components/ui.js';
import { PolicyBadge, PolicyChoiceField } from '../components/policy.js';
import { IssuePicker } from '../components/fields.js';
import { PtvAdmin } from './PtvAdmin.js';
import { AdoptService, DetailsForm, StopOffering } from './LocalServices.js';
import { BundlesAdmin, IssuesAdmin } from './CatalogueTerms.js';
import { DeliveriesAdmin } from './DeliveriesAdmin.js';

/** Catalogue administration: a municipality's own services, or (umbrella organisation) the common catalogue. */
export function AdminPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const names = useNames();
  const umbrella = can(me, 'catalogue-class.edit');
  const municipal = !umbrella && can(me, 'municipal-service.edit') && me?.municipality ? me.municipality : null;
  const title = umbrella ? t('admin.umbrellaTitle') : municipal ? t('admin.municipalTitle', { municipality: names.municipality(municipal) }) : t('admin.title');
  return (
    <>
      <PageTitle title={title}>{title}</PageTitle>
      {umbrella ? <UmbrellaAdmin /> : municipal ? <MunicipalAdmin code={municipal} /> : <Paragraph>{t('errors.forbidden')}</Paragraph>}
      {can(me, 'delivery.list') && <DeliveriesAdmin filter={!me?.municipality} />}
    </>
  );
}

// ---- a municipality's administrator ---------------------------------------------------------------

function MunicipalAdmin({ code }: { code: string }) {
  const { t } = useTranslation();
  const names = useNames();
  const [services, setServices] = useState<MunicipalService[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [details, setDetails] = useState<string | null>(null);
  const [changed, setChanged] = useState<string | null>(null);
  const [refresh, setRefresh] = useState(0);

  const load = useCallback(async () => {
    try {
      setServices((await api<{ services: MunicipalService[] }>('GET', `/api/v1/municipalities/${code}/services`)).services);
    } catch (e) {
      setError(e);
    }
  }, [code]);
  useEffect(() => { void load(); }, [load]);
  const reload = async (note: string | null) => { setChanged(note); await load(); setRefresh((n) => n + 1); };

  if (error) return <ErrorAlert error={error} />;
  if (!services) return <Loading />;
  const overridden = services.filter((s) => s.overridden).length;
  return (
    <>
      <Paragraph mb="m">{t('admin.municipalIntro')}</Paragraph>
      <Paragraph mb="m" data-testid="override-count">{t('admin.overrideCount', { count: overridden, total: services.length })}</Paragraph>
      <div aria-live="polite">
        {changed && (
          <Notification showCloseButton={false} headingText={changed} regionAriaLabel={changed} mb="m" data-testid="local-saved">{''}</Notification>
        )}
      </div>
      <ul className="service-list">
        {services.map((s) => (
          <li key={s.code} className="service-card" data-testid="admin-service" data-code={s.code} data-overridden={String(s.overridden)}>
            <Heading variant="h2" mb="xs">{s.name?.[names.lang] ?? s.title}</Heading>
            <dl className="facts">
              <dt>{t('admin.common')}</dt>
              <dd><PolicyBadge policy={s.commonPolicy} testId="common-policy" /></dd>
              <dt>{t('admin.inForce')}</dt>
              <dd>
                <PolicyBadge policy={s.policy} testId="local-policy" />{' '}
                <Text className="muted">{s.overridden ? t('admin.local') : t('admin.asCommon')}</Text>
              </dd>
            </dl>
            {saved === s.code && editing !== s.code && (
              <Notification showCloseButton={false} headingText={t('admin.savedPolicy')} regionAriaLabel={t('admin.savedPolicy')} mb="s" data-testid="policy-saved">
                {s.guidance[names.lang]}
              </Notification>
            )}
            {editing === s.code ? (
              <PolicyForm
                service={s}
                municipality={code}
                onDone={(next) => {
                  if (next) {
                    setServices((all) => all!.map((x) => (x.code === next.code ? { ...x, ...next } : x)));
                    setSaved(next.code);
                  }
                  setEditing(null);
                }}
              />
            ) : (
              <Button variant="secondary" onClick={() => { setSaved(null); setEditing(s.code); }} data-testid={`change-${s.code}`} aria-label={t('admin.changeFor', { name: s.title })}>
                {t('admin.change')}
              </Button>
            )}
            {details === s.code ? (
              <DetailsForm idPrefix={`details-${s.code}`} code={code} serviceCode={s.code} service={s}
                onDone={async (ok) => { setDetails(null); if (ok) await reload(t('local.savedDetails', { name: s.title })); }} />
            ) : (
              <Button variant="secondary" ml="s" onClick={() => { setChanged(null); setDetails(s.code); }} data-testid={`details-${s.code}`} aria-label={t('local.detailsFor', { name: s.title })}>
                {t('local.details')}
              </Button>
            )}
            <StopOffering code={code} service={s} onDone={() => reload(t('local.stopped', { name: s.title }))} />
          </li>
        ))}
      </ul>
      <AdoptService code={code} offered={services.map((s) => s.code)} onSaved={() => reload(t('local.adopted'))} />
      <PtvAdmin code={code} refresh={refresh} />
    </>
  );
}

function PolicyForm({ service, municipality, onDone }: { service: MunicipalService; municipality: string; onDone(next: MunicipalService | null): void }) {
  const { t } = useTranslation();
  const [choice, setChoice] = useState<PolicyChoice>(policyChoice(service.policy));
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const save = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const r = await api<MunicipalService>('PUT', `/api/v1/admin/municipalities/${municipality}/services/${service.code}/policy`, choicePolicy(choice));
      onDone({ ...service, policy: r.policy, commonPolicy: r.commonPolicy, overridden: r.overridden, guidance: r.guidance });
    } catch (e) {
      setError(errorText(e, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form noValidate data-testid="policy-form" onSubmit={(e) => { e.preventDefault(); void save(); }}>
      <PolicyChoiceField name={`policy-${service.code}`} label={t('admin.policyLabel', { name: service.title })} hint={t('admin.policyHint')} value={choice} onChange={setChoice} error={error} />
      <Button type="submit" mr="s" disabled={busy} data-testid="policy-save">{t('admin.save')}</Button>
      <Button variant="secondary" onClick={() => onDone(null)}>{t('common.cancel')}</Button>
    </form>
  );
}

// ---- the umbrella organisation: the common catalogue --------------------------------------------

function UmbrellaAdmin() {
  const { t } = useTranslation();
  const names = useNames();
  const { reloadCatalogue } = useSession();
  const [classes, setClasses] = useState<ServiceClass[] | null>(null);
  const [versions, setVersions] = useState<CatalogueVersion[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [savedVersion, setSavedVersion] = useState<number | null>(null);

  const load = useCallback(async () => {
    try {
      const [c, v] = await Promise.all([
        api<{ services: ServiceClass[] }>('GET', '/api/v1/catalogue/services'),
        api<{ versions: CatalogueVersion[] }>('GET', '/api/v1/catalogue/versions'),
      ]);
      setClasses(c.services);
      setVersions(v.versions);
    } catch (e) {
      setError(e);
    }
  }, []);
  useEffect(() => { void load(); }, [load]);
  // An issue or a bundle saved: the new names everywhere (the session's catalogue), the classes and the new version.
  const termSaved = useCallback(async () => {
    setSavedVersion(null);
    await Promise.all([reloadCatalogue().catch(() => undefined), load()]);
  }, [load, reloadCatalogue]);

  if (error) return <ErrorAlert error={error} />;
  if (!classes || !versions) return <Loading />;
  return (
    <>
      <Paragraph mb="m">{t('admin.umbrellaIntro')}</Paragraph>
      {savedVersion !== null && (
        <Notification showCloseButton={false} headingText={t('admin.savedClass', { version: savedVersion })} regionAriaLabel={t('admin.savedClass', { version: savedVersion })} mb="m" data-testid="class-saved">
          {t('admin.savedClassText')}
        </Notification>
      )}
      <Heading variant="h2" mb="s">{t('admin.classes')}</Heading>
      <ul className="service-list">
        {classes.map((c) => (
          <li key={c.code} className="service-card" data-testid="class" data-code={c.code}>
            <Heading variant="h3" mb="xs">{c.name[names.lang]}</Heading>
            <div className="service-badge"><PolicyBadge policy={c.policy} /></div>
            {c.issues.length > 0 && <Paragraph mb="xs"><Text variant="bold">{t('services.issues')}:</Text> {c.issues.map((i) => names.issue(i)).join(', ')}</Paragraph>}
            {editing === c.code ? (
              <ClassEditor
                item={c}
                onCancel={() => setEditing(null)}
                onSaved={async (v) => { setEditing(null); setSavedVersion(v); await load(); }}
              />
            ) : (
              <Button variant="secondary" onClick={() => { setSavedVersion(null); setEditing(c.code); }} data-testid={`edit-${c.code}`} aria-label={t('admin.editFor', { name: c.name[names.lang] })}>
                {t('admin.edit')}
              </Button>
            )}
          </li>
        ))}
      </ul>
      <IssuesAdmin onSaved={termSaved} />
      <BundlesAdmin onSaved={termSaved} />
      <Versions versions={versions} />
    </>
  );
}

function ClassEditor({ item, onCancel, onSaved }: { item: ServiceClass; onCancel(): void; onSaved(version: number): Promise<void> }) {
  const { t } = useTranslation();
  const names = useNames();
  const [name, setName] = useState<Name3>(item.name);
  const [choice, setChoice] = useState<PolicyChoice>(policyChoice(item.policy));
  const [issues, setIssues] = useState<string[]>(item.issues);
  const [note, setNote] = useState('');
  const [preview, setPreview] = useState<ClassSaveResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const body = (): ServiceClassInput => ({
    name, ...(item.description ? { description: item.description } : {}), subject: item.subject, issues, parties: item.parties,
    policy: choicePolicy(choice), ...(item.recommendedMandate ? { recommendedMandate: item.recommendedMandate } : {}), ...(note.trim() ? { note: note.trim() } : {}),
  });
  const send = async (dryRun: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const r = await api<ClassSaveResult>('PUT', `/api/v1/admin/catalogue/services/${item.code}${dryRun ? '?dryRun=true' : ''}`, body());
      if (dryRun) setPreview(r);
      else await onSaved(r.version);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const edit = <T,>(set: (v: T) => void) => (v: T) => { set(v); setPreview(null); };
  const municipality = (code: string) => names.municipality(code);

  return (
    <form noValidate data-testid="class-form" onSubmit={(e) => { e.preventDefault(); void send(true); }}>
      <ErrorAlert error={error} />
      {(['fi', 'sv', 'en'] as const).map((l) => (
        <TextInput key={l} id={`class-name-${l}`} labelText={t(`admin.name_${l}`)} value={name[l]} onChange={(v) => edit(setName)({ ...name, [l]: String(v ?? '') })} mb="m" />
      ))}
      <PolicyChoiceField name="class-policy" label={t('admin.classPolicy')} value={choice} onChange={edit(setChoice)} />
      <IssuePicker idPrefix="class" allowBundles={false} value={{ bundle: '', issues }} onChange={(v) => edit(setIssues)(v.issues)} />
      <TextInput id="class-note" labelText={t('admin.note')} optionalText={t('common.optional')} value={note} onChange={(v) => setNote(String(v ?? ''))} mb="m" />
      {!preview && <Button type="submit" mr="s" disabled={busy} data-testid="class-preview">{t('admin.preview')}</Button>}
      {preview && (
        <div className="confirm-box" data-testid="impact">
          <Heading variant="h4" mb="s">{t('admin.impactTitle')}</Heading>
          <DiffView diff={preview.diff} />
          {preview.impact.length === 0 ? (
            <Empty>{t('admin.noMunicipalities')}</Empty>
          ) : (
            <table className="data-table">
              <caption className="visually-hidden">{t('admin.impactTitle')}</caption>
              <thead><tr><th scope="col">{t('admin.municipality')}</th><th scope="col">{t('admin.before')}</th><th scope="col">{t('admin.after')}</th><th scope="col">{t('admin.overrideDropped')}</th></tr></thead>
              <tbody>
                {preview.impact.map((m) => (
                  <tr key={m.municipality} data-testid="impact-row" data-municipality={m.municipality} data-changes={String(m.changes)} data-dropped={String(m.overrideDropped)}>
                    <th scope="row">{municipality(m.municipality)}</th>
                    <td><PolicyWords policy={m.before} /></td>
                    <td><PolicyWords policy={m.after} />{m.changes ? '' : ` (${t('admin.unchanged')})`}</td>
                    <td>{m.overrideDropped ? t('admin.yes') : t('admin.no')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <Button mr="s" mt="m" disabled={busy || (preview.diff.changed.length === 0 && preview.diff.added.length === 0)} onClick={() => void send(false)} data-testid="class-save">
            {t('admin.saveClass')}
          </Button>
        </div>
      )}
      <Button variant="secondary" mt="m" onClick={onCancel}>{t('common.cancel')}</Button>
    </form>
  );
}

function PolicyWords({ policy }: { policy: Policy }) {
  const { t } = useTranslation();
  return <>{t(`policy.${policyChoice(policy)}`)}</>;
}

/** A field's value in words where we can (a policy, issue codes), otherwise as it is. */
function Value({ field, value }: { field: string; value: unknown }) {
  const { t } = useTranslation();
  const names = useNames();
  if (value === null || value === undefined) return <>–</>;
  if (field === 'policy' && typeof value === 'object') return <>{t(`policy.${policyChoice(value as Policy)}`)}</>;
  if (field === 'issues' && Array.isArray(value)) return <>{value.map((i) => names.issue(String(i))).join(', ')}</>;
  if (typeof value === 'object' && value && 'fi' in value) return <>{(value as Name3)[names.lang]}</>;
  return <>{typeof value === 'string' ? value : JSON.stringify(value)}</>;
}

function DiffView({ diff, kind = 'services' }: { diff: ListDiff; kind?: string }) {
  const { t } = useTranslation();
  if (!diff.added.length && !diff.removed.length && !diff.changed.length) return <Paragraph mb="s" data-testid={`diff-${kind}`}>{t('admin.noChanges')}</Paragraph>;
  return (
    <ul className="plain-list diff" data-testid={`diff-${kind}`}>
      {diff.added.map((c) => <li key={`a${c}`}>{t('admin.added', { code: c })}</li>)}
      {diff.removed.map((c) => <li key={`r${c}`}>{t('admin.removed', { code: c })}</li>)}
      {diff.changed.map((c) => (
        <li key={`c${c.code}`} data-testid="diff-changed" data-code={c.code}>
          {t('admin.changed', { code: c.code })}
          <ul>
            {Object.entries(c.fields).map(([f, v]) => (
              <li key={f}>{t(`admin.field_${f}`, { defaultValue: f })}: <Value field={f} value={v.from} /> → <Value field={f} value={v.to} /></li>
            ))}
          </ul>
        </li>
      ))}
    </ul>
  );
}

function Versions({ versions }: { versions: CatalogueVersion[] }) {
  const { t } = useTranslation();
  const names = useNames();
  const [from, setFrom] = useState<string>(String(versions[1]?.version ?? versions[0]?.version ?? ''));
  const [to, setTo] = useState<string>(String(versions[0]?.version ?? ''));
  const [result, setResult] = useState<VersionComparison | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    setTo(String(versions[0]?.version ?? ''));
    setFrom(String(versions[1]?.version ?? versions[0]?.version ?? ''));
  }, [versions]);
  const compare = async () => {
    setError(null);
    try {
      setResult(await api<VersionComparison>('GET', `/api/v1/catalogue/versions/${from}/compare/${to}`));
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section data-testid="versions">
      <Heading variant="h2" mb="s" mt="l">{t('admin.versions')}</Heading>
      <table className="data-table">
        <caption className="visually-hidden">{t('admin.versions')}</caption>
        <thead><tr><th scope="col">{t('admin.version')}</th><th scope="col">{t('admin.date')}</th><th scope="col">{t('admin.by')}</th><th scope="col">{t('admin.note')}</th></tr></thead>
        <tbody>
          {versions.map((v) => (
            <tr key={v.version} data-testid="version-row">
              <th scope="row">{v.version}</th>
              <td>{formatDate(v.createdAt, names.lang)}</td>
              <td>{v.createdBy ?? '–'}</td>
              <td>{v.note ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {versions.length > 1 && (
        <form noValidate className="compare-form" onSubmit={(e) => { e.preventDefault(); void compare(); }} data-testid="compare-form">
          <Heading variant="h3" mb="s" mt="m">{t('admin.compare')}</Heading>
          <div className="field">
            <Dropdown id="compare-from" labelText={t('admin.compareFrom')} value={from} onChange={setFrom} mb="m">
              {versions.map((v) => <DropdownItem key={v.version} value={String(v.version)}>{String(v.version)}</DropdownItem>)}
            </Dropdown>
          </div>
          <div className="field">
            <Dropdown id="compare-to" labelText={t('admin.compareTo')} value={to} onChange={setTo} mb="m">
              {versions.map((v) => <DropdownItem key={v.version} value={String(v.version)}>{String(v.version)}</DropdownItem>)}
            </Dropdown>
          </div>
          <Button type="submit" mb="m" data-testid="compare-submit">{t('admin.compareSubmit')}</Button>
        </form>
      )}
      <ErrorAlert error={error} />
      <div aria-live="polite">
        {result && (
          <div data-testid="comparison">
            <Heading variant="h4" mb="s">{t('admin.comparison', { from: result.from, to: result.to })}</Heading>
            <Text variant="bold">{t('admin.classes')}</Text>
            <DiffView diff={result.services} kind="services" />
            <Text variant="bold">{t('admin.issuesAndBundles')}</Text>
            <DiffView diff={{ added: [...result.issues.added, ...result.bundles.added], removed: [...result.issues.removed, ...result.bundles.removed], changed: [...result.issues.changed, ...result.bundles.changed] }} kind="other" />
          </div>
        )}
      </div>
    </section>
  );
}
