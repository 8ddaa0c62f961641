/**
 * Pieces the errand pages share: the status in plain words, who acts for whom on which basis, the
 * parties with their answers, the box that says which mandate is needed, and the events.
 */
import { Fragment, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Heading, InlineAlert, Paragraph } from 'suomifi-ui-components';
import type { MunicipalServiceDetail } from '../api.js';
import { formatDate, formatDateTime } from '../dates.js';
import type { Errand, ErrandParty, ErrandStatus } from '../errands.js';
import { useNames } from '../session.js';

type T = (key: string, opts?: Record<string, unknown>) => string;

export function ErrandStatusBadge({ status, testId }: { status: ErrandStatus; testId?: string }) {
  const { t } = useTranslation();
  return (
    <span className={`status errand-status-${status}`} data-testid={testId} data-status={status}>
      {t(`errands.status.${status}`)}
    </span>
  );
}

/** "Sanna Lindholm, guardian of Ella Nyström": who acts, on which basis, for whom. */
export function basisText(e: Pick<Errand, 'actor' | 'basis' | 'principal' | 'subject'>, t: T): string {
  if (!e.actor) return t('errands.basis.eService');
  const actor = e.actor.name;
  const principal = e.principal?.name ?? e.subject.name;
  if (!e.basis) return t('errands.basis.none', { actor, principal });
  const kind = e.basis.kind === 'mandate' && e.basis.oneOff ? 'mandate-one-off' : e.basis.kind;
  return t(`errands.basis.${kind}`, { actor, principal, defaultValue: actor });
}

/** What the errand tells of itself: reference, service, municipality, whom it concerns, who acts and how, dates. */
export function ErrandFacts({ e }: { e: Errand }) {
  const { t } = useTranslation();
  const names = useNames();
  return (
    <dl className="facts" data-testid="errand-facts">
      <dt>{t('errands.facts.ref')}</dt>
      <dd data-testid="errand-ref">{e.ref}</dd>
      <dt>{t('errands.facts.service')}</dt>
      <dd>{e.serviceName[names.lang]}</dd>
      <dt>{t('errands.facts.municipality')}</dt>
      <dd>{names.municipality(e.municipality)}</dd>
      <dt>{t('errands.facts.subject')}</dt>
      <dd data-testid="errand-subject">{e.subject.name || e.subject.id}</dd>
      <dt>{e.actor ? t('errands.facts.applicant') : t('errands.facts.requestedBy')}</dt>
      <dd data-testid="errand-basis">{basisText(e, t)}</dd>
      {e.kind === 'party-request' && e.document && (
        <>
          <dt>{t('errands.facts.document')}</dt>
          <dd>
            <div>{e.document.title}</div>
            {e.document.summary && <div className="errand-text">{e.document.summary}</div>}
            {e.document.url && <div><a href={e.document.url} rel="noreferrer noopener" target="_blank">{t('errands.facts.openDocument')}</a></div>}
            <div className="muted digest">{t('errands.facts.digest', { sha256: e.document.sha256 })}</div>
          </dd>
        </>
      )}
      <dt>{t('errands.facts.status')}</dt>
      <dd><ErrandStatusBadge status={e.status} /></dd>
      {e.submittedAt && (
        <>
          <dt>{t('errands.facts.sent')}</dt>
          <dd>{formatDateTime(e.submittedAt, names.lang)}</dd>
        </>
      )}
      {e.deadline && (
        <>
          <dt>{t('errands.facts.deadline')}</dt>
          <dd data-testid="errand-deadline">{formatDate(e.deadline, names.lang)}</dd>
        </>
      )}
      <dt>{t('errands.facts.started')}</dt>
      <dd>{formatDateTime(e.createdAt, names.lang)}</dd>
    </dl>
  );
}

/**
 * The parties: a table on wide screens, cards on narrow ones. In a draft each says what will be asked
 * of them; afterwards their answer and when it came. A page may add a `panel` under a party (a row
 * of its own, e.g. buttons and a small form) and `children` after the table.
 */
