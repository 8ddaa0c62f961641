import { useCallback, useEffect, useState } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { useTranslation } from 'react-i18next';
import { Button, Dropdown, DropdownItem, Heading, Paragraph, Text, TextInput } from 'suomifi-ui-components';
import {
  api, choicePolicy, policyChoice, type CatalogueVersion, type ClassSaveResult, type ListDiff, type MunicipalService, type Name3, type Policy,
  type PolicyChoice, type ServiceClass, type ServiceClassInput, type VersionComparison,
} from '../api.js';
import { formatDate } from '../dates.js';
import { can, useNames, useSession } from '../session.js';
import { AppLink, Empty, ErrorAlert, errorText, Loading, PageTitle, SuccessNote } from '../components/ui.js';
import { allowedChoices, PolicyBadge, PolicyChoiceField } from '../components/policy.js';
import { IssuePicker } from '../components/fields.js';
import { CoverageSection, PtvImportSection } from './PtvAdmin.js';
import { LocalServicesAdmin } from './LocalServices.js';
import { BundlesAdmin, IssuesAdmin } from './CatalogueTerms.js';
import { DeliveriesAdmin } from './DeliveriesAdmin.js';

/** The administration's sub-pages, each at its own address under /admin. */
export const ADMIN_SECTIONS = ['policies', 'local-services', 'ptv', 'coverage', 'catalogue', 'versions', 'deliveries'] as const;
export type AdminSection = (typeof ADMIN_SECTIONS)[number];

/**
 * The sub-pages this session may open, from its permitted actions (GET /api/v1/me) — no role logic here.
 * The municipality's own pages need the municipality the session administers.
 */
function useAdminSections(): { sections: AdminSection[]; municipality: string | null } {
  const { me } = useSession();
  const municipality = can(me, 'municipal-service.edit') && me?.municipality ? me.municipality : null;
  const open: Record<AdminSection, boolean> = {
    policies: can(me, 'catalogue-class.edit') || municipality !== null,
    'local-services': municipality !== null,
    ptv: can(me, 'ptv.import') && municipality !== null,
    coverage: can(me, 'coverage.read') && municipality !== null,
    catalogue: can(me, 'issue.edit') || can(me, 'bundle.edit'),
    versions: can(me, 'catalogue-class.edit') || municipality !== null,
    deliveries: can(me, 'delivery.list'),
  };
  return { sections: ADMIN_SECTIONS.filter((s) => open[s]), municipality };
}

/** Catalogue administration: a short overview at /admin and one sub-page per task (/admin/policies, /admin/ptv, …). */
export function AdminPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const names = useNames();
  const { pathname } = useLocation();
  const { sections, municipality } = useAdminSections();
  const umbrella = can(me, 'catalogue-class.edit');
  const title = umbrella ? t('admin.umbrellaTitle') : municipality ? t('admin.municipalTitle', { municipality: names.municipality(municipality) }) : t('admin.title');
  const current = sections.find((s) => pathname === `/admin/${s}` || pathname.startsWith(`/admin/${s}/`)) ?? null;
  const tabTitle = current ? `${t(`adminPages.${current}`)} – ${title}` : title;
  return (
    <>
      <PageTitle title={tabTitle}>{title}</PageTitle>
      {sections.length > 0 && <AdminNav sections={sections} current={current} />}
      <Routes>
        <Route index element={sections.length ? <Overview sections={sections} /> : <Paragraph>{t('errors.forbidden')}</Paragraph>} />
        {sections.map((s) => <Route key={s} path={s} element={<Section section={s} municipality={municipality} umbrella={umbrella} />} />)}
        <Route path="*" element={<Navigate to="/admin" replace />} />
      </Routes>
    </>
  );
}

