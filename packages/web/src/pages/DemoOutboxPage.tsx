import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Heading, Link, Paragraph } from 'suomifi-ui-components';
import { ApiError, client, unwrap } from '../api.js';
import { formatDateTime } from '../dates.js';
import { useNames } from '../session.js';
import type { DemoDelivery } from '../notifications.js';
import { Empty, ErrorAlert, Loading, PageTitle } from '../components/ui.js';

const LANGUAGE_NAMES: Record<string, string> = { fi: 'Suomi', sv: 'Svenska', en: 'English' };

/** Per recipient, newest first; the recipient with the newest delivery first. */
function byRecipient(deliveries: DemoDelivery[]): [string, DemoDelivery[]][] {
  const groups = new Map<string, DemoDelivery[]>();
  const sorted = [...deliveries].sort((a, b) => b.at.localeCompare(a.at));
  for (const d of sorted) groups.set(d.to, [...(groups.get(d.to) ?? []), d]);
  return [...groups.entries()];
}

/** Demo mode: what the local simulators of e-mail, Suomi.fi Messages, SMS and the print service received. */
export function DemoOutboxPage() {
  const { t } = useTranslation();
  const [deliveries, setDeliveries] = useState<DemoDelivery[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [missing, setMissing] = useState(false);

  const load = useCallback(async () => {
    try {
      const r = await unwrap(client.GET('/api/v1/demo/outbox'));
      setDeliveries(r.deliveries);
      setError(null);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) setMissing(true);
      else setError(e);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    if (missing) return;
    const timer = setInterval(() => void load(), 3000);
    return () => clearInterval(timer);
  }, [load, missing]);

  const title = t('outbox.title');
  if (missing) return (<><PageTitle title={title}>{title}</PageTitle><Paragraph data-testid="outbox-unavailable">{t('outbox.unavailable')}</Paragraph></>);
  return (
    <>
      <PageTitle title={title}>{title}</PageTitle>
      <Paragraph mb="s">{t('outbox.intro')}</Paragraph>
      <Paragraph mb="m">{t('outbox.autoRefresh')}</Paragraph>
      <Button variant="secondary" mb="m" onClick={() => void load()} data-testid="outbox-refresh">{t('outbox.refresh')}</Button>
      <ErrorAlert error={error} />
      {!deliveries ? (!error && <Loading />) : deliveries.length === 0 ? (
        <Empty><span data-testid="outbox-empty">{t('outbox.empty')}</span></Empty>
      ) : (
        byRecipient(deliveries).map(([to, items]) => (
          <section key={to} className="outbox-group" data-testid="demo-recipient">
            <Heading variant="h2" mb="s">{t('outbox.recipient', { to })}</Heading>
            <ul className="cards">
              {items.map((d) => <OutboxItem key={`${d.channel}-${d.messageId}`} d={d} />)}
            </ul>
          </section>
        ))
      )}
    </>
  );
}

function OutboxItem({ d }: { d: DemoDelivery }) {
  const { t } = useTranslation();
  const { lang } = useNames();
  const [show, setShow] = useState(false);
  const frameId = `frame-${d.channel}-${d.messageId}`.replace(/[^A-Za-z0-9_-]/g, '_');
  return (
    <li className="card" data-testid="demo-delivery" data-channel={d.channel}>
      <Heading variant="h3" mb="xs">{d.subject}</Heading>
      <dl className="facts">
        <dt>{t('outbox.channel')}</dt>
        <dd>{t(`channels.${d.channel}`)}</dd>
        <dt>{t('outbox.language')}</dt>
        <dd>{LANGUAGE_NAMES[d.language] ?? d.language}</dd>
        <dt>{t('outbox.time')}</dt>
        <dd>{formatDateTime(d.at, lang)}</dd>
      </dl>
      {d.channel === 'email' && d.contentUrl && (
        <>
          <Button variant="secondary" aria-expanded={show} aria-controls={show ? frameId : undefined} onClick={() => setShow((s) => !s)} data-testid="show-email">
            {show ? t('outbox.hideEmail') : t('outbox.showEmail')}
          </Button>
          {show && <iframe id={frameId} className="email-frame" sandbox="" src={d.contentUrl} title={t('outbox.emailFrame', { subject: d.subject })} />}
        </>
      )}
      {d.channel === 'paper' && d.contentUrl && (
        <Paragraph><Link href={d.contentUrl} target="_blank" rel="noopener" data-testid="open-letter">{t('outbox.openLetter')}</Link></Paragraph>
      )}
    </li>
  );
}
