import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Dropdown, DropdownItem, Heading, Paragraph, Text, TextInput } from 'suomifi-ui-components';
import { api, ApiError, policyChoice, type Coverage, type PtvImportResult, type ServiceClass } from '../api.js';
import { useNames } from '../session.js';
import { Empty, ErrorAlert, Loading, problemText, SuccessNote } from '../components/ui.js';

/** What the imports left to confirm, kept on the server (GET …/ptv-pending). */
interface PtvPending {
  suggestions: { ptvId: string; name: string; service: string; score: number }[];
  unclassified: { ptvId: string; name: string }[];
}

function useClasses() {
  const [classes, setClasses] = useState<ServiceClass[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api<{ services: ServiceClass[] }>('GET', '/api/v1/catalogue/services').then((r) => setClasses(r.services), setError);
  }, []);
  return { classes, error };
}

/** PTV import (/admin/ptv): the pending suggestions come from the server, so a reload loses none. */
export function PtvImportSection({ code }: { code: string }) {
  const { classes, error } = useClasses();
  if (error) return <ErrorAlert error={error} />;
  if (!classes) return <Loading />;
  return <PtvImport code={code} classes={classes} />;
}

/** The coverage report (/admin/coverage), loaded fresh on each visit. */
export function CoverageSection({ code }: { code: string }) {
  const { classes, error: classError } = useClasses();
  const [coverage, setCoverage] = useState<Coverage | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api<Coverage>('GET', `/api/v1/admin/municipalities/${code}/coverage`).then(setCoverage, setError);
  }, [code]);
  if (error || classError) return <ErrorAlert error={error ?? classError} />;
  if (!classes || !coverage) return <Loading />;
  return <CoverageReport coverage={coverage} classes={classes} />;
}

function PtvImport({ code, classes }: { code: string; classes: ServiceClass[] }) {
  const { t } = useTranslation();
  const names = useNames();
  const [file, setFile] = useState<{ name: string; data: unknown } | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [source, setSource] = useState('');
  const [result, setResult] = useState<PtvImportResult | null>(null);
  const [pending, setPending] = useState<PtvPending | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [linked, setLinked] = useState<Record<string, string>>({});
  const [choice, setChoice] = useState<Record<string, string>>({});
  const [linkError, setLinkError] = useState<unknown>(null);
  const className = (c: string) => classes.find((x) => x.code === c)?.name[names.lang] ?? c;

  const loadPending = useCallback(async () => {
    try {
      setPending(await api<PtvPending>('GET', `/api/v1/admin/municipalities/${code}/ptv-pending`));
    } catch (e) {
      setLinkError(e);
    }
  }, [code]);
  useEffect(() => { void loadPending(); }, [loadPending]);

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
      await loadPending();
      setResult(r);
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
    } catch (e) {
      setLinkError(e);
    }
  };

  const problem = error instanceof ApiError && error.status === 400 ? error.problem : null;
  return (
    <section data-testid="ptv-import" aria-labelledby="ptv-import-title">
      <Heading variant="h2" mb="s" id="ptv-import-title">{t('ptv.title')}</Heading>
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
          <SuccessNote title={t('ptv.result')} testId="ptv-result">
            <span data-testid="ptv-counts">{t('ptv.counts', { imported: result.imported, updated: result.updated, unchanged: result.unchanged })}</span>
          </SuccessNote>
        )}
      </div>
      <section data-testid="ptv-pending" aria-labelledby="ptv-pending-title" className="confirm-box">
        <Heading variant="h3" mb="s" id="ptv-pending-title">{t('adminPages.ptvPending')}</Heading>
        <ErrorAlert error={linkError} />
        {!pending ? <Loading /> : (
          <>
            <Heading variant="h4" mb="s">{t('ptv.suggestions')}</Heading>
            {pending.suggestions.length === 0 && !Object.keys(linked).length ? <Empty>{t('ptv.noSuggestions')}</Empty> : (
              <ul className="plain-list">
                {pending.suggestions.map((s) => (
                  <li key={s.ptvId} data-testid="ptv-suggestion" data-ptv={s.ptvId} data-service={s.service} className="ptv-row">
                    <Paragraph mb="xs">
                      <Text variant="bold">{s.name}</Text> → {className(s.service)}{' '}
                      <Text className="muted">({t('ptv.score', { score: Math.round(s.score * 100) })})</Text>
                    </Paragraph>
                    {linked[s.ptvId] ? (
                      <Paragraph mb="s" data-testid="ptv-linked">{t('ptv.linked', { name: className(linked[s.ptvId]!) })}</Paragraph>
                    ) : (
                      <Button variant="secondary" mb="s" onClick={() => void link(s.ptvId, s.service)} data-testid={`confirm-${s.ptvId}`}
                        aria-label={t('ptv.confirmFor', { name: s.name, service: className(s.service) })}>
                        {t('ptv.confirm')}
                      </Button>
                    )}
                  </li>
                ))}
              </ul>
            )}
            <Heading variant="h4" mb="s" mt="m">{t('ptv.unclassified')}</Heading>
            {pending.unclassified.length === 0 ? <Empty>{t('ptv.noneUnclassified')}</Empty> : (
              <ul className="plain-list">
                {pending.unclassified.map((u) => (
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
          </>
        )}
      </section>
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
      <Heading variant="h2" mb="s" id="coverage-title">{t('ptv.coverageTitle')}</Heading>
      <Paragraph mb="m" data-testid="coverage-counts" data-services={coverage.services} data-classified={coverage.classified}>{t('ptv.coverageCounts', { services: coverage.services, classified: coverage.classified })}</Paragraph>
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
