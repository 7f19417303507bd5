import type { Channel } from '../../src/contract/events.js';
import type { MessagingRunSpec } from '../../src/contract/transport.js';
import { ConfigError } from '../../src/contract/errors.js';

/** Every channel of a run, each a topic and a consumer group of the same name. */
const CHANNEL_SET: Readonly<Record<Channel, true>> = { inventory: true, payment: true, shipment: true, order: true, observer: true };
export const KAFKA_CHANNELS = Object.keys(CHANNEL_SET) as Channel[];

/** Topic of a channel: `<prefix>.<channel>`. */
export function topicName(prefix: string, channel: Channel): string {
  return `${prefix}.${channel}`;
}

/** Consumer group of a channel; every member of the channel joins it. Same name as the topic. */
export function groupName(prefix: string, channel: Channel): string {
  return `${prefix}.${channel}`;
}

/** The topic settings a scenario gives (`transport.kafka`), already defaulted by the scenario schema. */
export interface KafkaTopicSettings {
  partitions: number;
  replicationFactor: number;
  minInsyncReplicas: number;
}

function positiveInt(settings: Record<string, unknown>, key: keyof KafkaTopicSettings, fallback: number): number {
  const v = settings[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    throw new ConfigError(`transport.kafka.${key} must be a positive integer, got ${JSON.stringify(v)}`);
  }
  return v;
}

export function topicSettings(spec: MessagingRunSpec): KafkaTopicSettings {
  const s = spec.settings;
  const out = {
    partitions: positiveInt(s, 'partitions', 3),
    replicationFactor: positiveInt(s, 'replicationFactor', 1),
    minInsyncReplicas: positiveInt(s, 'minInsyncReplicas', 1),
  };
  if (out.minInsyncReplicas > out.replicationFactor) {
    throw new ConfigError(
      `transport.kafka.minInsyncReplicas (${out.minInsyncReplicas}) exceeds replicationFactor (${out.replicationFactor}): every acks=all send would fail`,
    );
  }
  return out;
}

/** Consumer timing: small enough that a killed member's partitions move within seconds. */
export const CONSUMER_TIMING = {
  /** the broker's default group.min.session.timeout.ms is 6000 */
  sessionTimeoutMs: 6_000,
  heartbeatIntervalMs: 1_000,
  rebalanceTimeoutMs: 10_000,
  /** broker long-poll of an idle fetch; also how soon an idle member notices a rebalance */
  maxWaitTimeMs: 500,
  /** how long subscribe waits for the member to join the group */
  joinTimeoutMs: 60_000,
} as const;
