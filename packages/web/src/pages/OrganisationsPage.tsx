import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { Block, Button, Heading, Paragraph } from 'suomifi-ui-components';
import { api, type MandateLists } from '../api.js';
import { useSession } from '../session.js';
import { MandateSections } from '../components/MandateCards.js';
import { ErrorAlert, Loading, PageTitle } from '../components/ui.js';

function OrganisationBlock({ org }: { org: { id: string; name: string; role: string; signing: string } }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [lists, setLists] = useState<MandateLists | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => {
    api<MandateLists>('GET', `/api/v1/organizations/${encodeURIComponent(org.id)}/mandates`).then(setLists, setError);
  }, [org.id]);
  useEffect(load, [load]);
  const headingId = `org-${org.id}`;
  return (
    <Block variant="section" mb="xl" aria-labelledby={headingId} data-testid={`org-${org.id}`}>
      <Heading variant="h2" id={headingId} mb="xs">{org.name}</Heading>
      <Paragraph mb="s">
        {t('org.yourRole', { role: t(`roles.${org.role}`, { defaultValue: org.role }) })} {t(`org.signing.${org.signing}`)}
      </Paragraph>
      <Button mb="m" onClick={() => navigate(`/grant?org=${encodeURIComponent(org.id)}`)} data-testid={`grant-for-${org.id}`}>
        {t('org.grantFor', { name: org.name })}
      </Button>
      <ErrorAlert error={error} />
      {lists ? <MandateSections lists={lists} onChanged={load} idPrefix={`org-${org.id}`} headingLevel="h3" /> : !error && <Loading />}
    </Block>
  );
}

/** Mandates of the organisations the person may sign for. */
export function OrganisationsPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const orgs = me?.kind === 'person' ? me.organizations.filter((o) => o.permittedActions.includes('read-mandates')) : [];
  return (
    <>
      <PageTitle title={t('org.title')}>{t('org.title')}</PageTitle>
      <Paragraph mb="l">{t('org.intro')}</Paragraph>
      {orgs.length === 0 ? <Paragraph>{t('org.none')}</Paragraph> : orgs.map((o) => <OrganisationBlock key={o.id} org={o} />)}
    </>
  );
}
