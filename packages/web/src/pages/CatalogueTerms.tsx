import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Checkbox, CheckboxGroup, Heading, Paragraph, Text, TextInput } from 'suomifi-ui-components';
import { api, ApiError, type Bundle, type Issue, type Name3, type TermSaveResult } from '../api.js';
import { useNames, useSession } from '../session.js';
import { Empty, ErrorAlert, problemText, SuccessNote } from '../components/ui.js';

const LANGS = ['fi', 'sv', 'en'] as const;
const EMPTY_NAME: Name3 = { fi: '', sv: '', en: '' };

/** The refusal's text for the field it names (`name.sv`, `code`, `issues/0`), or undefined. */
function fieldError(error: unknown, f: string): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const field = error.problem.field ?? error.problem.errors?.[0]?.field;
  if (!field) return undefined;
  const norm = field.replace(/^\//, '').replace(/\//g, '.');
  if (norm === f || norm.startsWith(`${f}.`)) return problemText(error.problem, { beside: true });
  return undefined;
}

/** True when the refusal names one of the form's own fields (then it is shown there, not on top). */
function placed(error: unknown, fields: string[]) {
  return fields.some((f) => fieldError(error, f) !== undefined);
}

function useFocusOnMount<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  useEffect(() => { ref.current?.focus(); }, []);
  return ref;
}

/** The code of a new issue or bundle, or the code being edited (read only). */
function CodeField({ idPrefix, code, isNew, value, onChange, error }: { idPrefix: string; code: string; isNew: boolean; value: string; onChange(v: string): void; error?: string }) {
  const { t } = useTranslation();
  if (!isNew) return <Paragraph mb="m"><span className="muted">{t('terms.code')}:</span> <code>{code}</code></Paragraph>;
  return (
    <TextInput id={`${idPrefix}-code`} labelText={t('terms.code')} hintText={t('terms.codeHint')} value={value}
      status={error ? 'error' : 'default'} statusText={error} onChange={(v) => onChange(String(v ?? ''))} mb="m" />
  );
}

function NameFields({ idPrefix, name, onChange, error }: { idPrefix: string; name: Name3; onChange(n: Name3): void; error: unknown }) {
  const { t } = useTranslation();
  return (
    <>
      {LANGS.map((l) => (
        <TextInput key={l} id={`${idPrefix}-name-${l}`} labelText={t(`admin.name_${l}`)} value={name[l]}
          status={fieldError(error, `name.${l}`) ? 'error' : 'default'} statusText={fieldError(error, `name.${l}`)}
          onChange={(v) => onChange({ ...name, [l]: String(v ?? '') })} mb="m" />
      ))}
    </>
  );
}

function Saved({ testId, version }: { testId: string; version: number | null }) {
  const { t } = useTranslation();
  if (version === null) return null;
  return <SuccessNote title={t('admin.savedClass', { version })} testId={testId}>{t('terms.savedText')}</SuccessNote>;
}

/** After a save: the session's catalogue is loaded again (names everywhere) and the versions list too. */
export type OnTermSaved = (version: number) => Promise<void>;

// ---- mandate issues ---------------------------------------------------------------------------------

