import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { Block, Button, Heading, Paragraph } from 'suomifi-ui-components';
import { api, type MandateLists, type Me } from '../api.js';
import { useSession } from '../session.js';
import { MandateSections, type ActionDone } from '../components/MandateCards.js';
import { ErrorAlert, Loading, PageTitle, SuccessNote } from '../components/ui.js';

type Organisation = Extract<Me, { kind: 'person' }>['organizations'][number];

/** One organisation, once, with all my roles there; its mandates when I may read them. */
function OrganisationBlock({ org }: { org: Organisation }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [lists, setLists] = useState<MandateLists | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<ActionDone | null>(null);
  const reads = org.permittedActions.includes('read-mandates');
  const load = useCallback(() => {
    if (reads) api<MandateLists>('GET', `/api/v1/organizations/${encodeURIComponent(org.id)}/mandates`).then(setLists, setError);
  }, [org.id, reads]);
  useEffect(load, [load]);
  const onDone = useCallback((d: ActionDone) => {
    setDone(d);
    load();
  }, [load]);
  const headingId = `org-${org.id}`;
  const roles = org.roles.map((r) => t(`roles.${r}`, { defaultValue: r })).join(', ');
  return (
    <Block variant="section" mb="xl" className="party-section" aria-labelledby={headingId} data-testid={`org-${org.id}`}>
      <Heading variant="h2" id={headingId} mb="xs">{org.name}</Heading>
      <Paragraph mb="s" data-testid="org-roles">
        {t('views.rolesLabel', { roles })} {t(`org.signing.${org.signing}`)}
      </Paragraph>
      {org.permittedActions.includes('grant') && (
        <Button mb="m" onClick={() => navigate(`/grant?org=${encodeURIComponent(org.id)}`)} data-testid={`grant-for-${org.id}`}>
          {t('org.grantFor', { name: org.name })}
        </Button>
      )}
      {done && <SuccessNote title={done.title} testId="action-done">{done.text && <p>{done.text}</p>}</SuccessNote>}
      <ErrorAlert error={error} />
      {reads && (lists ? <MandateSections lists={lists} onDone={onDone} idPrefix={headingId} headingLevel="h3" labels="party" /> : !error && <Loading />)}
    </Block>
  );
}

/** The organisations where the person has a role: each once, with all their roles, and the mandates of those they sign for. */
export function OrganisationsPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const orgs = me?.kind === 'person' ? me.organizations : [];
  return (
    <>
      <PageTitle title={t('org.title')}>{t('org.title')}</PageTitle>
      <Paragraph mb="l">{t('org.intro')}</Paragraph>
      {orgs.length === 0 ? <Paragraph>{t('org.none')}</Paragraph> : orgs.map((o) => <OrganisationBlock key={o.id} org={o} />)}
    </>
  );
}
