/** Names of the broker objects a run uses. */
import type { Channel } from '../../src/contract/events.js';

/** Every channel there is; the record makes the compiler notice a channel added to the contract. */
const CHANNEL_SET: Record<Channel, true> = { inventory: true, payment: true, shipment: true, order: true, observer: true };
export const ALL_CHANNELS = Object.keys(CHANNEL_SET) as Channel[];

/** Physical queue name of a channel, e.g. `bench-1a2b.inventory`. */
export function queueName(prefix: string, channel: Channel): string {
  return `${prefix}.${channel}`;
}

/** STOMP destination of a channel, e.g. `/queue/bench-1a2b.inventory`. */
export function destinationOf(prefix: string, channel: Channel): string {
  return `/queue/${queueName(prefix, channel)}`;
}

/** ActiveMQ's individual dead-letter queue for a queue (`DLQ.` prefix in the harness's broker config). */
export function deadLetterQueueName(queue: string): string {
  return `DLQ.${queue}`;
}

/** The channel a physical queue name belongs to under `prefix`, if any. */
export function channelOf(prefix: string, queue: string, channels: readonly Channel[]): Channel | undefined {
  return channels.find((c) => queueName(prefix, c) === queue);
}
