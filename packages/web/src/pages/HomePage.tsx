import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { Block, Button, Heading, Paragraph } from 'suomifi-ui-components';
import { api, type MyMandates, type PartyMandates } from '../api.js';
import { useSession } from '../session.js';
import { MandateSections, type ActionDone } from '../components/MandateCards.js';
import { AppLink, ErrorAlert, Loading, PageTitle, SuccessNote } from '../components/ui.js';

/** One child's or ward's section: how I stand for them, and their mandates (what waits for my answer is at the top of the page). */
function PartySection({ p, index, onDone, mayGrant }: { p: PartyMandates; index: number; onDone(d: ActionDone): void; mayGrant: boolean }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  // By position, not by id: a child's id is their identity code, which the page does not carry (decision 0017).
  const headingId = `party-${index}`;
  const waiting = p.lists.requestsIn.length;
  return (
    <Block variant="section" mb="xl" className="party-section" aria-labelledby={headingId} data-testid={headingId}>
      <Heading variant="h3" as="h3" id={headingId} mb="xs">{p.party.name}</Heading>
      <Paragraph mb="s">{t(`views.relation.${p.relation}`)}</Paragraph>
      {waiting > 0 && <Paragraph mb="s">{t('views.waitingAbove', { count: waiting })}</Paragraph>}
      {mayGrant && (
        <Button variant="secondary" mb="m" onClick={() => navigate('/grant', { state: { onBehalfOf: p.party.id } })} data-testid="grant-for">
          {t('views.grantFor', { name: p.party.name })}
        </Button>
      )}
      <MandateSections lists={p.lists} onDone={onDone} idPrefix={headingId} headingLevel="h4" sections={['given', 'received', 'requestsOut']} labels="party" />
    </Block>
  );
}

/**
 * My mandates: first what waits for my answer (mine and in the name of those I decide for), then my
 * own, then a section per child and ward I decide for; organisations have a page of their own.
 */
export function HomePage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const navigate = useNavigate();
  const [lists, setLists] = useState<MyMandates | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<ActionDone | null>(null);

  const load = useCallback(() => {
    api<MyMandates>('GET', '/api/v1/me/mandates').then((l) => {
      setLists(l);
      setError(null);
    }, setError);
  }, []);
  useEffect(load, [load]);
  const onDone = useCallback((d: ActionDone) => {
    setDone(d);
    load();
  }, [load]);

  const firstName = me?.kind === 'person' ? me.person.firstName : '';
  const people = lists?.parties.filter((p) => p.party.type === 'person') ?? [];
  // A child's or ward's section offers a grant in their name when the server says this person may give one.
  const mayGrantFor = (id: string) => me?.kind === 'person' && [...me.children, ...me.wards].some((x) => x.id === id && x.permittedActions.includes('grant'));
  const orgs = lists?.parties.filter((p) => p.party.type === 'organization') ?? [];
  return (
    <>
      <PageTitle title={t('home.title')}>{t('home.title')}</PageTitle>
      <Paragraph mb="m">{t('home.intro', { name: firstName })}</Paragraph>
      <div className="actions">
        <Button mr="s" mb="l" onClick={() => navigate('/grant')} data-testid="go-grant">{t('nav.grant')}</Button>
        <Button variant="secondary" mb="l" onClick={() => navigate('/request')} data-testid="go-request">{t('nav.request')}</Button>
      </div>
      {done && <SuccessNote title={done.title} testId="action-done">{done.text && <p>{done.text}</p>}</SuccessNote>}
      <ErrorAlert error={error} />
      {lists ? (
        <>
          <MandateSections lists={lists} onDone={onDone} idPrefix="my" sections={['requestsIn']} />
          <Heading variant="h2" as="h2" mb="s" id="own-heading">{t('views.ownHeading')}</Heading>
          <MandateSections lists={lists} onDone={onDone} idPrefix="my" headingLevel="h3" sections={['given', 'received', 'requestsOut']} />
          {(people.length > 0 || orgs.length > 0) && (
            <Block variant="section" aria-labelledby="on-behalf-heading" data-testid="on-behalf">
              <Heading variant="h2" as="h2" mb="xs" id="on-behalf-heading">{t('views.onBehalfHeading')}</Heading>
              <Paragraph mb="m">{t('views.onBehalfIntro')}</Paragraph>
              {people.map((p, i) => <PartySection key={p.party.id} index={i} p={p} onDone={onDone} mayGrant={mayGrantFor(p.party.id)} />)}
              {orgs.length > 0 && (
                <>
                  <Heading variant="h3" as="h3" mb="xs">{t('views.organisationsHeading')}</Heading>
                  <ul className="plain-list">
                    {orgs.map((o) => (
                      <li key={o.party.id}>
                        <AppLink to={`/organisations#org-${o.party.id}`}>{t('views.organisationLink', { name: o.party.name })}</AppLink>
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </Block>
          )}
        </>
      ) : !error && <Loading />}
    </>
  );
}
