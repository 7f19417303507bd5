/**
 * What each delivery setting a transport reports (`describe().delivery`) decides, in
 * one line, and which group of the report's settings table it belongs to. Settings of
 * different transports that answer the same question share a row (Kafka's `acks`,
 * RabbitMQ's `publisherConfirms` and ActiveMQ's `receiptPerSend` all say when a publish
 * counts as done). Every key an adapter reports must be here: the settings test
 * collects the keys from the adapters themselves and fails on one without a group.
 */

export const SETTING_GROUPS = ['durability', 'ordering', 'delivery on failure', 'consumption', 'connection', 'sizing'] as const;
export type SettingGroup = (typeof SETTING_GROUPS)[number];

export const GROUP_MEANING: Record<SettingGroup, string> = {
  durability: 'what must happen before a published event counts as safe, and whether it survives a broker crash',
  ordering: 'how one customer’s events keep their order',
  'delivery on failure': 'what happens to an event when a handler or a consumer fails',
  consumption: 'how events are taken from the broker and acknowledged',
  connection: 'how clients reach the broker or the services',
  sizing: 'how many partitions, queues, instances and connections share the work',
};

export interface SettingRow {
  group: SettingGroup;
  /** the row's label: the question the setting answers */
  row: string;
  /** one line: what it means for the run */
  meaning: string;
  /** true when a different value changes what is guaranteed, not only how fast */
  guarantee?: boolean;
}

const r = (group: SettingGroup, row: string, meaning: string, guarantee = false): SettingRow => ({ group, row, meaning, guarantee });

const PUBLISH_DONE = r('durability', 'publish counts as done when', 'what the broker must confirm before the publisher moves on', true);
const PERSISTED = r('durability', 'messages persisted', 'whether an event is written to disk, so it survives a broker restart', true);
const REPLICATION = r('durability', 'replication', 'how many brokers hold a copy before it counts as written', true);
const ACK_AFTER = r('consumption', 'acknowledged after the handler', 'an event is acknowledged only once its handler finished, so a crash mid-work redelivers it', true);
const PREFETCH = r('consumption', 'prefetch', 'events a consumer may hold unacknowledged at once', false);
const FAILED_HANDLER = r('delivery on failure', 'a failing handler', 'what happens when handling an event throws', true);
const NO_DELAY = r('connection', 'TCP no-delay', 'Nagle’s algorithm off: small frames leave at once instead of waiting to be batched');
const PER_KEY = r('ordering', 'one customer, one consumer at a time', 'a customer’s events are handled by one consumer at a time, in order', true);

