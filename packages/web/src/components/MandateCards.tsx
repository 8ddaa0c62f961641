import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { Block, Button, Heading, InlineAlert, Paragraph, Text } from 'suomifi-ui-components';
import { api, type Mandate, type MandateLists } from '../api.js';
import { formatDate } from '../dates.js';
import { useNames } from '../session.js';
import { ErrorAlert } from './ui.js';

type Side = 'given' | 'received' | 'requestsIn' | 'requestsOut';

/** The other party: in what I gave, the agent; in what I received, the principal. */
const otherParty = (m: Mandate, side: Side) => (side === 'given' || side === 'requestsIn' ? m.agent : m.principal);

export function StatusBadge({ m }: { m: Mandate }) {
  const { t } = useTranslation();
  return (
    <span className={`status status-${m.status}`} data-testid="status">
      {t(`status.${m.status}`)}
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
        {m.awaitingApprovalFrom && <span> – {t(`awaiting.${m.awaitingApprovalFrom}`)}</span>}
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

/** Revoke or renounce, after a plain confirmation. */
export function EndMandate({ m, action, onDone }: { m: Mandate; action: 'revoke' | 'renounce'; onDone(): void }) {
  const { t } = useTranslation();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const other = action === 'revoke' ? m.agent.name : m.principal.name;
  if (!confirming) {
    return (
      <Button variant="secondary" mr="s" mb="s" onClick={() => setConfirming(true)} data-testid={`${action}-${m.id}`}>
        {t(`actions.${action}`)}
      </Button>
    );
  }
  return (
    <InlineAlert status="warning" mb="s" labelText={t(`confirm.${action}Title`)} data-testid={`confirm-${action}`}>
      <Paragraph mb="s">{t(`confirm.${action}Text`, { name: other })}</Paragraph>
      <ErrorAlert error={error} />
      <Button
        mr="s"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          setError(null);
          try {
            await api('POST', `/api/v1/mandates/${encodeURIComponent(m.id)}/${action}`, {});
            onDone();
          } catch (e) {
            setError(e);
          } finally {
            setBusy(false);
          }
        }}
      >
        {t(`confirm.${action}Yes`)}
      </Button>
      <Button variant="secondary" onClick={() => setConfirming(false)}>
        {t('common.cancel')}
      </Button>
    </InlineAlert>
  );
}

function MandateCard({ m, side, onChanged, level }: { m: Mandate; side: Side; onChanged(): void; level: 'h3' | 'h4' }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const names = useNames();
  const other = otherParty(m, side);
  const can = (a: string) => m.permittedActions.includes(a as never);
  return (
    <li className="card" data-testid="mandate" data-mandate-id={m.id} data-status={m.status}>
      <Heading variant={level} as={level} mb="xs">
        {other.name || t('mandate.unknownName')}
      </Heading>
      <Paragraph mb="xs">
        {m.issues.map((i) => names.issue(i)).join(', ')}
      </Paragraph>
      <Paragraph mb="xs">
        <Text>{t('mandate.validRange', { from: formatDate(m.validFrom, names.lang), until: formatDate(m.validUntil, names.lang) })}</Text>
        {' · '}
        <StatusBadge m={m} />
        {m.awaitingApprovalFrom && <Text> – {t(`awaiting.${m.awaitingApprovalFrom}`)}</Text>}
      </Paragraph>
      {(m.oneOff || m.target || m.municipality) && (
        <Paragraph mb="xs">
          {[
            m.oneOff ? t('mandate.oneOffShort') : null,
            m.target ? `${t('mandate.target')}: ${m.target.id}` : null,
            m.municipality ? `${t('mandate.municipality')}: ${names.municipality(m.municipality)}` : null,
          ].filter(Boolean).join(' · ')}
        </Paragraph>
      )}
      {side === 'requestsIn' && <Paragraph mb="xs">{t('mandate.forPrincipal', { name: m.principal.name })}</Paragraph>}
      <div className="actions">
        {can('decide') && (
          <Button mr="s" mb="s" onClick={() => navigate(`/requests/${encodeURIComponent(m.id)}`)} data-testid={`decide-${m.id}`}>
            {t('actions.decide')}
          </Button>
        )}
        {can('read-log') && (
          <Button variant="secondary" mr="s" mb="s" onClick={() => navigate(`/mandates/${encodeURIComponent(m.id)}`)} data-testid={`log-${m.id}`}>
            {t('actions.viewLog')}
          </Button>
        )}
        {can('revoke') && <EndMandate m={m} action="revoke" onDone={onChanged} />}
        {can('renounce') && <EndMandate m={m} action="renounce" onDone={onChanged} />}
      </div>
    </li>
  );
}

const SECTIONS: Side[] = ['requestsIn', 'given', 'received', 'requestsOut'];

/** The four lists: requests waiting for me, given, received, my requests. */
export function MandateSections({ lists, onChanged, idPrefix, headingLevel = 'h2' }: { lists: MandateLists; onChanged(): void; idPrefix: string; headingLevel?: 'h2' | 'h3' }) {
  const { t } = useTranslation();
  return (
    <>
      {SECTIONS.map((s) => (
        <Block variant="section" key={s} mb="l" aria-labelledby={`${idPrefix}-${s}`} data-testid={`section-${s}`}>
          <Heading variant={headingLevel} as={headingLevel} id={`${idPrefix}-${s}`} mb="s">
            {t(`sections.${s}`)} ({lists[s].length})
          </Heading>
          {lists[s].length === 0 ? (
            <Paragraph>{t(`sections.${s}Empty`)}</Paragraph>
          ) : (
            <ul className="cards">
              {lists[s].map((m) => (
                <MandateCard key={m.id} m={m} side={s} onChanged={onChanged} level={headingLevel === 'h2' ? 'h3' : 'h4'} />
              ))}
            </ul>
          )}
        </Block>
      ))}
    </>
  );
}