/** The sub-navigation: wraps onto several lines on a narrow screen; the current sub-page is marked (aria-current). */
function AdminNav({ sections, current }: { sections: AdminSection[]; current: AdminSection | null }) {
  const { t } = useTranslation();
  return (
    <nav aria-label={t('adminPages.nav')} className="admin-nav" data-testid="admin-nav">
      <ul>
        <li className={current === null ? 'current' : undefined}>
          <AppLink to="/admin" current={current === null} testId="admin-nav-overview">{t('adminPages.overview')}</AppLink>
        </li>
        {sections.map((s) => (
          <li key={s} className={current === s ? 'current' : undefined}>
            <AppLink to={`/admin/${s}`} current={current === s} testId={`admin-nav-${s}`}>{t(`adminPages.${s}`)}</AppLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function Overview({ sections }: { sections: AdminSection[] }) {
  const { t } = useTranslation();
  return (
    <section data-testid="admin-overview" aria-labelledby="admin-overview-title">
      <Heading variant="h2" mb="s" id="admin-overview-title">{t('adminPages.overviewTitle')}</Heading>
      <ul className="admin-overview">
        {sections.map((s) => (
          <li key={s} data-testid="admin-overview-item" data-section={s}>
            <AppLink to={`/admin/${s}`}>{t(`adminPages.${s}`)}</AppLink>
            <Paragraph mb="s">{t(`adminPages.${s}_about`)}</Paragraph>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Section({ section, municipality, umbrella }: { section: AdminSection; municipality: string | null; umbrella: boolean }) {
  const { me } = useSession();
  switch (section) {
    case 'policies':
      return <>{umbrella && <CommonClasses />}{municipality && <MunicipalPolicies code={municipality} />}</>;
    case 'local-services':
      return municipality ? <LocalServicesAdmin code={municipality} /> : null;
    case 'ptv':
      return municipality ? <PtvImportSection code={municipality} /> : null;
    case 'coverage':
      return municipality ? <CoverageSection code={municipality} /> : null;
    case 'catalogue':
      return <CatalogueTermsSection />;
    case 'versions':
      return <VersionsSection />;
    case 'deliveries':
      return <DeliveriesAdmin filter={!me?.municipality} />;
  }
}

// ---- a municipality's administrator: the requirement of each service ----------------------------------

function MunicipalPolicies({ code }: { code: string }) {
  const { t } = useTranslation();
  const names = useNames();
  const [services, setServices] = useState<MunicipalService[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  useEffect(() => {
    api<{ services: MunicipalService[] }>('GET', `/api/v1/municipalities/${code}/services`).then((r) => setServices(r.services), setError);
  }, [code]);

  if (error) return <ErrorAlert error={error} />;
  if (!services) return <Loading />;
  const overridden = services.filter((s) => s.overridden).length;
  return (
    <section data-testid="municipal-policies" aria-labelledby="policies-title">
      <Heading variant="h2" mb="s" id="policies-title">{t('adminPages.policies')}</Heading>
      <Paragraph mb="m">{t('admin.municipalIntro')}</Paragraph>
      <Paragraph mb="m" data-testid="override-count">{t('admin.overrideCount', { count: overridden, total: services.length })}</Paragraph>
      <ul className="service-list">
        {services.map((s) => (
          <li key={s.code} className="service-card" data-testid="admin-service" data-code={s.code} data-overridden={String(s.overridden)}>
            <Heading variant="h3" mb="xs">{s.name?.[names.lang] ?? s.title}</Heading>
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
              <SuccessNote title={t('admin.savedPolicy')} testId="policy-saved">{s.guidance[names.lang]}</SuccessNote>
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
          </li>
        ))}
      </ul>
    </section>
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
      {/* Only what the server accepts: the common requirement or a stricter one (the domain's rule). */}
      <PolicyChoiceField name={`policy-${service.code}`} label={t('admin.policyLabel', { name: service.title })} hint={t('admin.policyHint')} value={choice} onChange={setChoice} error={error}
        choices={allowedChoices(service.commonPolicy)} />
      <Button type="submit" mr="s" disabled={busy} data-testid="policy-save">{t('admin.save')}</Button>
      <Button variant="secondary" onClick={() => onDone(null)}>{t('common.cancel')}</Button>
    </form>
  );
}

// ---- the umbrella organisation: the common catalogue --------------------------------------------

function CommonClasses() {
  const { t } = useTranslation();
  const names = useNames();
  const [classes, setClasses] = useState<ServiceClass[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [savedVersion, setSavedVersion] = useState<number | null>(null);

  const load = useCallback(async () => {
    try {
      setClasses((await api<{ services: ServiceClass[] }>('GET', '/api/v1/catalogue/services')).services);
    } catch (e) {
      setError(e);
    }
  }, []);
  useEffect(() => { void load(); }, [load]);

  if (error) return <ErrorAlert error={error} />;
  if (!classes) return <Loading />;
  return (
    <section data-testid="common-classes" aria-labelledby="classes-title">
      <Paragraph mb="m">{t('admin.umbrellaIntro')}</Paragraph>
      {savedVersion !== null && (
        <SuccessNote title={t('admin.savedClass', { version: savedVersion })} testId="class-saved">{t('admin.savedClassText')}</SuccessNote>
      )}
      <Heading variant="h2" mb="s" id="classes-title">{t('admin.classes')}</Heading>
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
    </section>
  );
}

/** Mandate issues and bundles: a save loads the session's catalogue again (the new names everywhere). */
function CatalogueTermsSection() {
  const { me, reloadCatalogue } = useSession();
  const termSaved = useCallback(async () => { await reloadCatalogue().catch(() => undefined); }, [reloadCatalogue]);
  return (
    <>
      {can(me, 'issue.edit') && <IssuesAdmin onSaved={termSaved} />}
      {can(me, 'bundle.edit') && <BundlesAdmin onSaved={termSaved} />}
    </>
  );
}

function VersionsSection() {
  const [versions, setVersions] = useState<CatalogueVersion[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api<{ versions: CatalogueVersion[] }>('GET', '/api/v1/catalogue/versions').then((r) => setVersions(r.versions), setError);
  }, []);
  if (error) return <ErrorAlert error={error} />;
  if (!versions) return <Loading />;
  return <Versions versions={versions} />;
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
      <Heading variant="h2" mb="s">{t('admin.versions')}</Heading>
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
