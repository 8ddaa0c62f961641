import { useTranslation } from 'react-i18next';
import { InlineAlert, Paragraph } from 'suomifi-ui-components';
import type { Mandate } from '../api.js';
import { formatDate } from '../dates.js';
import { useNames } from '../session.js';

/**
 * A request granted narrower than asked (issue 10): what was asked beside what was given, from the
 * mandate's `askedFor` (GET /api/v1/mandates/{id}). Nothing when the request was granted as asked.
 * For the mandate's page (MandatePage), where the agent reads it.
 */
export function NarrowedNote({ m }: { m: Pick<Mandate, 'issues' | 'validUntil' | 'askedFor'> }) {
  const { t } = useTranslation();
  const names = useNames();
  const asked = m.askedFor;
  if (!asked) return null;
  const leftOut = asked.issues.filter((i) => !m.issues.includes(i));
  return (
    <InlineAlert mb="m" labelText={t('forms.narrowedNote')} data-testid="narrowed-note">
      {leftOut.length > 0 && <Paragraph>{t('forms.narrowedLeftOut', { issues: leftOut.map((i) => names.issue(i)).join(', ') })}</Paragraph>}
      {asked.validUntil !== m.validUntil && (
        <Paragraph>{t('forms.narrowedUntil', { asked: formatDate(asked.validUntil, names.lang), given: formatDate(m.validUntil, names.lang) })}</Paragraph>
      )}
    </InlineAlert>
  );
}
