import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { Block, Button, Heading, InlineAlert, Paragraph, Text } from 'suomifi-ui-components';
import { api, newIdempotencyKey, type Created, type Mandate, type MandateLists } from '../api.js';
import { formatDate } from '../dates.js';
import { useNames } from '../session.js';
import { ErrorAlert } from './ui.js';

type Side = 'given' | 'received' | 'requestsIn' | 'requestsOut';

/** The other party, from the caller's side the server gives: on the principal's side (I, or whom I decide for, give it) the agent; else the principal. */
export const otherParty = (m: Mandate) => (m.side === 'principal' ? m.agent : m.principal);

/** What an action did, for the confirmation the page shows (and moves focus to). */
export interface ActionDone { title: string; text?: string }

/** A mandate's state in words: one withdrawn or cancelled while it still waited never took effect, and says so. */
export const statusKey = (m: Pick<Mandate, 'status' | 'endedWhilePending'>) =>
  m.endedWhilePending ? (m.status === 'revoked' ? 'status.withdrawnPending' : 'status.cancelledPending') : `status.${m.status}`;

export function StatusBadge({ m }: { m: Mandate }) {
  const { t } = useTranslation();
  return (
    <span className={`status status-${m.status}`} data-testid="status">
      {t(statusKey(m))}
    </span>
  );
}

/** What a mandate covers, in words. */
export function MandateFacts({ m }: { m: Mandate }) {
  const { t } = useTranslation();
  const names = useNames();
  return (
    <dl className="facts">
      <dt>{t('mandate.principal')}</dt>
      <dd>{m.principal.name}</dd>
      <dt>{t('mandate.agent')}</dt>
      <dd>{m.agent.name}</dd>
      <dt>{t('mandate.matters')}</dt>
      <dd>
        {m.bundle && <div>{names.bundle(m.bundle)}:</div>}
        <ul className="plain-list">
          {m.issues.map((i) => (
            <li key={i}>{names.issue(i)}</li>
          ))}
        </ul>
      </dd>
      <dt>{t('mandate.valid')}</dt>
      <dd>{t('mandate.validRange', { from: formatDate(m.validFrom, names.lang), until: formatDate(m.validUntil, names.lang) })}</dd>
      <dt>{t('mandate.status')}</dt>
      <dd>
        <StatusBadge m={m} />
        <PendingStory m={m} />
      </dd>
      {m.oneOff && (
        <>
          <dt>{t('mandate.oneOff')}</dt>
          <dd>{t('mandate.oneOffText')}</dd>
        </>
      )}
      {m.target && (
        <>
          <dt>{t('mandate.target')}</dt>
          <dd data-testid="mandate-target">{m.target.address ?? m.target.id}{m.target.address && <><br /><span className="muted property-id">{t('chrome.propertyId', { id: m.target.id })}</span></>}</dd>
        </>
      )}
      <dt>{t('mandate.municipality')}</dt>
      <dd>{m.municipality ? names.municipality(m.municipality) : t('mandate.allMunicipalities')}</dd>
      {m.source === 'paper' && (
        <>
          <dt>{t('mandate.source')}</dt>
          <dd>{t('mandate.fromPaper')}</dd>
        </>
      )}
    </dl>
  );
}

/**
 * Who started a pending item and whom it waits for, told from the reader's side: a grant another
 * guardian or signatory started and that waits for my approval; a request to me; or (anything else
 * pending) who gave or asked for it, who has approved, and whose approval it still waits for.
 */
export function PendingStory({ m }: { m: Mandate }) {
  const { t } = useTranslation();
  if (m.status !== 'requested') return null;
  const can = (a: string) => m.permittedActions.includes(a as never);
  const list = (ps: readonly { name: string }[]) => ps.map((p) => p.name).join(', ');
  const base = { agent: m.agent.name, principal: m.principal.name, startedBy: m.startedBy?.name ?? '', approvedBy: list(m.approvedBy) };
  const lines: string[] = [];
  if (can('approve')) {
    lines.push(t(m.source === 'request' ? 'views.story.approveRequest' : 'views.story.approveGrant', base));
  } else if (can('decide')) {
    lines.push(t('views.story.request', base));
  } else {
    if (m.startedBy) lines.push(t(m.source === 'request' ? 'views.story.startedRequest' : 'views.story.startedGrant', base));
    if (m.source === 'request' && m.approvedBy.length > 0) lines.push(t('views.story.approvedBy', { names: base.approvedBy }));
    lines.push(m.waitingFor && m.waitingFor.length > 0 ? t('views.story.waitsFor', { names: list(m.waitingFor) })
      : m.awaitingApprovalFrom === 'second-signatory' ? t('views.story.waitsForSecondSignatory') : t('views.story.waitsForPrincipal'));
  }
  return (
    <span className="story" data-testid="story">
      {lines.map((l, i) => <span key={i} className="story-line">{l}</span>)}
    </span>
  );
}

