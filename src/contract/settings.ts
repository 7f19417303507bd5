/**
 * Each messaging transport's settings as its adapter receives them: parsed, defaulted
 * and checked once, when the scenario is loaded (src/scenario/schema.ts builds these
 * types from the scenario file and a compile-time check keeps the two in step).
 * Adapters read them as they are and never parse them again. Types only.
 */

export interface KafkaSettings {
  partitions: number;
  replicationFactor: number;
  /** at most replicationFactor (checked when the scenario is loaded) */
  minInsyncReplicas: number;
}

export interface RabbitMqSettings {
  /** unacknowledged messages per consumer (one consumer per shard queue) */
  prefetch: number;
  /** queues per channel that customers are hashed onto, each with a single active consumer */
  shards: number;
  queueType: 'classic' | 'quorum';
}

export interface ActiveMqSettings {
  /** unacknowledged messages per member (`activemq.prefetchSize`) */
  prefetch: number;
}

/** Settings of every messaging transport, by transport name. */
export interface MessagingSettings {
  kafka: KafkaSettings;
  rabbitmq: RabbitMqSettings;
  activemq: ActiveMqSettings;
}
