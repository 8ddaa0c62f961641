import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Dropdown, DropdownItem, Heading, Paragraph, Text, TextInput } from 'suomifi-ui-components';
import { api, ApiError, policyChoice, type Coverage, type PtvImportResult, type ServiceClass } from '../api.js';
import { useNames } from '../session.js';
import { Empty, ErrorAlert, Loading, problemText } from '../components/ui.js';

/** PTV import and the coverage report of a municipality's catalogue, for its administrator. */
export function PtvAdmin({ code, refresh = 0 }: { code: string; refresh?: number }) {
  const [classes, setClasses] = useState<ServiceClass[] | null>(null);
  const [coverage, setCoverage] = useState<Coverage | null>(null);
  const [error, setError] = useState<unknown>(null);

  const loadCoverage = useCallback(async () => {
    try {
      setCoverage(await api<Coverage>('GET', `/api/v1/admin/municipalities/${code}/coverage`));
    } catch (e) {
      setError(e);
    }
  }, [code]);
  useEffect(() => {
    api<{ services: ServiceClass[] }>('GET', '/api/v1/catalogue/services').then((r) => setClasses(r.services), setError);
  }, []);
  useEffect(() => { void loadCoverage(); }, [loadCoverage, refresh]);

  if (error) return <ErrorAlert error={error} />;
  if (!classes) return <Loading />;
  return (
    <>
      <PtvImport code={code} classes={classes} onChange={loadCoverage} />
      {coverage ? <CoverageReport coverage={coverage} classes={classes} /> : <Loading />}
    </>
  );
}

/** Names of the services in a PTV list page, by id, to show with the suggestions. */
function namesOf(page: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const list = (page as { itemList?: unknown })?.itemList;
  if (!Array.isArray(list)) return out;
  for (const item of list as { id?: unknown; serviceNames?: { type?: string; language?: string; value?: string }[] }[]) {
    if (typeof item?.id !== 'string' || !Array.isArray(item.serviceNames)) continue;
    const names = item.serviceNames.filter((n) => n?.type === 'Name');
    const name = ['fi', 'sv', 'en'].map((l) => names.find((n) => n.language === l)?.value).find(Boolean);
    if (name) out[item.id.toLowerCase()] = name;
  }
  return out;
}

