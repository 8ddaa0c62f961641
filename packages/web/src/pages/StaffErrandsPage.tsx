import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Checkbox, CheckboxGroup, Dropdown, DropdownItem, Paragraph } from 'suomifi-ui-components';
import { api, client, unwrap, type MunicipalService } from '../api.js';
import { formatDateTime } from '../dates.js';
import { QUEUE_STATUSES, type ErrandStatus, type QueueItem } from '../errands.js';
import { useNames, useSession } from '../session.js';
import { ErrandStatusBadge } from '../components/ErrandParts.js';
import { AppLink, Empty, ErrorAlert, Loading, PageTitle } from '../components/ui.js';

const ALL = 'all';

/**
 * The caseworker's queue: the municipality's errands by status and service, oldest first, a page at a
 * time (the server's 25; "Load more" follows its keyset cursor: `limit` is not sent, as the server
 * does not coerce query strings to integers). A table on wide screens, cards on narrow ones.
 */
export function StaffErrandsPage() {
  const { t } = useTranslation();
  const names = useNames();
  const { me } = useSession();
  const municipality = me?.municipality ?? '';
  const [statuses, setStatuses] = useState<ErrandStatus[]>(['submitted']);
  const [service, setService] = useState<string>(ALL);
  const [services, setServices] = useState<MunicipalService[]>([]);
  const [items, setItems] = useState<QueueItem[] | null>(null);
  const [cursor, setCursor] = useState<string | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const firstNew = useRef<string | null>(null);

  useEffect(() => {
    if (!municipality) return;
    api<{ services: MunicipalService[] }>('GET', `/api/v1/municipalities/${municipality}/services`).then((r) => setServices(r.services), () => undefined);
  }, [municipality]);

  const fetchPage = useCallback(async (after?: string) => unwrap(client.GET('/api/v1/staff/errands', {
    params: { query: { status: statuses.join(','), ...(service !== ALL ? { service } : {}), ...(after ? { cursor: after } : {}) } },
  })), [statuses, service]);

  useEffect(() => {
    let live = true;
    setItems(null);
    setError(null);
    if (statuses.length === 0) {
      setItems([]);
      setCursor(undefined);
      return;
    }
    fetchPage().then((r) => {
      if (!live) return;
      setItems(r.items);
      setCursor(r.nextCursor);
    }, (e) => live && setError(e));
    return () => {
      live = false;
    };
  }, [fetchPage, statuses.length]);

  useEffect(() => {
    // After "Load more", focus goes to the first errand that came.
    if (firstNew.current) {
      document.getElementById(`queue-${firstNew.current}`)?.focus();
      firstNew.current = null;
    }
  }, [items]);

  const more = async () => {
    if (!cursor) return;
    setLoadingMore(true);
    try {
      const r = await fetchPage(cursor);
      firstNew.current = r.items[0]?.id ?? null;
      setItems((xs) => [...(xs ?? []), ...r.items]);
      setCursor(r.nextCursor);
    } catch (e) {
      setError(e);
    } finally {
      setLoadingMore(false);
    }
  };

  const title = t('errands.queue.title');
  return (
    <>
      <PageTitle title={title}>{title}</PageTitle>
      <Paragraph mb="m">{t('errands.queue.intro', { municipality: names.municipality(municipality) })}</Paragraph>
      <div className="filters" data-testid="queue-filters">
        <CheckboxGroup labelText={t('errands.queue.status')} groupHintText={t('errands.queue.statusHint')} id="queue-status" className="queue-statuses">
          {QUEUE_STATUSES.map((s) => (
            <Checkbox key={s} id={`queue-status-${s}`} checked={statuses.includes(s)}
              onClick={({ checkboxState }) => setStatuses((xs) => QUEUE_STATUSES.filter((x) => (x === s ? checkboxState : xs.includes(x))))}>
              {t(`errands.status.${s}`)}
            </Checkbox>
          ))}
        </CheckboxGroup>
        <div className="field">
          <Dropdown id="queue-service" labelText={t('errands.queue.service')} value={service} onChange={(v) => setService(v)} mb="m">
            {[
              <DropdownItem key={ALL} value={ALL}>{t('errands.queue.allServices')}</DropdownItem>,
              ...services.map((s) => <DropdownItem key={s.code} value={s.code}>{s.name[names.lang]}</DropdownItem>),
            ]}
          </Dropdown>
        </div>
      </div>
      <ErrorAlert error={error} />
      {!items ? (!error && <Loading />) : items.length === 0 ? (
        <Empty>{statuses.length === 0 ? t('errands.queue.chooseStatus') : t('errands.queue.empty')}</Empty>
      ) : (
        <>
          <Paragraph mb="s" aria-live="polite" data-testid="queue-count">{t(cursor ? 'errands.queue.countMore' : 'errands.queue.count', { count: items.length })}</Paragraph>
          <table className="log-table card-table" data-testid="queue">
            <caption className="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col">{t('errands.queue.ref')}</th>
                <th scope="col">{t('errands.queue.serviceCol')}</th>
                <th scope="col">{t('errands.queue.subject')}</th>
                <th scope="col">{t('errands.queue.applicant')}</th>
                <th scope="col">{t('errands.queue.statusCol')}</th>
                <th scope="col">{t('errands.queue.sent')}</th>
                <th scope="col">{t('errands.queue.age')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((e) => (
                <tr key={e.id} id={`queue-${e.id}`} tabIndex={-1} data-testid="queue-item" data-errand-id={e.id} data-status={e.status}>
                  <th scope="row" data-label={t('errands.queue.ref')}>
                    <AppLink to={`/errands/${encodeURIComponent(e.id)}`} testId="queue-open">{e.ref}</AppLink>
                  </th>
                  <td data-label={t('errands.queue.serviceCol')}>{e.serviceName[names.lang]}</td>
                  <td data-label={t('errands.queue.subject')}>{e.subject.name}</td>
                  <td data-label={t('errands.queue.applicant')}>{e.actor?.name ?? t('errands.basis.eService')}</td>
                  <td data-label={t('errands.queue.statusCol')}><ErrandStatusBadge status={e.status} /></td>
                  <td data-label={t('errands.queue.sent')}>{e.submittedAt ? formatDateTime(e.submittedAt, names.lang) : '–'}</td>
                  <td data-label={t('errands.queue.age')} data-testid="queue-age">{t('errands.queue.days', { count: e.ageDays })}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {cursor && (
            <Button variant="secondary" disabled={loadingMore} onClick={() => void more()} data-testid="queue-more">{t('errands.queue.more')}</Button>
          )}
        </>
      )}
    </>
  );
}
