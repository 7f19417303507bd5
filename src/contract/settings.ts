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
  /**
   * the client library that publishes and consumes: kafkajs (JavaScript), or librdkafka
   * through the optional @confluentinc/kafka-javascript; absent means kafkajs
   */
  client?: 'kafkajs' | 'librdkafka';
  /**
   * kafkajs client: ms between commits of a member's handled offsets (also committed
   * when a rebalance begins and when the member stops); 0 commits after every fetched
   * batch. The librdkafka client keeps one commit in flight instead and ignores it
   */
  commitInterval: number;
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

export interface NatsSettings {
  /** subjects per channel that customers are hashed onto, each with its own durable pull consumer */
  partitions: number;
  /** unacknowledged messages per partition consumer (the consumer's max_ack_pending) */
  maxAckPending: number;
  /** how long the server waits for an acknowledgement before it redelivers, ms */
  ackWait: number;
  /** where the streams keep messages */
  storage: 'file' | 'memory';
  /** copies of each stream in a JetStream cluster */
  replicas: number;
}

export interface RedisSettings {
  /** streams per channel that customers are hashed onto, each read by one member */
  shards: number;
  /** entries a member holds read and not yet acknowledged (XREADGROUP COUNT bound) */
  prefetch: number;
}

export interface MqttSettings {
  /** topics per channel that customers are hashed onto */
  partitions: number;
  /**
   * how members share a channel: `partitions`, one persistent session per partition read
   * by one member (per-customer order kept); `shared`, MQTT 5 shared subscriptions, where
   * the broker hands each message to one member of the share (order per customer not kept
   * once there are several members)
   */
  consumers: 'partitions' | 'shared';
}

/** Settings of every messaging transport, by transport name. */
export interface MessagingSettings {
  kafka: KafkaSettings;
  rabbitmq: RabbitMqSettings;
  activemq: ActiveMqSettings;
  nats: NatsSettings;
  redis: RedisSettings;
  mqtt: MqttSettings;
}