export const SETTINGS: Record<string, SettingRow> = {
  // REST
  style: r('consumption', 'style', 'who drives the workflow: one orchestrator calling each service, or services reacting to events'),
  'http.keepAlive': r('connection', 'HTTP keep-alive', 'connections are reused between requests instead of opened per request'),
  'driver.connections': r('sizing', 'driver connections', 'HTTP connections from the load driver to the order service'),
  'downstream.connections': r('sizing', 'downstream connections', 'HTTP connections from the orchestrator to each downstream service'),
  'downstream.timeoutMs': r('delivery on failure', 'downstream timeout (ms)', 'how long the orchestrator waits for a service before giving up on the call', true),
  'downstream.retries': r('delivery on failure', 'downstream retries', 'how often a failed call is retried before the order is compensated', true),
  instancesPerService: r('sizing', 'instances per service', 'processes running each service'),
  compensation: r('delivery on failure', 'compensation', 'how a failure half-way through an order is undone', true),
  persistence: PERSISTED,
  // Kafka
  client: r('connection', 'Kafka client', 'the library that publishes and consumes: kafkajs (JavaScript) or librdkafka (C, through @confluentinc/kafka-javascript)'),
  acks: PUBLISH_DONE,
  idempotent: r('delivery on failure', 'idempotent producer', 'a retried send is written once, not twice', true),
  maxInFlightRequests: r('ordering', 'produce requests in flight', 'more than one in flight can reorder records when a request is retried', true),
  compression: r('connection', 'compression', 'codec applied to record batches on the wire'),
  producerBatching: r('consumption', 'producer batching', 'how publishes are grouped into requests to the broker'),
  partitions: r('sizing', 'partitions', 'parallel lanes of a topic; one customer always lands on the same one'),
  replicationFactor: REPLICATION,
  minInsyncReplicas: r('durability', 'minimum in-sync replicas', 'copies that must acknowledge a write with acks=all', true),
  brokerFsync: PERSISTED,
  keyedBy: r('ordering', 'keyed by', 'the record key that decides the partition, and with it the order kept', true),
  consumerCommit: ACK_AFTER,
  commitIntervalMs: r('consumption', 'offset commit interval (ms)', 'handled offsets are committed together this often (and when a rebalance begins or a member stops); 0 commits after every fetched batch'),
  partitionsConsumedConcurrently: r('consumption', 'partitions consumed at once', 'partitions one consumer handles in parallel'),
  perPartitionConcurrency: r('ordering', 'handlers per partition at once', 'one at a time keeps a partition’s records in order', true),
  autoOffsetReset: r('consumption', 'start from', 'where a new consumer group starts reading'),
  sessionTimeoutMs: r('delivery on failure', 'session timeout (ms)', 'how long a silent consumer keeps its partitions before they move to another', true),
  heartbeatIntervalMs: r('connection', 'heartbeat interval (ms)', 'how often a consumer tells the group it is alive'),
  rebalanceTimeoutMs: r('delivery on failure', 'rebalance timeout (ms)', 'how long a rebalance waits for members to rejoin'),
  fetchMaxWaitMs: r('consumption', 'fetch max wait (ms)', 'how long the broker holds a fetch open waiting for records'),
  redeliveredFlag: r('delivery on failure', 'redelivery flag', 'how a consumer learns an event was delivered before'),
  serverVersion: r('connection', 'server version', 'what the broker reported about its version'),
  // RabbitMQ
  publisherConfirms: PUBLISH_DONE,
  persistent: PERSISTED,
  mandatory: r('delivery on failure', 'mandatory', 'an unroutable publish comes back to the publisher instead of vanishing', true),
  durableQueues: r('durability', 'durable queues', 'queues themselves survive a broker restart', true),
  queueType: r('durability', 'queue type', 'classic (one node) or quorum (replicated by Raft)', true),
  replication: REPLICATION,
  manualAck: r('consumption', 'manual acknowledgement', 'the consumer acknowledges explicitly, not on delivery', true),
  ackAfterHandler: ACK_AFTER,
  prefetch: PREFETCH,
  prefetchScope: r('consumption', 'prefetch applies to', 'whether the prefetch limit is per consumer or per channel'),
  shards: r('sizing', 'shard queues', 'queues a channel is split into; one customer always lands on the same one'),
  sharding: r('ordering', 'sharding', 'how a customer is mapped to its shard queue', true),
  consistentHashPlugin: r('ordering', 'consistent-hash plugin', 'whether the broker’s consistent-hash exchange was available'),
  singleActiveConsumer: PER_KEY,
  standbyDelayMs: r('delivery on failure', 'standby delay (ms)', 'how long a standby consumer waits before taking over a queue'),
  failedHandler: FAILED_HANDLER,
  tcpNoDelay: NO_DELAY,
  // ActiveMQ
  protocol: r('connection', 'protocol', 'the wire protocol between client and broker'),
  receiptPerSend: PUBLISH_DONE,
  ack: r('consumption', 'acknowledgement mode', 'how consumed messages are acknowledged', true),
  messageGroups: r('ordering', 'message groups', 'the header that pins a customer to one consumer', true),
  perCustomerSerial: PER_KEY,
  redeliveryOnConsumerLoss: r('delivery on failure', 'when a consumer is lost', 'what happens to the messages a lost member held', true),
  // NATS JetStream, Redis Streams, MQTT
  publishAck: PUBLISH_DONE,
  storage: r('durability', 'storage', 'where the broker keeps messages: file or memory', true),
  syncToDisk: PERSISTED,
  replicas: REPLICATION,
  retention: r('consumption', 'retention', 'when a message leaves the stream'),
  deduplication: r('delivery on failure', 'de-duplication by the broker', 'whether a repeated publish is stored once or twice', true),
  consumer: r('consumption', 'consumer', 'how a service reads its channel'),
  consumers: r('consumption', 'consumers', 'how members of a service share a channel'),
  consumerGroup: r('consumption', 'consumer group', 'how a service’s members share a stream'),
  maxAckPending: PREFETCH,
  ackWaitMs: r('delivery on failure', 'redelivered after (ms)', 'how long an unacknowledged message waits before the broker redelivers it', true),
  partitionOwner: r('ordering', 'who reads a partition', 'which member of a service reads each partition or shard', true),
  takeover: r('delivery on failure', 'when a consumer is lost', 'what happens to the messages a lost member held', true),
  sessions: r('durability', 'sessions', 'whether messages for an absent reader are kept', true),
  inFlightPerSession: r('ordering', 'unacknowledged per session', 'messages a session may hold at once; one keeps order', true),
  // every messaging adapter: how it reached the broker (TLS, SASL, login; never the secret itself)
  connection: r('connection', 'security', 'plain TCP or TLS, and how the client authenticated (the secret itself is never written)'),
  // every messaging adapter (the shared retry helper)
  'retry.handler': r('delivery on failure', 'retrying a failing handler', 'how often and how long a failing handler is retried before the consumer gives up', true),
  'retry.broker': r('delivery on failure', 'retrying the broker', 'how a lost connection or a failed request to the broker is retried', true),
  heartBeats: r('connection', 'heart-beats', 'keep-alive frames between client and broker (0,0 = off)'),
  backlog: r('consumption', 'backlog', 'whether the broker can be asked how many messages wait'),
};

/** The row a setting belongs to, or undefined when the catalogue does not know it. */
export function settingRow(key: string): SettingRow | undefined {
  return Object.prototype.hasOwnProperty.call(SETTINGS, key) ? SETTINGS[key] : undefined;
}
