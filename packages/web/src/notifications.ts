/**
 * What the header shows of notifications: the unread count (refreshed on navigation, every 30 s, and
 * at once when a message is opened) and whether the demo outbox answers (demo mode only).
 */
import { useEffect, useState, useSyncExternalStore } from 'react';
import { useLocation } from 'react-router';
import { client, unwrap, type Answer } from './api.js';
import { can } from './session.js';
import type { Me } from './api.js';

export type Messages = Answer<'/api/v1/me/messages', 'get'>;
export type Message = Messages['messages'][number];
export type Settings = Answer<'/api/v1/me/settings', 'get'>;
export type Delivery = Answer<'/api/v1/admin/deliveries', 'get'>['deliveries'][number];
export type DemoDelivery = Answer<'/api/v1/demo/outbox', 'get'>['deliveries'][number];

const listeners = new Set<() => void>();
let unread = 0;

/** The unread count as the messages page last saw it (or the header's last poll). */
export function setUnread(n: number): void {
  if (n === unread) return;
  unread = n;
  for (const l of listeners) l();
}
const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};

export const fetchMessages = () => unwrap<Messages>(client.GET('/api/v1/me/messages'));

/** The session's unread count; polled when the session may read its messages. */
export function useUnreadCount(me: Me | null): number {
  const { pathname } = useLocation();
  const allowed = can(me, 'message.list-own');
  const who = me?.name;
  useEffect(() => {
    if (!allowed) {
      setUnread(0);
      return;
    }
    let live = true;
    const poll = () => unwrap<{ unread: number }>(client.GET('/api/v1/me/messages/unread')).then((m) => live && setUnread(m.unread), () => undefined);
    poll();
    const timer = setInterval(poll, 30_000);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [allowed, who, pathname]);
  return useSyncExternalStore(subscribe, () => unread);
}

let outboxAnswer: Promise<boolean> | null = null;
/** Does `GET /api/v1/demo/outbox` answer 200 (demo mode)? Asked once per page load. */
export function demoOutboxAvailable(): Promise<boolean> {
  outboxAnswer ??= client.GET('/api/v1/demo/outbox').then((r) => r.response.ok, () => false);
  return outboxAnswer;
}

/** True once the demo outbox has answered 200: the links to it show only then. */
export function useDemoOutbox(): boolean {
  const [ok, setOk] = useState(false);
  useEffect(() => {
    let live = true;
    void demoOutboxAvailable().then((v) => live && setOk(v));
    return () => {
      live = false;
    };
  }, []);
  return ok;
}