function PtvImport({ code, classes, onChange }: { code: string; classes: ServiceClass[]; onChange(): Promise<void> }) {
  const { t } = useTranslation();
  const names = useNames();
  const [file, setFile] = useState<{ name: string; data: unknown } | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [source, setSource] = useState('');
  const [result, setResult] = useState<PtvImportResult | null>(null);
  const [ptvNames, setPtvNames] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [linked, setLinked] = useState<Record<string, string>>({});
  const [choice, setChoice] = useState<Record<string, string>>({});
  const [linkError, setLinkError] = useState<unknown>(null);
  const className = (c: string) => classes.find((x) => x.code === c)?.name[names.lang] ?? c;

  const readFile = async (f: File | undefined) => {
    setFile(null);
    setFileError(null);
    if (!f) return;
    try {
      setFile({ name: f.name, data: JSON.parse(await f.text()) });
    } catch {
      setFileError(t('ptv.notJson'));
    }
  };

  const submit = async () => {
    setError(null);
    setResult(null);
    setLinked({});
    setLinkError(null);
    const body = file ? file.data : source.trim() ? { source: source.trim() } : null;
    if (!body) {
      setFileError(t('ptv.nothing'));
      return;
    }
    setBusy(true);
    try {
      const r = await api<PtvImportResult>('POST', `/api/v1/admin/municipalities/${code}/ptv-imports`, body);
      setPtvNames(file ? namesOf(file.data) : {});
      setResult(r);
      await onChange();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const link = async (ptvId: string, service: string) => {
    setLinkError(null);
    try {
      await api('POST', `/api/v1/admin/municipalities/${code}/ptv-links`, { ptvId, service });
      setLinked((l) => ({ ...l, [ptvId]: service }));
      await onChange();
    } catch (e) {
      setLinkError(e);
    }
  };

  const problem = error instanceof ApiError && error.status === 400 ? error.problem : null;
  return (
    <section data-testid="ptv-import" aria-labelledby="ptv-import-title">
      <Heading variant="h2" mb="s" mt="l" id="ptv-import-title">{t('ptv.title')}</Heading>
      <Paragraph mb="m">{t('ptv.intro')}</Paragraph>
      <form noValidate onSubmit={(e) => { e.preventDefault(); void submit(); }} data-testid="ptv-form">
        <div className="field">
          <Paragraph mb="xs" id="ptv-file-label"><Text variant="bold">{t('ptv.file')}</Text></Paragraph>
          <Paragraph mb="xs" id="ptv-file-hint"><Text className="muted">{t('ptv.fileHint')}</Text></Paragraph>
          {/* The browser's own file control speaks its own language ("Choose File"): it stays hidden behind a button in the reader's. */}
          <input id="ptv-file" ref={fileInput} type="file" className="visually-hidden" tabIndex={-1} accept="application/json,.json"
            aria-labelledby="ptv-file-label" onChange={(e) => void readFile(e.currentTarget.files?.[0])} />
          <Button variant="secondary" aria-describedby="ptv-file-label ptv-file-hint" onClick={() => fileInput.current?.click()} data-testid="ptv-choose-file">
            {t('ptv.chooseFile')}
          </Button>
          {file && <Paragraph mb="s" data-testid="ptv-file-name">{t('ptv.fileChosen', { name: file.name })}</Paragraph>}
        </div>
        <TextInput id="ptv-source" labelText={t('ptv.source')} hintText={t('ptv.sourceHint')} optionalText={t('common.optional')} value={source}
          onChange={(v) => setSource(String(v ?? ''))} mt="m" mb="m" disabled={file !== null} />
        {fileError && <ErrorText text={fileError} />}
        <Button type="submit" disabled={busy} data-testid="ptv-submit">{t('ptv.submit')}</Button>
      </form>
      <div aria-live="polite">
        {problem ? (
          <div role="alert" className="problem" data-testid="ptv-error">
            <Paragraph mt="m"><Text variant="bold">{t('ptv.refused')}</Text> {problemText(problem)}</Paragraph>
            {problem.field && <Paragraph data-testid="ptv-error-field">{t('ptv.field')}: <code>{problem.field}</code></Paragraph>}
          </div>
        ) : error ? <ErrorAlert error={error} /> : null}
        {result && (
          <div data-testid="ptv-result" className="confirm-box">
            <Heading variant="h3" mb="s" mt="m">{t('ptv.result')}</Heading>
            <Paragraph mb="m" data-testid="ptv-counts">{t('ptv.counts', { imported: result.imported, updated: result.updated, unchanged: result.unchanged })}</Paragraph>
            <ErrorAlert error={linkError} />
            <Heading variant="h4" mb="s">{t('ptv.suggestions')}</Heading>
            {result.suggestions.length === 0 ? <Empty>{t('ptv.noSuggestions')}</Empty> : (
              <ul className="plain-list">
                {result.suggestions.map((s) => (
                  <li key={s.ptvId} data-testid="ptv-suggestion" data-ptv={s.ptvId} data-service={s.service} className="ptv-row">
                    <Paragraph mb="xs">
                      <Text variant="bold">{ptvNames[s.ptvId] ?? s.ptvId}</Text> → {className(s.service)}{' '}
                      <Text className="muted">({t('ptv.score', { score: Math.round(s.score * 100) })})</Text>
                    </Paragraph>
                    {linked[s.ptvId] ? (
                      <Paragraph mb="s" data-testid="ptv-linked">{t('ptv.linked', { name: className(linked[s.ptvId]!) })}</Paragraph>
                    ) : (
                      <Button variant="secondary" mb="s" onClick={() => void link(s.ptvId, s.service)} data-testid={`confirm-${s.ptvId}`}
                        aria-label={t('ptv.confirmFor', { name: ptvNames[s.ptvId] ?? s.ptvId, service: className(s.service) })}>
                        {t('ptv.confirm')}
                      </Button>
                    )}
                  </li>
                ))}
              </ul>
            )}
            <Heading variant="h4" mb="s" mt="m">{t('ptv.unclassified')}</Heading>
            {result.unclassified.length === 0 ? <Empty>{t('ptv.noneUnclassified')}</Empty> : (
              <ul className="plain-list">
                {result.unclassified.map((u) => (
                  <li key={u.ptvId} data-testid="ptv-unclassified" data-ptv={u.ptvId} className="ptv-row">
                    {linked[u.ptvId] ? (
                      <Paragraph mb="s" data-testid="ptv-linked"><Text variant="bold">{u.name}</Text>: {t('ptv.linked', { name: className(linked[u.ptvId]!) })}</Paragraph>
                    ) : (
                      <form noValidate onSubmit={(e) => { e.preventDefault(); if (choice[u.ptvId]) void link(u.ptvId, choice[u.ptvId]!); }}>
                        <div className="field">
                          <Dropdown id={`link-${u.ptvId}`} labelText={t('ptv.linkLabel', { name: u.name })} visualPlaceholder={t('ptv.choose')}
                            value={choice[u.ptvId] ?? ''} onChange={(v) => setChoice((c) => ({ ...c, [u.ptvId]: v }))} mb="s">
                            {classes.map((c) => <DropdownItem key={c.code} value={c.code}>{c.name[names.lang]}</DropdownItem>)}
                          </Dropdown>
                        </div>
                        <Button type="submit" variant="secondary" mb="s" disabled={!choice[u.ptvId]} data-testid={`link-submit-${u.ptvId}`}>{t('ptv.link')}</Button>
                      </form>
                    )}
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
      </div>
    </section>
  );
}

function ErrorText({ text }: { text: string }) {
  return <Paragraph mb="s" role="alert" className="field-error" data-testid="ptv-file-error">{text}</Paragraph>;
}

function CoverageReport({ coverage, classes }: { coverage: Coverage; classes: ServiceClass[] }) {
  const { t } = useTranslation();
  const names = useNames();
  const className = (c: string) => classes.find((x) => x.code === c)?.name[names.lang] ?? c;
  const words = (p: Parameters<typeof policyChoice>[0]) => t(`policy.${policyChoice(p)}`);
  return (
    <section data-testid="coverage" aria-labelledby="coverage-title">
      <Heading variant="h2" mb="s" mt="l" id="coverage-title">{t('ptv.coverageTitle')}</Heading>
      <Paragraph mb="m" data-testid="coverage-counts">{t('ptv.coverageCounts', { services: coverage.services, classified: coverage.classified })}</Paragraph>
      <Heading variant="h3" mb="s">{t('ptv.coverageUnclassified')}</Heading>
      {coverage.unclassified.length === 0 ? <Empty>{t('ptv.noneUnclassified')}</Empty> : (
        <ul className="plain-list" data-testid="coverage-unclassified">
          {coverage.unclassified.map((u, i) => (
            <li key={u.ptvId ?? `${u.name}-${i}`} data-testid="coverage-unclassified-item" data-ptv={u.ptvId ?? ''}>
              {u.name}
              {u.suggestion && <Text className="muted"> ({t('ptv.suggested', { name: className(u.suggestion.service) })})</Text>}
            </li>
          ))}
        </ul>
      )}
      <Heading variant="h3" mb="s" mt="m">{t('ptv.differences')}</Heading>
      {coverage.differences.length === 0 ? <Empty>{t('ptv.noDifferences')}</Empty> : (
        <table className="data-table" data-testid="coverage-differences">
          <caption className="visually-hidden">{t('ptv.differences')}</caption>
          <thead><tr><th scope="col">{t('ptv.service')}</th><th scope="col">{t('admin.common')}</th><th scope="col">{t('ptv.localPolicy')}</th></tr></thead>
          <tbody>
            {coverage.differences.map((d) => (
              <tr key={d.service} data-testid="coverage-difference" data-service={d.service}>
                <th scope="row">{className(d.service)}</th>
                <td>{words(d.common)}</td>
                <td>{words(d.local)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
