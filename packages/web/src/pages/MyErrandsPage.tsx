import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Heading, Paragraph } from 'suomifi-ui-components';
import { client, unwrap } from '../api.js';
import { formatDateTime } from '../dates.js';
import { actionFirst, needsMyAction, type Errand } from '../errands.js';
import { useNames, useSession } from '../session.js';
import { ErrandStatusBadge } from '../components/ErrandParts.js';
import { AppLink, Empty, ErrorAlert, Loading, PageTitle } from '../components/ui.js';

/**
 * My errands: where I am the applicant, the one it concerns (or decide for them) or a party; with
 * its status, what is expected of me, and the decision. Those that wait for me come first.
 */
export function MyErrandsPage() {
  const { t } = useTranslation();
  const [items, setItems] = useState<Errand[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    unwrap(client.GET('/api/v1/me/errands')).then((r) => setItems(actionFirst(r.items)), setError);
  }, []);
  const title = t('errands.mine.title');
  const waiting = (items ?? []).filter(needsMyAction).length;
  return (
    <>
      <PageTitle title={title}>{title}</PageTitle>
      <Paragraph mb="s">{t('errands.mine.intro')}</Paragraph>
      <Paragraph mb="m"><AppLink to="/services" testId="start-new">{t('errands.mine.startNew')}</AppLink></Paragraph>
      <ErrorAlert error={error} />
      {!items ? (!error && <Loading />) : items.length === 0 ? (
        <Empty>{t('errands.mine.empty')}</Empty>
      ) : (
        <>
          <Paragraph mb="m" data-testid="errands-count">{t('errands.mine.count', { count: items.length, waiting })}</Paragraph>
          <ul className="cards" data-testid="errand-cards">
            {items.map((e) => <ErrandCard key={e.id} e={e} />)}
          </ul>
        </>
      )}
    </>
  );
}

function ErrandCard({ e }: { e: Errand }) {
  const { t } = useTranslation();
  const names = useNames();
  const { me } = useSession();
  // My own answer, where I am a party myself (or answer for my child or organisation).
  const mine = me?.kind === 'person'
    ? e.parties.find((p) => (p.type === 'person' && (p.id === me.person.id || me.children.some((c) => c.id === p.id)))
      || (p.type === 'organization' && me.organizations.some((o) => o.id === p.id)))
    : undefined;
  const mineIsApplicant = e.actor?.id === mine?.id && mine?.type === 'person';
  const action = needsMyAction(e);
  const link = e.permittedActions.includes('edit') && (e.status === 'draft' || e.status === 'declined') ? `/errands/${encodeURIComponent(e.id)}/edit` : `/errands/${encodeURIComponent(e.id)}`;
  return (
    <li className={`card errand-card${action ? ' errand-card-action' : ''}`} data-testid="errand-card" data-errand-id={e.id} data-status={e.status} data-expected={e.expected}>
      <Heading variant="h2" as="h2" className="card-title" mb="xs">
        <AppLink to={link}>{e.serviceName[names.lang]}<span className="visually-hidden">: {e.subject.name}</span></AppLink>
      </Heading>
      <Paragraph mb="xs">{t('errands.mine.concerns', { name: e.subject.name })} · {names.municipality(e.municipality)} · {e.ref}</Paragraph>
      <Paragraph mb="xs">
        <ErrandStatusBadge status={e.status} />
        {e.expected !== 'nothing' && (
          <span className={action ? 'expected expected-action' : 'expected'} data-testid="errand-card-expected"> {t(`errands.expected.${e.expected}`)}</span>
        )}
      </Paragraph>
      {mine && !mineIsApplicant && e.status !== 'draft' && (
        <Paragraph mb="xs" data-testid="errand-card-response" data-response={mine.response}>
          {t('errands.mine.yourPart', { name: mine.name, response: t(`errands.response.${mine.response}`) })}
        </Paragraph>
      )}
      {e.decision && (
        <Paragraph mb="xs" data-testid="errand-card-decision" data-outcome={e.decision.outcome}>
          <strong>{t(`errands.decision.${e.decision.outcome}`)}</strong> ({formatDateTime(e.decision.at, names.lang)})
        </Paragraph>
      )}
      {!e.decision && <Paragraph mb="xs" className="muted">{t('errands.mine.updated', { date: formatDateTime(e.updatedAt, names.lang) })}</Paragraph>}
    </li>
  );
}
