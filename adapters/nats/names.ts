/** Names of a NATS run's JetStream objects, and the client's options. Pure, no I/O. */
import type { Channel } from '../../src/contract/events.js';
import { BROKER_RETRY, delayMs } from '../../src/contract/retry.js';
import type { MessagingRunSpec, NatsSettings } from '../../src/contract/transport.js';

/** A run of this adapter: its settings arrive parsed and checked. */
export type NatsRunSpec = MessagingRunSpec<NatsSettings>;

/** Every channel; a Record so that a new Channel fails to compile here. */
const CHANNEL_SET: Record<Channel, true> = { inventory: true, payment: true, shipment: true, order: true, observer: true };
export const NATS_CHANNELS = Object.keys(CHANNEL_SET) as Channel[];

/** Stream of a channel: `<prefix>-<channel>` (stream names may not contain dots). */
export const streamName = (prefix: string, channel: Channel): string => `${prefix}-${channel}`;
/** Subject of one partition of a channel: `<prefix>.<channel>.<partition>`. */
export const subjectOf = (prefix: string, channel: Channel, partition: number): string => `${prefix}.${channel}.${partition}`;
/** Durable pull consumer of one partition. */
export const consumerName = (partition: number): string => `p${partition}`;

/** `host:port` list of the servers, for messages. */
export const addressOf = (servers: string[]): string => servers.join(',');

/** Connection options: after a lost connection the client reconnects under the shared BROKER_RETRY policy, then gives up. */
export function connectOptions(servers: string[], name: string, timeoutMs: number, reconnect = true) {
  let attempt = 0;
  return {
    servers,
    name,
    timeout: timeoutMs,
    maxReconnectAttempts: reconnect ? BROKER_RETRY.retries : 0,
    // nats.js calls this before each reconnect attempt; the attempts of one outage back off
    reconnectDelayHandler: () => delayMs(BROKER_RETRY, Math.min(attempt++, BROKER_RETRY.retries - 1)),
    resetBackoff: () => (attempt = 0),
  };
}
