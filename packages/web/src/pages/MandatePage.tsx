import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { Heading, Link, Paragraph } from 'suomifi-ui-components';
import { api, type LogEntry, type Mandate } from '../api.js';
import { useNames } from '../session.js';
import { MandateActions, MandateFacts, type ActionDone } from '../components/MandateCards.js';
import { AppLink, ErrorAlert, Loading, PageTitle, SuccessNote } from '../components/ui.js';
import { UsageLog } from '../components/UsageLog.js';
import { NarrowedNote } from '../components/NarrowedNote.js';

/** One mandate: what it covers, what I may do with it, and its usage log. */
export function MandatePage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const names = useNames();
  const [m, setM] = useState<Mandate | null>(null);
  const [log, setLog] = useState<LogEntry[] | null>(null);
  const [next, setNext] = useState<string | undefined>();
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<ActionDone | null>(null);

  const load = useCallback(() => {
    const path = `/api/v1/mandates/${encodeURIComponent(id)}`;
    api<Mandate>('GET', path).then(async (x) => {
      setM(x);
      if (x.permittedActions.includes('read-log')) {
        const page = await api<{ entries: LogEntry[]; next?: string }>('GET', `${path}/log`);
        setLog(page.entries);
        setNext(page.next);
      }
    }).catch(setError);
  }, [id]);
  useEffect(load, [load]);

  const title = t('mandatePage.title');
  if (error) return (<><PageTitle title={title}>{title}</PageTitle><ErrorAlert error={error} /></>);
  if (!m) return (<><PageTitle title={title}>{title}</PageTitle><Loading /></>);
  const can = (a: string) => m.permittedActions.includes(a as never);

  const moreLog = () => {
    if (!next) return;
    api<{ entries: LogEntry[]; next?: string }>('GET', `/api/v1/mandates/${encodeURIComponent(id)}/log?cursor=${encodeURIComponent(next)}`)
      .then((page) => { setLog((old) => [...(old ?? []), ...page.entries]); setNext(page.next); }).catch(setError);
  };

  return (
    <>
      <PageTitle title={title}>{title}</PageTitle>
      <Paragraph mb="m"><AppLink to="/">{t('common.backHome')}</AppLink></Paragraph>
      {done && <SuccessNote title={done.title} testId="action-done">{done.text && <p>{done.text}</p>}</SuccessNote>}
      <MandateFacts m={m} />
      <NarrowedNote m={m} />
      <MandateActions m={m} withLog={false} onDone={(d) => { setDone(d); load(); }} />
      {can('download-receipt') && (
        <Paragraph mb="m" className="no-print">
          <Link href={`/api/v1/mandates/${encodeURIComponent(m.id)}/receipt.pdf?lang=${names.lang}`} download data-testid="mandate-receipt">{t('usageLog.downloadReceipt')}</Link>
        </Paragraph>
      )}
      {can('read-log') && (
        <>
          <Heading variant="h2" mt="l" mb="s" id="log-heading">{t('log.heading')}</Heading>
          <Paragraph mb="m">{t('log.intro')}</Paragraph>
          <UsageLog entries={log} headingId="log-heading" more={next ? moreLog : undefined} />
        </>
      )}
    </>
  );
}
