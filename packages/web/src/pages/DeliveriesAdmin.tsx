import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Dropdown, DropdownItem, Heading, Paragraph } from 'suomifi-ui-components';
import { client, unwrap } from '../api.js';
import { formatDateTime } from '../dates.js';
import { useNames, useSession } from '../session.js';
import type { Delivery } from '../notifications.js';
import { useEventName } from './MessagesPage.js';
import { Empty, ErrorAlert, Loading, SuccessNote } from '../components/ui.js';

const ALL = 'all';

/**
 * Messages not delivered yet (waiting, failed, given up) with a "Send again" where the API permits it.
 * `filter`: the list spans municipalities, so offer to narrow it to one.
 */
export function DeliveriesAdmin({ filter }: { filter: boolean }) {
  const { t } = useTranslation();
  const { catalogue } = useSession();
  const names = useNames();
  const eventName = useEventName();
  const [municipality, setMunicipality] = useState<string>(ALL);
  const [deliveries, setDeliveries] = useState<Delivery[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [announce, setAnnounce] = useState('');
  const [busy, setBusy] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const query = municipality === ALL ? {} : { municipality };
      setDeliveries((await unwrap(client.GET('/api/v1/admin/deliveries', { params: { query } }))).deliveries);
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [municipality]);
  useEffect(() => { void load(); }, [load]);

  const retry = async (d: Delivery) => {
    setBusy(d.id);
    setAnnounce('');
    setError(null);
    try {
      await unwrap(client.POST('/api/v1/admin/deliveries/{id}/retry', { params: { path: { id: d.id } } }));
      await load();
      setAnnounce(t('deliveries.retried', { event: eventName(d.event), channel: t(`channels.${d.channel}`, { defaultValue: d.channel }) }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  const when = (d: Delivery) =>
    d.finishedAt ? t('deliveries.finished', { time: formatDateTime(d.finishedAt, names.lang) })
      : d.nextAttemptAt ? t('deliveries.next', { time: formatDateTime(d.nextAttemptAt, names.lang) }) : '–';

  return (
    <section data-testid="deliveries" aria-labelledby="deliveries-heading" className="deliveries">
      <Heading variant="h2" mb="s" id="deliveries-heading">{t('deliveries.title')}</Heading>
      <Paragraph mb="m">{t('deliveries.intro')}</Paragraph>
      {filter && catalogue.municipalities.length > 0 && (
        <div className="field">
          <Dropdown id="deliveries-municipality" labelText={t('deliveries.municipality')} value={municipality} onChange={setMunicipality}>
            {[
              <DropdownItem key={ALL} value={ALL}>{t('deliveries.allMunicipalities')}</DropdownItem>,
              ...catalogue.municipalities.map((m) => <DropdownItem key={m.code} value={m.code}>{m.name[names.lang]}</DropdownItem>),
            ]}
          </Dropdown>
        </div>
      )}
      <div data-testid="deliveries-status">{announce && <SuccessNote title={announce} testId="delivery-retried" />}</div>
      <ErrorAlert error={error} />
      {!deliveries ? (!error && <Loading />) : deliveries.length === 0 ? <Empty>{t('deliveries.empty')}</Empty> : (
        <table className="data-table card-table" aria-labelledby="deliveries-heading">
          <thead>
            <tr>
              <th scope="col">{t('deliveries.event')}</th>
              <th scope="col">{t('deliveries.channel')}</th>
              <th scope="col">{t('deliveries.status')}</th>
              <th scope="col">{t('deliveries.tries')}</th>
              <th scope="col">{t('deliveries.when')}</th>
              <th scope="col">{t('deliveries.lastError')}</th>
              <th scope="col">{t('deliveries.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {deliveries.map((d) => (
              <tr key={d.id} data-testid="delivery" data-delivery-id={d.id} data-status={d.status}>
                <th scope="row" data-label={t('deliveries.event')}>{eventName(d.event)}</th>
                <td data-label={t('deliveries.channel')}>{t(`channels.${d.channel}`, { defaultValue: d.channel })}</td>
                <td data-label={t('deliveries.status')}>{t(`deliveries.state_${d.status}`)}</td>
                <td data-label={t('deliveries.tries')}>{d.attempts} / {d.maxAttempts}</td>
                <td data-label={t('deliveries.when')}>{when(d)}</td>
                <td data-label={t('deliveries.lastError')}>{d.lastError ? <span lang="en" className="error-text">{d.lastError}</span> : '–'}</td>
                <td data-label={t('deliveries.actions')}>
                  {d.permittedActions.includes('retry') && (
                    <Button variant="secondary" disabled={busy !== null} onClick={() => void retry(d)} data-testid={`retry-${d.id}`}
                      aria-label={t('deliveries.retryFor', { event: eventName(d.event), channel: t(`channels.${d.channel}`, { defaultValue: d.channel }) })}>
                      {t('deliveries.retry')}
                    </Button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
