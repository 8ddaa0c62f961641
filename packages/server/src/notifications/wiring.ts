import type { NotifyConfig } from '../config.js';
import type { ChannelAdapter, ChannelName } from './types.js';

/** The channels configured (production services, or the demo's simulators). */
export function channelsFromConfig(_c: NotifyConfig): Map<ChannelName, ChannelAdapter> {
  return new Map();
}