type EndAction = 'revoke' | 'renounce' | 'withdraw' | 'cancel';
/** The endpoint each ending goes to: a pending grant is withdrawn like a revocation, a request cancelled like a renouncement. */
const ENDPOINT: Record<EndAction, 'revoke' | 'renounce'> = { revoke: 'revoke', withdraw: 'revoke', renounce: 'renounce', cancel: 'renounce' };
const ACTION_LABEL: Record<EndAction, string> = { revoke: 'actions.revoke', renounce: 'actions.renounce', withdraw: 'views.actions.withdraw', cancel: 'views.actions.cancel' };

/** A confirmation step before an action; on yes, the call, then `onDone` with what happened. */
function Confirmed({ name, label, testId, variant = 'secondary', title, text, yes, run, onDone }: {
  name: string; label: string; testId: string; variant?: 'default' | 'secondary'; title: string; text: string; yes: string;
  run(): Promise<ActionDone>; onDone(d: ActionDone): void;
}) {
  const { t } = useTranslation();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  if (!confirming) {
    return (
      <Button variant={variant} mr="s" mb="s" onClick={() => setConfirming(true)} data-testid={testId}>
        {label}
      </Button>
    );
  }
  return (
    <InlineAlert status="warning" mb="s" labelText={title} data-testid={`confirm-${name}`}>
      <Paragraph mb="s">{text}</Paragraph>
      <ErrorAlert error={error} />
      <Button
        mr="s"
        mb="s"
        disabled={busy}
        data-testid={`yes-${testId}`}
        onClick={async () => {
          setBusy(true);
          setError(null);
          try {
            const d = await run();
            setConfirming(false);
            onDone(d);
          } catch (e) {
            setError(e);
          } finally {
            setBusy(false);
          }
        }}
      >
        {yes}
      </Button>
      <Button variant="secondary" mb="s" onClick={() => setConfirming(false)}>
        {t('common.cancel')}
      </Button>
    </InlineAlert>
  );
}

/** Revoke, renounce, withdraw or cancel, after a plain confirmation. */
export function EndMandate({ m, action, onDone }: { m: Mandate; action: EndAction; onDone(d: ActionDone): void }) {
  const { t } = useTranslation();
  const other = otherParty(m).name;
  const text = action === 'revoke' ? (m.onBehalfOf ? t('views.confirm.revokeTextFor', { name: m.agent.name, principal: m.principal.name }) : t('confirm.revokeText', { name: other }))
    : action === 'renounce' ? t('confirm.renounceText', { name: other })
      : t(`views.confirm.${action}Text`, { agent: m.agent.name });
  const title = action === 'revoke' || action === 'renounce' ? t(`confirm.${action}Title`) : t(`views.confirm.${action}Title`);
  const yes = action === 'revoke' || action === 'renounce' ? t(`confirm.${action}Yes`) : t(`views.confirm.${action}Yes`);
  return (
    <Confirmed
      name={action} label={t(ACTION_LABEL[action])} testId={`${action}-${m.id}`} title={title} text={text} yes={yes} onDone={onDone}
      run={async () => {
        await api('POST', `/api/v1/mandates/${encodeURIComponent(m.id)}/${ENDPOINT[action]}`, {});
        return { title: t(`views.done.${action}`, { name: m.agent.name }) };
      }}
    />
  );
}

/** Approve or refuse a grant another guardian or signatory started (the `approve` action). */
export function ApproveMandate({ m, onDone }: { m: Mandate; onDone(d: ActionDone): void }) {
  const { t } = useTranslation();
  const [sendKey] = useState(newIdempotencyKey);
  const decide = (decision: 'grant' | 'reject') => api<Created>('POST', `/api/v1/mandate-requests/${encodeURIComponent(m.id)}/decision`, { decision }, { idempotencyKey: sendKey });
  const names = { agent: m.agent.name, principal: m.principal.name };
  return (
    <>
      <Confirmed
        name="approve" variant="default" label={t('views.actions.approve')} testId={`approve-${m.id}`}
        title={t('views.confirm.approveTitle')} text={t('views.confirm.approveText', names)} yes={t('views.confirm.approveYes')} onDone={onDone}
        run={async () => {
          const r = await decide('grant');
          return { title: t('views.done.approve'), text: t(r.status === 'active' ? 'views.done.approveActive' : 'views.done.approveWaits') };
        }}
      />
      <Confirmed
        name="refuse" label={t('views.actions.refuse')} testId={`refuse-${m.id}`}
        title={t('views.confirm.refuseTitle')} text={t('views.confirm.refuseText', names)} yes={t('views.confirm.refuseYes')} onDone={onDone}
        run={async () => {
          await decide('reject');
          return { title: t('views.done.refuse') };
        }}
      />
    </>
  );
}

