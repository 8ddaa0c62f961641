import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { Button, Paragraph } from 'suomifi-ui-components';
import { api, type MandateLists } from '../api.js';
import { useSession } from '../session.js';
import { MandateSections } from '../components/MandateCards.js';
import { ErrorAlert, Loading, PageTitle } from '../components/ui.js';

export function HomePage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const navigate = useNavigate();
  const [lists, setLists] = useState<MandateLists | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(() => {
    api<MandateLists>('GET', '/api/v1/me/mandates').then((l) => {
      setLists(l);
      setError(null);
    }, setError);
  }, []);
  useEffect(load, [load]);

  const firstName = me?.kind === 'person' ? me.person.firstName : '';
  return (
    <>
      <PageTitle title={t('home.title')}>{t('home.title')}</PageTitle>
      <Paragraph mb="m">{t('home.intro', { name: firstName })}</Paragraph>
      <div className="actions">
        <Button mr="s" mb="l" onClick={() => navigate('/grant')} data-testid="go-grant">{t('nav.grant')}</Button>
        <Button variant="secondary" mb="l" onClick={() => navigate('/request')} data-testid="go-request">{t('nav.request')}</Button>
      </div>
      <ErrorAlert error={error} />
      {lists ? <MandateSections lists={lists} onChanged={load} idPrefix="my" /> : !error && <Loading />}
    </>
  );
}
