import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { Button, Dropdown, DropdownItem, Heading, Paragraph, TextInput } from 'suomifi-ui-components';
import { api, type LogEntry } from '../api.js';
import { inputToIso, isoToInput } from '../dates.js';
import { useNames } from '../session.js';
import { UsageLog } from '../components/UsageLog.js';
import { AppLink, ErrorAlert, PageTitle } from '../components/ui.js';

interface MyLog {
  entries: LogEntry[];
  next?: string;
  filters: {
    mandates: { id: string; principal: string; agent: string }[];
    parties: { key: string; name: string }[];
    services: { code: string; name: { fi: string; sv: string; en: string } }[];
  };
}

const ALL = '*';
const FILTERS = ['mandate', 'party', 'service', 'from', 'to'] as const;

/** The uses of all my mandates (issue 10, item 5): newest first, filtered by mandate, other party, service and dates; printable. */
export function LogPage() {
  const { t } = useTranslation();
  const names = useNames();
  const [params, setParams] = useSearchParams();
  const [data, setData] = useState<MyLog | null>(null);
  const [entries, setEntries] = useState<LogEntry[] | null>(null);
  const [next, setNext] = useState<string | undefined>();
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [form, setForm] = useState(() => ({
    mandate: params.get('mandate') ?? ALL, party: params.get('party') ?? ALL, service: params.get('service') ?? ALL,
    from: isoToInput(params.get('from') ?? undefined), to: isoToInput(params.get('to') ?? undefined),
  }));
  const [dateErrors, setDateErrors] = useState<{ from?: boolean; to?: boolean }>({});

  const query = useCallback((cursor?: string) => {
    const q = new URLSearchParams();
    for (const k of FILTERS) { const v = params.get(k); if (v) q.set(k, v); }
    if (cursor) q.set('cursor', cursor);
    const s = q.toString();
    return `/api/v1/me/log${s ? `?${s}` : ''}`;
  }, [params]);

  useEffect(() => {
    let live = true;
    setEntries(null);
    setError(null);
    api<MyLog>('GET', query()).then((x) => { if (!live) return; setData(x); setEntries(x.entries); setNext(x.next); }).catch((e) => live && setError(e));
    return () => { live = false; };
  }, [query]);

  const more = () => {
    if (!next) return;
    setLoadingMore(true);
    api<MyLog>('GET', query(next)).then((x) => { setEntries((old) => [...(old ?? []), ...x.entries]); setNext(x.next); }).catch(setError).finally(() => setLoadingMore(false));
  };

  const apply = (ev: FormEvent) => {
    ev.preventDefault();
    const from = form.from.trim() ? inputToIso(form.from) : '';
    const to = form.to.trim() ? inputToIso(form.to) : '';
    setDateErrors({ from: from === null, to: to === null });
    if (from === null || to === null) return;
    const q = new URLSearchParams();
    if (form.mandate !== ALL) q.set('mandate', form.mandate);
    if (form.party !== ALL) q.set('party', form.party);
    if (form.service !== ALL) q.set('service', form.service);
    if (from) q.set('from', from);
    if (to) q.set('to', to);
    setParams(q);
  };

  const title = t('usageLog.title');
  const f = data?.filters;
  return (
    <>
      <PageTitle title={title}>{title}</PageTitle>
      <Paragraph mb="m">{t('usageLog.intro')}</Paragraph>
      <form className="log-filters no-print" onSubmit={apply} aria-labelledby="log-filters-heading" data-testid="log-filters">
        <Heading variant="h2" id="log-filters-heading" mb="s">{t('usageLog.filters')}</Heading>
        <div className="log-filter-fields">
          <Dropdown id="log-mandate" labelText={t('usageLog.mandate')} value={form.mandate} onChange={(v) => setForm({ ...form, mandate: v })}>
            {[
              <DropdownItem key={ALL} value={ALL}>{t('usageLog.all')}</DropdownItem>,
              ...(f?.mandates ?? []).map((m) => <DropdownItem key={m.id} value={m.id}>{t('usageLog.mandateOption', { principal: m.principal, agent: m.agent })}</DropdownItem>),
            ]}
          </Dropdown>
          <Dropdown id="log-party" labelText={t('usageLog.party')} value={form.party} onChange={(v) => setForm({ ...form, party: v })}>
            {[
              <DropdownItem key={ALL} value={ALL}>{t('usageLog.all')}</DropdownItem>,
              ...(f?.parties ?? []).map((p) => <DropdownItem key={p.key} value={p.key}>{p.name}</DropdownItem>),
            ]}
          </Dropdown>
          <Dropdown id="log-service" labelText={t('usageLog.service')} value={form.service} onChange={(v) => setForm({ ...form, service: v })}>
            {[
              <DropdownItem key={ALL} value={ALL}>{t('usageLog.all')}</DropdownItem>,
              ...(f?.services ?? []).map((s) => <DropdownItem key={s.code} value={s.code}>{s.name[names.lang]}</DropdownItem>),
            ]}
          </Dropdown>
          <TextInput id="log-from" labelText={t('usageLog.from')} hintText={t('usageLog.badDate')} value={form.from} onChange={(v) => setForm({ ...form, from: String(v ?? '') })}
            status={dateErrors.from ? 'error' : 'default'} statusText={dateErrors.from ? t('usageLog.badDate') : ''} />
          <TextInput id="log-to" labelText={t('usageLog.to')} hintText={t('usageLog.badDate')} value={form.to} onChange={(v) => setForm({ ...form, to: String(v ?? '') })}
            status={dateErrors.to ? 'error' : 'default'} statusText={dateErrors.to ? t('usageLog.badDate') : ''} />
        </div>
        <div className="actions">
          <Button type="submit" mr="s" mb="s" data-testid="log-apply">{t('usageLog.apply')}</Button>
          <Button type="button" variant="secondary" mr="s" mb="s" onClick={() => window.print()}>{t('usageLog.print')}</Button>
          {[...params.keys()].length > 0 && <AppLink to="/log">{t('usageLog.clear')}</AppLink>}
        </div>
      </form>
      <Heading variant="h2" mt="l" mb="s" id="usage-log-heading">{t('usageLog.nav')}</Heading>
      <ErrorAlert error={error} />
      {!error && <UsageLog entries={entries} headingId="usage-log-heading" showMandate more={next ? more : undefined} loadingMore={loadingMore} />}
    </>
  );
}
