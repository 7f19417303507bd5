import type { MessagingAdapter, MessagingConnection, TransportDescription } from '../../src/contract/transport.js';
import { BROKER_RETRY, describePolicy, HANDLER_RETRY } from '../../src/contract/retry.js';
import { createAdapter as createKafkajsAdapter } from '../kafka/index.js';
import { CONSUMER_TIMING, type KafkaRunSpec } from '../kafka/names.js';
import { PRODUCER_CONFIG } from './client.js';
import { RdKafkaConnection } from './connection.js';
import { clientSummary, libraryAvailable, loadLibrary, MISSING_LINE, PACKAGE } from './library.js';
import { MAX_POLL_INTERVAL_MS } from './subscriber.js';

/**
 * Kafka through librdkafka (`transport.kafka.client: librdkafka`). Topics, consumer groups,
 * backlog and reachability are the kafkajs adapter's (the same names and partitions, its
 * admin client); publishing and consuming go through librdkafka, so the difference
 * between the two clients is what a run measures.
 */
export function createAdapter(): MessagingAdapter<'kafka'> {
  const kafkajs = createKafkajsAdapter();
  return {
    ...kafkajs,
    async describe(spec: KafkaRunSpec): Promise<TransportDescription> {
      // without the package (a run refuses to start then), describe still says what is missing
      const installed = libraryAvailable();
      const clients = installed ? [{ name: PACKAGE, version: loadLibrary().version }, { name: 'librdkafka', version: loadLibrary().lib.librdkafkaVersion }] : [{ name: PACKAGE, version: 'not installed' }];
      const base = await kafkajs.describe(spec);
      const delivery: TransportDescription['delivery'] = {
        ...base.delivery,
        client: installed ? clientSummary() : MISSING_LINE,
        acks: 'all',
        idempotent: PRODUCER_CONFIG.idempotent,
        maxInFlightRequests: PRODUCER_CONFIG.maxInFlightRequests,
        compression: 'none',
        producerBatching: `librdkafka batches what is queued while a request is in flight; linger.ms ${PRODUCER_CONFIG.lingerMs}`,
        keyedBy: 'customerId (murmur2 partitioner, as kafkajs: the same partition per customer)',
        consumerCommit:
          spec.settings.commitInterval > 0
            ? `offset committed after the handler resolved: every ${spec.settings.commitInterval} ms for all partitions handled meanwhile, and at once when partitions are revoked or the member stops`
            : 'offset committed after the handler resolved: one commit in flight per member, carrying every partition handled since the last',
        rebalanceTimeoutMs: MAX_POLL_INTERVAL_MS,
        sessionTimeoutMs: CONSUMER_TIMING.sessionTimeoutMs,
        'retry.broker': `librdkafka reconnects with ${BROKER_RETRY.initialDelayMs} ms doubling to ${BROKER_RETRY.maxDelayMs} ms; a publish fails after message.timeout.ms ${PRODUCER_CONFIG.messageTimeoutMs}`,
        'retry.handler': `${describePolicy(HANDLER_RETRY)}: the record is handled again in place; then the partition pauses and the consumer gives up`,
      };
      return { ...base, clients, delivery };
    },
    async connect(spec: KafkaRunSpec, clientId: string): Promise<MessagingConnection> {
      const connection = new RdKafkaConnection(spec, clientId);
      await connection.open();
      return connection;
    },
  };
}
