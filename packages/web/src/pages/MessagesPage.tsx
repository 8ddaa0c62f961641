import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Expander, ExpanderContent, ExpanderTitleButton, Paragraph, Text } from 'suomifi-ui-components';
import { client, unwrap } from '../api.js';
import { formatDateTime } from '../dates.js';
import { useNames } from '../session.js';
import { fetchMessages, setUnread, type Message } from '../notifications.js';
import { AppLink, Empty, ErrorAlert, Loading, PageTitle } from '../components/ui.js';

/** A notification event (`mandate.requested`) in words. */
export function useEventName() {
  const { t } = useTranslation();
  return (event: string) => t(`notifyEvents.${event.replace(/^mandate\./, '')}`, { defaultValue: event });
}

/** The in-app inbox: newest first; opening a message shows it whole and marks it read. */
export function MessagesPage() {
  const { t } = useTranslation();
  const [messages, setMessages] = useState<Message[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(async () => {
    try {
      const m = await fetchMessages();
      setMessages(m.messages);
      setUnread(m.unread);
    } catch (e) {
      setError(e);
    }
  }, []);
  useEffect(() => { void load(); }, [load]);

  const opened = async (m: Message) => {
    if (m.readAt) return;
    try {
      const r = await unwrap(client.POST('/api/v1/me/messages/{id}/read', { params: { path: { id: m.id } } }));
      const next = (messages ?? []).map((x) => (x.id === m.id ? { ...x, readAt: r.readAt } : x));
      setMessages(next);
      setUnread(next.filter((x) => !x.readAt).length);
    } catch (e) {
      setError(e);
    }
  };

  const title = t('messages.title');
  return (
    <>
      <PageTitle title={title}>{title}</PageTitle>
      <Paragraph mb="m">{t('messages.intro')}</Paragraph>
      <ErrorAlert error={error} />
      {!messages ? (!error && <Loading />) : messages.length === 0 ? (
        <Empty>{t('messages.empty')}</Empty>
      ) : (
        <div className="message-list" data-testid="messages">
          {messages.map((m) => <MessageItem key={m.id} m={m} onOpen={() => void opened(m)} />)}
        </div>
      )}
    </>
  );
}

function MessageItem({ m, onOpen }: { m: Message; onOpen(): void }) {
  const { t } = useTranslation();
  const { lang } = useNames();
  const unread = !m.readAt;
  return (
    <Expander
      mb="s"
      data-testid="message"
      data-message-id={m.id}
      data-read={String(!unread)}
      className={unread ? 'message message-unread' : 'message'}
      onOpenChange={(open) => { if (open) onOpen(); }}
    >
      <ExpanderTitleButton asHeading="h2">
        <span className="message-title">
          {unread && <span className="unread-tag" data-testid="unread-tag">{t('messages.unread')}</span>}
          <span className="message-subject" data-testid="message-subject">{m.subject}</span>
          <span className="message-date">{t('messages.received', { date: formatDateTime(m.createdAt, lang) })}</span>
        </span>
      </ExpanderTitleButton>
      <ExpanderContent>
        <p className="message-body" data-testid="message-body">{m.body}</p>
        <Paragraph mb="s" data-testid="message-channels">
          <Text variant="bold">{t('messages.howSent')}:</Text>{' '}
          {m.channels.map((c) => `${t(`channels.${c.channel}`)}: ${t(`channelStatus.${c.status}`)}`).join('; ')}
        </Paragraph>
        {m.errandId && (
          <Paragraph mb="s">
            <AppLink to={`/errands/${encodeURIComponent(m.errandId)}`} testId="message-errand">{t('messages.toErrand')}</AppLink>
          </Paragraph>
        )}
        {m.mandateId && (
          <Paragraph>
            <AppLink to={`/mandates/${encodeURIComponent(m.mandateId)}`} testId="message-mandate">{t('messages.toMandate')}</AppLink>
          </Paragraph>
        )}
      </ExpanderContent>
    </Expander>
  );
}