/** The actions the server permits on a mandate, each in its own words. */
export function MandateActions({ m, onDone, withLog }: { m: Mandate; onDone(d: ActionDone): void; withLog: boolean }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const can = (a: string) => m.permittedActions.includes(a as never);
  return (
    <div className="actions">
      {can('decide') && (
        <Button mr="s" mb="s" onClick={() => navigate(`/requests/${encodeURIComponent(m.id)}`)} data-testid={`decide-${m.id}`}>
          {t('actions.decide')}
        </Button>
      )}
      {can('approve') && <ApproveMandate m={m} onDone={onDone} />}
      {withLog && can('read-log') && (
        <Button variant="secondary" mr="s" mb="s" onClick={() => navigate(`/mandates/${encodeURIComponent(m.id)}`)} data-testid={`log-${m.id}`}>
          {t('actions.viewLog')}
        </Button>
      )}
      {(['revoke', 'withdraw', 'renounce', 'cancel'] as const).filter(can).map((a) => <EndMandate key={a} m={m} action={a} onDone={onDone} />)}
    </div>
  );
}

function MandateCard({ m, onDone, level }: { m: Mandate; onDone(d: ActionDone): void; level: 'h3' | 'h4' | 'h5' }) {
  const { t } = useTranslation();
  const names = useNames();
  const other = otherParty(m);
  return (
    <li className="card" data-testid="mandate" data-mandate-id={m.id} data-status={m.status}>
      <Heading variant={level === 'h5' ? 'h4' : level} as={level} mb="xs">
        {other.name || t('mandate.unknownName')}
      </Heading>
      {m.onBehalfOf && <Paragraph mb="xs" data-testid="for-party">{t('views.forParty', { name: m.onBehalfOf.name })}</Paragraph>}
      <Paragraph mb="xs">
        {m.issues.map((i) => names.issue(i)).join(', ')}
      </Paragraph>
      <Paragraph mb="xs">
        <Text>{t('mandate.validRange', { from: formatDate(m.validFrom, names.lang), until: formatDate(m.validUntil, names.lang) })}</Text>
        {' · '}
        <StatusBadge m={m} />
      </Paragraph>
      {m.status === 'requested' && <Paragraph mb="xs"><PendingStory m={m} /></Paragraph>}
      {(m.oneOff || m.target || m.municipality) && (
        <Paragraph mb="xs">
          {[
            m.oneOff ? t('mandate.oneOffShort') : null,
            m.target ? `${t('mandate.target')}: ${m.target.address ?? m.target.id}` : null,
            m.municipality ? `${t('mandate.municipality')}: ${names.municipality(m.municipality)}` : null,
          ].filter(Boolean).join(' · ')}
        </Paragraph>
      )}
      <MandateActions m={m} onDone={onDone} withLog />
    </li>
  );
}

const SECTIONS: Side[] = ['requestsIn', 'given', 'received', 'requestsOut'];

/**
 * Lists of mandates, each a section: by default the four of one's own page. `labels` 'party' names
 * them as seen for a child, ward or organisation; `sections` chooses which to show.
 */
export function MandateSections({ lists, onDone, idPrefix, headingLevel = 'h2', sections = SECTIONS, labels = 'own' }: {
  lists: MandateLists; onDone(d: ActionDone): void; idPrefix: string; headingLevel?: 'h2' | 'h3' | 'h4'; sections?: readonly Side[]; labels?: 'own' | 'party';
}) {
  const { t } = useTranslation();
  const label = (k: string) => t(labels === 'party' ? `views.partySections.${k}` : `sections.${k}`);
  return (
    <>
      {sections.map((s) => (
        <Block variant="section" key={s} mb="l" aria-labelledby={`${idPrefix}-${s}`} data-testid={`section-${s}`}>
          <Heading variant={headingLevel} as={headingLevel} id={`${idPrefix}-${s}`} mb="s">
            {label(s)} ({lists[s].length})
          </Heading>
          {lists[s].length === 0 ? (
            <Paragraph>{label(`${s}Empty`)}</Paragraph>
          ) : (
            <ul className="cards">
              {lists[s].map((m) => (
                <MandateCard key={m.id} m={m} onDone={onDone} level={headingLevel === 'h2' ? 'h3' : headingLevel === 'h3' ? 'h4' : 'h5'} />
              ))}
            </ul>
          )}
        </Block>
      ))}
    </>
  );
}
