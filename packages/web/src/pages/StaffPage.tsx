import { useTranslation } from 'react-i18next';
import { InlineAlert, Paragraph } from 'suomifi-ui-components';
import { can, useSession } from '../session.js';
import { AppLink, PageTitle } from '../components/ui.js';

/** The service point works by the same rules as online: said on every caseworker page. */
export function ParityNote() {
  const { t } = useTranslation();
  return (
    <InlineAlert status="warning" mb="l" labelText={t('staff.parityTitle')} data-testid="parity">
      {t('staff.parityText')}
    </InlineAlert>
  );
}

/** Back to the customer service page. */
export function StaffBackLink() {
  const { t } = useTranslation();
  return (
    <p className="staff-back no-print">
      <AppLink to="/staff" testId="staff-back">{t('caseworker.back')}</AppLink>
    </p>
  );
}

/** The caseworker's tasks, each shown only when the session's `permittedActions` allow it. */
const TASKS = [
  { action: 'staff.check', to: '/staff/check', key: 'check' },
  { action: 'paper-mandate.register', to: '/staff/paper-mandates/new', key: 'paper' },
  { action: 'staff.person-mandates', to: '/staff/people', key: 'people' },
  { action: 'errand.queue', to: '/staff/errands', key: 'errands' },
] as const;

/** Customer service (`/staff`): what the caseworker may do here, one link each. */
export function StaffPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const tasks = TASKS.filter((x) => can(me, x.action));
  return (
    <>
      <PageTitle title={t('staff.title')}>{t('staff.title')}</PageTitle>
      <ParityNote />
      {tasks.length === 0 ? <Paragraph>{t('staff.notCaseworker')}</Paragraph> : (
        <ul className="staff-tasks" data-testid="staff-tasks">
          {tasks.map((x) => (
            <li key={x.key}>
              <AppLink to={x.to} testId={`staff-task-${x.key}`}>{t(`caseworker.tasks.${x.key}`)}</AppLink>
              <Paragraph>{t(`caseworker.tasks.${x.key}Text`)}</Paragraph>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
