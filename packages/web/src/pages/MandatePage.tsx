import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { Heading, Paragraph } from 'suomifi-ui-components';
import { api, type LogEntry, type Mandate } from '../api.js';
import { formatDateTime } from '../dates.js';
import { useNames } from '../session.js';
import { MandateActions, MandateFacts, type ActionDone } from '../components/MandateCards.js';
import { AppLink, ErrorAlert, Loading, PageTitle, SuccessNote } from '../components/ui.js';

/** One mandate: what it covers, what I may do with it, and its usage log. */
export function MandatePage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const names = useNames();
  const [m, setM] = useState<Mandate | null>(null);
  const [log, setLog] = useState<LogEntry[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<ActionDone | null>(null);

  const load = useCallback(() => {
    const path = `/api/v1/mandates/${encodeURIComponent(id)}`;
    api<Mandate>('GET', path).then(async (x) => {
      setM(x);
      if (x.permittedActions.includes('read-log')) setLog((await api<{ entries: LogEntry[] }>('GET', `${path}/log`)).entries);
    }).catch(setError);
  }, [id]);
  useEffect(load, [load]);

  const title = t('mandatePage.title');
  if (error) return (<><PageTitle title={title}>{title}</PageTitle><ErrorAlert error={error} /></>);
  if (!m) return (<><PageTitle title={title}>{title}</PageTitle><Loading /></>);
  const can = (a: string) => m.permittedActions.includes(a as never);

  const who = (e: LogEntry) => {
    const base = e.actor.type === 'staff' ? t('log.staff', { name: e.actor.name ?? '' })
      : e.actor.type === 'person' || e.actor.type === 'organization' ? e.actor.name ?? ''
        : t(`log.actor.${e.actor.type}`, { defaultValue: e.actor.type });
    return e.actor.onBehalfOf ? t('log.onBehalfOf', { name: base, other: e.actor.onBehalfOf.name ?? '' }) : base;
  };

  return (
    <>
      <PageTitle title={title}>{title}</PageTitle>
      <Paragraph mb="m"><AppLink to="/">{t('common.backHome')}</AppLink></Paragraph>
      {done && <SuccessNote title={done.title} testId="action-done">{done.text && <p>{done.text}</p>}</SuccessNote>}
      <MandateFacts m={m} />
      <MandateActions m={m} withLog={false} onDone={(d) => { setDone(d); load(); }} />
      {can('read-log') && (
        <>
          <Heading variant="h2" mt="l" mb="s" id="log-heading">{t('log.heading')}</Heading>
          <Paragraph mb="m">{t('log.intro')}</Paragraph>
          {!log ? <Loading /> : log.length === 0 ? <Paragraph>{t('log.empty')}</Paragraph> : (
            <div className="table-scroll">
              <table className="log-table" data-testid="log-table" aria-labelledby="log-heading">
                <thead>
                  <tr>
                    <th scope="col">{t('log.when')}</th>
                    <th scope="col">{t('log.what')}</th>
                    <th scope="col">{t('log.who')}</th>
                    <th scope="col">{t('log.errand')}</th>
                    <th scope="col">{t('log.municipality')}</th>
                  </tr>
                </thead>
                <tbody>
                  {log.map((e, i) => (
                    <tr key={i} data-testid="log-row" data-event={e.event}>
                      <td>{formatDateTime(e.at, names.lang)}</td>
                      <td>{t(`events.${e.event}`, { defaultValue: e.event })}</td>
                      <td>{who(e)}</td>
                      <td>{e.errandRef ?? ''}</td>
                      <td>{e.municipality ? names.municipality(e.municipality) : ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </>
  );
}
