import { personIsMinor, helsinkiDate } from '@puolesta/domain';
import type { NotifyConfig } from '../config.js';
import type { Db } from '../db/database.js';
import { allPersonContacts } from '../repositories/registers.repository.js';
import { startSimulators, type Simulators } from '../simulators/index.js';
import { createEmailChannel } from './channels/email.js';
import { createPaperChannel } from './channels/paper.js';
import { createSmsChannel } from './channels/sms.js';
import { createSuomifiChannel } from './channels/suomifi-messages.js';
import type { ChannelAdapter, ChannelName, DemoOutboxSource, SimulatedDelivery } from './types.js';

/** The channels configured (the real services in production, the local simulators in the demo). A channel not configured is skipped: its messages go on to the next channel of their chain. */
export function channelsFromConfig(c: NotifyConfig): Map<ChannelName, ChannelAdapter> {
  const out = new Map<ChannelName, ChannelAdapter>();
  if (c.smtpUrl) out.set('email', createEmailChannel({ url: c.smtpUrl, from: c.mailFrom }));
  if (c.suomifi) out.set('suomifi', createSuomifiChannel({ baseUrl: c.suomifi.url, username: c.suomifi.username, password: c.suomifi.password, serviceId: c.suomifi.serviceId }));
  if (c.sms) out.set('sms', createSmsChannel({ baseUrl: c.sms.url, token: c.sms.token, sender: c.sms.sender }));
  if (c.print) out.set('paper', createPaperChannel({ baseUrl: c.print.url, ...(c.print.token ? { token: c.print.token } : {}) }));
  return out;
}

/**
 * Demo mode: local simulators of every channel the configuration leaves unset, reached through the
 * same adapters as production. Everyone in the demo register who does not prefer paper has a
 * Suomi.fi mailbox (adults only, as in the real service).
 */
export async function startDemoChannels(db: Db, c: NotifyConfig, now: Date): Promise<{ notify: NotifyConfig; simulators: Simulators; outbox: DemoOutboxSource }> {
  const persons = await allPersonContacts(db);
  const today = helsinkiDate(now);
  const simulators = await startSimulators({
    persons: persons.map((p) => ({
      id: p.id, name: `${p.first_name} ${p.last_name}`,
      hasMailbox: !personIsMinor(p.id, today) && (p.contact as { preferredChannel?: string } | null)?.preferredChannel !== 'paper',
    })),
  });
  const s = simulators.config;
  const notify: NotifyConfig = {
    ...c,
    smtpUrl: c.smtpUrl ?? s.smtpUrl,
    suomifi: c.suomifi ?? { url: s.suomifiUrl, username: s.suomifiUsername, password: s.suomifiPassword, serviceId: 'puolesta-demo' },
    sms: c.sms ?? { url: s.smsUrl, token: s.smsToken, sender: 'Puolesta' },
    print: c.print ?? { url: s.printUrl },
  };
  return { notify, simulators, outbox: httpOutbox({ smtp: simulators.smtp.url, suomifi: simulators.suomifi.url, sms: simulators.sms.url, print: simulators.print.url }) };
}

/** The demo outbox read over HTTP from the simulators' own inspection endpoints (what they actually received). */
export function httpOutbox(urls: { smtp: string; suomifi: string; sms: string; print: string }): DemoOutboxSource {
  const get = async (url: string) => {
    const r = await fetch(url, { signal: AbortSignal.timeout(3000) });
    return r.ok ? r : null;
  };
  return {
    async received() {
      const lists = await Promise.all(Object.values(urls).map(async (u) => {
        const r = await get(`${u}/_simulator/received`).catch(() => null);
        return r ? ((await r.json()) as { deliveries: SimulatedDelivery[] }).deliveries : [];
      }));
      return lists.flat().sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
    },
    async content(channel, id) {
      const url = channel === 'email'
        ? `${urls.smtp}/_simulator/messages/${encodeURIComponent(id)}/html`
        : `${urls.print}/_simulator/jobs/${encodeURIComponent(id)}/pdf`;
      const r = await get(url).catch(() => null);
      if (!r) return null;
      return { type: channel === 'email' ? 'text/html; charset=utf-8' : 'application/pdf', body: Buffer.from(await r.arrayBuffer()) };
    },
  };
}
