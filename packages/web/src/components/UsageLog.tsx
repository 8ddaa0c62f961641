import { useTranslation } from 'react-i18next';
import { Button, Paragraph } from 'suomifi-ui-components';
import type { LogEntry } from '../api.js';
import { formatDateTime } from '../dates.js';
import { useNames } from '../session.js';
import { Loading } from './ui.js';

/**
 * The usage log as a table (issue 10, item 5), newest first as the server gives it: when, what,
 * who, in which service and e-service, the errand's reference (and whose mandate, in the log across
 * mandates). Narrow screens read each entry as a card with its labels (`card-table`): no word is
 * broken into fragments. Used by the mandate page and the log page.
 */
export function UsageLog({ entries, headingId, showMandate = false, more, loadingMore = false }: {
  entries: LogEntry[] | null;
  headingId: string;
  showMandate?: boolean;
  /** Loads the next (older) page; absent on the last page. */
  more?: (() => void) | undefined;
  loadingMore?: boolean;
}) {
  const { t } = useTranslation();
  const names = useNames();
  if (!entries) return <Loading />;
  if (entries.length === 0) return <Paragraph data-testid="usage-log-empty">{t('usageLog.empty')}</Paragraph>;

  const who = (e: LogEntry) => {
    const base = e.actor.type === 'staff'
      ? (e.actor.municipality ? t('usageLog.staffIn', { name: t('log.staff', { name: e.actor.name ?? '' }), municipality: names.municipality(e.actor.municipality) }) : t('log.staff', { name: e.actor.name ?? '' }))
      : e.actor.type === 'person' || e.actor.type === 'organization' ? e.actor.name ?? ''
        : t(`log.actor.${e.actor.type}`, { defaultValue: e.actor.type });
    return e.actor.onBehalfOf ? t('log.onBehalfOf', { name: base, other: e.actor.onBehalfOf.name ?? '' }) : base;
  };
  const eService = (e: LogEntry) => (e.eService
    ? t('usageLog.eServiceIn', { name: e.eService.name[names.lang], municipality: names.municipality(e.eService.municipality) })
    : e.municipality ? names.municipality(e.municipality) : '');

  return (
    <>
      <table className="log-table card-table usage-log" data-testid="log-table" aria-labelledby={headingId}>
        <thead>
          <tr>
            <th scope="col">{t('usageLog.when')}</th>
            <th scope="col">{t('usageLog.what')}</th>
            {showMandate && <th scope="col">{t('usageLog.whose')}</th>}
            <th scope="col">{t('usageLog.who')}</th>
            <th scope="col">{t('usageLog.serviceCol')}</th>
            <th scope="col">{t('usageLog.eService')}</th>
            <th scope="col">{t('usageLog.errand')}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e, i) => (
            <tr key={`${e.at}-${i}`} data-testid="log-row" data-event={e.event} data-at={e.at}>
              <td data-label={t('usageLog.when')}>{formatDateTime(e.at, names.lang)}</td>
              <td data-label={t('usageLog.what')}>{t(`events.${e.event}`, { defaultValue: e.event })}</td>
              {showMandate && <td data-label={t('usageLog.whose')}>{e.mandate ? t('usageLog.mandateOption', { principal: e.mandate.principal, agent: e.mandate.agent }) : ''}</td>}
              <td data-label={t('usageLog.who')}>{who(e)}</td>
              <td data-label={t('usageLog.serviceCol')} data-testid="usage-log-service">{e.service ? e.service.name[names.lang] : ''}</td>
              <td data-label={t('usageLog.eService')} data-testid="usage-log-eservice">{eService(e)}</td>
              <td data-label={t('usageLog.errand')} data-testid="usage-log-errand">{e.errandRef ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {more && (
        <div className="no-print">
          <Button variant="secondary" onClick={more} disabled={loadingMore} data-testid="usage-log-more">{t('usageLog.more')}</Button>
        </div>
      )}
    </>
  );
}