export function PartiesTable({ e, headingLevel = 'h2', panel, children }: {
  e: Errand;
  headingLevel?: 'h2' | 'h3';
  panel?: (p: ErrandParty, i: number) => ReactNode;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  const names = useNames();
  const id = `parties-${e.id}`;
  const draft = e.status === 'draft';
  const ask = (p: Errand['parties'][number]) => (p.represented ? t('errands.parties.represented') : t(`errands.ask.${e.involvement}`));
  // A party several answer for together (an organisation's joint signatories, a child's guardians):
  // some have answered, so there is a time, but the party has not answered yet.
  const partly = (p: Errand['parties'][number]) => p.response === 'pending' && !!p.answeredAt && (e.involvement === 'sign' || e.involvement === 'confirm');
  return (
    <section aria-labelledby={id} className="errand-section">
      <Heading variant={headingLevel} as={headingLevel} id={id} mb="s">{t('errands.parties.heading')}</Heading>
      {e.parties.length === 0 ? (
        <Paragraph mb="m" data-testid="no-parties">{t('errands.parties.none')}</Paragraph>
      ) : (
        <table className="log-table card-table" aria-labelledby={id} data-testid="parties">
          <thead>
            <tr>
              <th scope="col">{t('errands.parties.name')}</th>
              <th scope="col">{t('errands.parties.asked')}</th>
              <th scope="col">{t('errands.parties.response')}</th>
              <th scope="col">{t('errands.parties.when')}</th>
            </tr>
          </thead>
          <tbody>
            {e.parties.map((p, i) => {
              const extra = panel?.(p, i);
              return (
                <Fragment key={`${p.type}:${p.id}`}>
                  <tr data-testid={`party-${i}`} data-response={p.response} data-partly={partly(p) || undefined} className={extra ? 'has-panel' : undefined}>
                    <th scope="row" data-label={t('errands.parties.name')}>
                      {p.name || t('errands.parties.unknownName')}
                      {p.source === 'entered' && <span className="muted"> ({t('errands.parties.entered')})</span>}
                      {p.contact && (p.contact.email || p.contact.phone) && (
                        <div className="muted party-contact" data-testid={`contact-${i}-line`}>{t('errands.parties.contact', { contact: [p.contact.email, p.contact.phone].filter(Boolean).join(', ') })}</div>
                      )}
                    </th>
                    <td data-label={t('errands.parties.asked')}>{ask(p)}</td>
                    <td data-label={t('errands.parties.response')}>
                      {draft ? t('errands.parties.notYetAsked') : partly(p) ? t(`errands.parties.partly_${e.involvement}`) : t(`errands.response.${p.response}`)}
                      {p.declineReason && <div className="errand-text" data-testid="decline-reason">{t('errands.parties.reason', { reason: p.declineReason })}</div>}
                    </td>
                    <td data-label={t('errands.parties.when')}>{p.answeredAt ? formatDateTime(p.answeredAt, names.lang) : '–'}</td>
                  </tr>
                  {extra ? <tr className="party-panel" data-testid={`contact-${i}-panel`}><td colSpan={4}><div className="party-panel-inner">{extra}</div></td></tr> : null}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      )}
      {children}
    </section>
  );
}

/**
 * No basis for acting yet (situation A): which mandate is needed, from whom, for what and how long,
 * and that it is asked for when the errand is sent.
 */
export function MandateNeeded({ e, service }: { e: Errand; service: MunicipalServiceDetail | null }) {
  const { t } = useTranslation();
  const names = useNames();
  const principal = e.principal ?? e.subject;
  const issues = (service?.issues ?? []).map((i) => names.issue(i)).join(', ');
  const duration = service?.recommendedMandate === 'one-off' ? t('errands.mandateNeeded.oneOff') : t('errands.mandateNeeded.longTerm');
  const from = principal.type === 'organization' ? t('errands.mandateNeeded.fromOrganization', { name: principal.name }) : t('errands.mandateNeeded.fromPerson', { name: principal.name });
  return (
    <InlineAlert status="warning" mb="m" labelText={t('errands.mandateNeeded.title')} data-testid="mandate-needed">
      <Paragraph mb="xs">{t('errands.mandateNeeded.text', { from })}</Paragraph>
      {issues && <Paragraph mb="xs">{t('errands.mandateNeeded.issues', { issues })}</Paragraph>}
      <Paragraph mb="xs">{t('errands.mandateNeeded.duration', { duration })}</Paragraph>
      <Paragraph>{e.status === 'awaiting-mandate' ? t('errands.mandateNeeded.asked') : t('errands.mandateNeeded.whenSent')}</Paragraph>
    </InlineAlert>
  );
}

/** What happened to the errand, oldest first, with who did it. */
export function ErrandEvents({ e }: { e: Errand }) {
  const { t } = useTranslation();
  const names = useNames();
  if (e.events.length === 0) return null;
  return (
    <section aria-labelledby="errand-events" className="errand-section">
      <Heading variant="h2" id="errand-events" mb="s">{t('errands.events.heading')}</Heading>
      <ol className="timeline" data-testid="errand-events">
        {e.events.map((ev, i) => (
          <li key={i} data-event={ev.type}>
            <span className="timeline-time">{formatDateTime(ev.at, names.lang)}</span>{' '}
            <span className="timeline-what">{t(`errands.events.${ev.type.replace(/^errand\./, '')}`, { defaultValue: ev.type })}</span>
            {ev.by ? <span className="timeline-by"> – {ev.by}</span> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