export function IssuesAdmin({ onSaved }: { onSaved: OnTermSaved }) {
  const { t } = useTranslation();
  const names = useNames();
  const { catalogue } = useSession();
  const [editing, setEditing] = useState<string | null>(null); // a code, '' for a new issue
  const [saved, setSaved] = useState<number | null>(null);
  const open = (code: string) => { setSaved(null); setEditing(code); };
  const item = editing ? catalogue.issues.find((i) => i.code === editing) : undefined;
  return (
    <section data-testid="issues-admin" aria-labelledby="issues-admin-title">
      <Heading variant="h2" mb="s" id="issues-admin-title">{t('terms.issuesTitle')}</Heading>
      <Paragraph mb="m">{t('terms.issuesIntro')}</Paragraph>
      <Saved testId="issue-saved" version={saved} />
      {catalogue.issues.length === 0 ? <Empty>{t('terms.noIssues')}</Empty> : (
        <table className="data-table">
          <caption className="visually-hidden">{t('terms.issuesTitle')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('terms.code')}</th>
              {LANGS.map((l) => <th key={l} scope="col">{t(`admin.name_${l}`)}</th>)}
              <th scope="col"><span className="visually-hidden">{t('admin.edit')}</span></th>
            </tr>
          </thead>
          <tbody>
            {catalogue.issues.map((i) => (
              <tr key={i.code} data-testid="admin-issue" data-code={i.code}>
                <th scope="row"><code>{i.code}</code></th>
                {LANGS.map((l) => <td key={l} lang={l} data-testid={`issue-name-${l}`}>{i.name[l]}</td>)}
                <td>
                  <Button variant="secondaryNoBorder" onClick={() => open(i.code)} data-testid={`edit-issue-${i.code}`} aria-label={t('admin.editFor', { name: i.name[names.lang] })}>
                    {t('admin.edit')}
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editing !== null ? (
        <IssueForm key={editing} item={item}
          onCancel={() => setEditing(null)}
          onSaved={async (v) => { setEditing(null); setSaved(v); await onSaved(v); }} />
      ) : (
        <Button variant="secondary" onClick={() => open('')} data-testid="add-issue">{t('terms.addIssue')}</Button>
      )}
    </section>
  );
}

function IssueForm({ item, onCancel, onSaved }: { item?: Issue; onCancel(): void; onSaved: OnTermSaved }) {
  const { t } = useTranslation();
  const names = useNames();
  const heading = useFocusOnMount<HTMLHeadingElement>();
  const [code, setCode] = useState(item?.code ?? '');
  const [name, setName] = useState<Name3>(item ? { ...EMPTY_NAME, ...item.name } : EMPTY_NAME);
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const target = item?.code ?? code.trim();
      if (!target) { setError(new ApiError({ title: t('terms.codeRequired'), status: 400, detail: '', text: t('terms.codeRequired'), field: 'code' })); return; }
      const r = await api<TermSaveResult>('PUT', `/api/v1/admin/catalogue/issues/${encodeURIComponent(target)}`, {
        name: { fi: name.fi.trim(), sv: name.sv.trim(), en: name.en.trim() }, ...(note.trim() ? { note: note.trim() } : {}),
      });
      await onSaved(r.version);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const title = item ? t('terms.editIssue', { name: item.name[names.lang] }) : t('terms.newIssue');
  return (
    <form noValidate className="confirm-box" data-testid="issue-form" aria-labelledby="issue-form-title" onSubmit={(e) => { e.preventDefault(); void save(); }}>
      <Heading variant="h3" mb="s" id="issue-form-title" tabIndex={-1} ref={heading}>{title}</Heading>
      {!placed(error, ['code', 'name']) && <ErrorAlert error={error} />}
      <CodeField idPrefix="issue" code={item?.code ?? ''} isNew={!item} value={code} onChange={setCode} error={fieldError(error, 'code')} />
      <NameFields idPrefix="issue" name={name} onChange={setName} error={error} />
      <TextInput id="issue-note" labelText={t('admin.note')} optionalText={t('common.optional')} value={note} onChange={(v) => setNote(String(v ?? ''))} mb="m" />
      <Button type="submit" mr="s" disabled={busy} data-testid="issue-save">{t('admin.save')}</Button>
      <Button variant="secondary" onClick={onCancel}>{t('common.cancel')}</Button>
    </form>
  );
}

// ---- bundles ------------------------------------------------------------------------------------------

export function BundlesAdmin({ onSaved }: { onSaved: OnTermSaved }) {
  const { t } = useTranslation();
  const names = useNames();
  const { catalogue } = useSession();
  const [editing, setEditing] = useState<string | null>(null);
  const [saved, setSaved] = useState<number | null>(null);
  const open = (code: string) => { setSaved(null); setEditing(code); };
  const item = editing ? catalogue.bundles.find((b) => b.code === editing) : undefined;
  return (
    <section data-testid="bundles-admin" aria-labelledby="bundles-admin-title">
      <Heading variant="h2" mb="s" mt="l" id="bundles-admin-title">{t('terms.bundlesTitle')}</Heading>
      <Paragraph mb="m">{t('terms.bundlesIntro')}</Paragraph>
      <Saved testId="bundle-saved" version={saved} />
      {catalogue.bundles.length === 0 ? <Empty>{t('terms.noBundles')}</Empty> : (
        <ul className="service-list">
          {catalogue.bundles.map((b) => (
            <li key={b.code} className="service-card" data-testid="admin-bundle" data-code={b.code}>
              <Heading variant="h3" mb="xs">{b.name[names.lang]}</Heading>
              <Paragraph mb="xs"><span className="muted">{t('terms.code')}:</span> <code>{b.code}</code></Paragraph>
              <Paragraph mb="xs" data-testid="bundle-issues"><Text variant="bold">{t('services.issues')}:</Text> {b.issues.map((i) => names.issue(i)).join(', ')}</Paragraph>
              <Button variant="secondary" onClick={() => open(b.code)} data-testid={`edit-bundle-${b.code}`} aria-label={t('admin.editFor', { name: b.name[names.lang] })}>
                {t('admin.edit')}
              </Button>
            </li>
          ))}
        </ul>
      )}
      {editing !== null ? (
        <BundleForm key={editing} item={item}
          onCancel={() => setEditing(null)}
          onSaved={async (v) => { setEditing(null); setSaved(v); await onSaved(v); }} />
      ) : (
        <Button variant="secondary" onClick={() => open('')} data-testid="add-bundle">{t('terms.addBundle')}</Button>
      )}
    </section>
  );
}

function BundleForm({ item, onCancel, onSaved }: { item?: Bundle; onCancel(): void; onSaved: OnTermSaved }) {
  const { t } = useTranslation();
  const names = useNames();
  const { catalogue } = useSession();
  const heading = useFocusOnMount<HTMLHeadingElement>();
  const [code, setCode] = useState(item?.code ?? '');
  const [name, setName] = useState<Name3>(item ? { ...EMPTY_NAME, ...item.name } : EMPTY_NAME);
  const [issues, setIssues] = useState<string[]>(item?.issues ?? []);
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const target = item?.code ?? code.trim();
      if (!target) { setError(new ApiError({ title: t('terms.codeRequired'), status: 400, detail: '', text: t('terms.codeRequired'), field: 'code' })); return; }
      // In the catalogue's order, whatever order they were ticked in.
      const ordered = catalogue.issues.map((i) => i.code).filter((c) => issues.includes(c));
      const r = await api<TermSaveResult>('PUT', `/api/v1/admin/catalogue/bundles/${encodeURIComponent(target)}`, {
        name: { fi: name.fi.trim(), sv: name.sv.trim(), en: name.en.trim() }, issues: [...ordered, ...issues.filter((c) => !ordered.includes(c))],
        ...(note.trim() ? { note: note.trim() } : {}),
      });
      await onSaved(r.version);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const title = item ? t('terms.editBundle', { name: item.name[names.lang] }) : t('terms.newBundle');
  const issuesError = fieldError(error, 'issues');
  return (
    <form noValidate className="confirm-box" data-testid="bundle-form" aria-labelledby="bundle-form-title" onSubmit={(e) => { e.preventDefault(); void save(); }}>
      <Heading variant="h3" mb="s" id="bundle-form-title" tabIndex={-1} ref={heading}>{title}</Heading>
      {/* A refusal naming the issues is shown on top too: the checkbox group's own status text breaks ARIA rules (axe). */}
      {!placed(error, ['code', 'name']) && <ErrorAlert error={error} />}
      <CodeField idPrefix="bundle" code={item?.code ?? ''} isNew={!item} value={code} onChange={setCode} error={fieldError(error, 'code')} />
      <NameFields idPrefix="bundle" name={name} onChange={setName} error={error} />
      <div id="bundle-issues" tabIndex={-1}>
        <CheckboxGroup labelText={t('terms.bundleIssues')} groupHintText={t('terms.bundleIssuesHint')} groupStatus={issuesError ? 'error' : 'default'} mb="m">
          {catalogue.issues.map((i) => (
            <Checkbox key={i.code} id={`bundle-issue-${i.code}`} checked={issues.includes(i.code)}
              onClick={({ checkboxState }) => setIssues(checkboxState ? [...issues, i.code] : issues.filter((x) => x !== i.code))}>
              {i.name[names.lang]}
            </Checkbox>
          ))}
        </CheckboxGroup>
      </div>
      <TextInput id="bundle-note" labelText={t('admin.note')} optionalText={t('common.optional')} value={note} onChange={(v) => setNote(String(v ?? ''))} mb="m" />
      <Button type="submit" mr="s" disabled={busy} data-testid="bundle-save">{t('admin.save')}</Button>
      <Button variant="secondary" onClick={onCancel}>{t('common.cancel')}</Button>
    </form>
  );
}
