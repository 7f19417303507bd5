import { createRequire } from 'node:module';
import type { BacklogSample, BrokerEndpoints, MessagingAdapter, MessagingConnection, TransportDescription } from '../../src/contract/transport.js';
import { describePolicy } from '../../src/contract/retry.js';
import { channelLag, deprovisionRun, provisionTopics, removeStale, verifyTopics } from './admin.js';
import { addressOf, createClient, KAFKA_BROKER_RETRY, KAFKA_CONSUMER_RETRY, securitySummary, wrapError } from './client.js';
import { KafkaConnection } from './connection.js';
import { CONSUMER_TIMING, type KafkaRunSpec } from './names.js';
import { probeAny } from './probe.js';
import { PRODUCER_SETTINGS } from './publisher.js';

const kafkajsVersion = (createRequire(import.meta.url)('kafkajs/package.json') as { version: string }).version;

/** How long ping() and describe() wait for a broker's ApiVersions answer. */
const PROBE_TIMEOUT_MS = 1_000;

async function describe(spec: KafkaRunSpec): Promise<TransportDescription> {
  const endpoint = spec.endpoints.kafka;
  const s = spec.settings;
  const delivery: TransportDescription['delivery'] = {
    acks: 'all',
    idempotent: PRODUCER_SETTINGS.idempotent,
    maxInFlightRequests: PRODUCER_SETTINGS.maxInFlightRequests,
    compression: PRODUCER_SETTINGS.compression,
    producerBatching: 'one request in flight; publishes queued meanwhile go out together in the next (no linger)',
    partitions: s.partitions,
    replicationFactor: s.replicationFactor,
    minInsyncReplicas: s.minInsyncReplicas,
    brokerFsync: 'broker default (no fsync per record; durability comes from replication)',
    keyedBy: 'customerId (default murmur2 partitioner)',
    consumerCommit:
      s.commitInterval > 0
        ? `offset committed after the handler resolved: every ${s.commitInterval} ms for all partitions handled meanwhile, and at once when a rebalance begins or the member stops`
        : 'offset committed after the handler resolved, at the end of each fetched batch',
    commitIntervalMs: s.commitInterval,
    partitionsConsumedConcurrently: s.partitions,
    perPartitionConcurrency: 1,
    autoOffsetReset: 'earliest',
    sessionTimeoutMs: CONSUMER_TIMING.sessionTimeoutMs,
    heartbeatIntervalMs: CONSUMER_TIMING.heartbeatIntervalMs,
    rebalanceTimeoutMs: CONSUMER_TIMING.rebalanceTimeoutMs,
    fetchMaxWaitMs: CONSUMER_TIMING.maxWaitTimeMs,
    redeliveredFlag: 'in-process only (Kafka has no redelivered flag)',
    'retry.broker': `${describePolicy(KAFKA_BROKER_RETRY)}: kafkajs reconnects, metadata and produce requests`,
    'retry.handler': `${describePolicy(KAFKA_CONSUMER_RETRY)}: kafkajs fetches the failed offset again; then the consumer gives up`,
    connection: securitySummary(endpoint),
  };
  let server: TransportDescription['server'];
  try {
    const answer = await probeAny(endpoint, PROBE_TIMEOUT_MS);
    const level = answer.finalizedFeatures.get('metadata.version');
    if (level !== undefined) server = { name: 'Apache Kafka (KRaft)', version: `metadata.version level ${level}` };
    else delivery.serverVersion = 'not reported by the broker (no finalized metadata.version)';
  } catch (e) {
    delivery.serverVersion = `not known: ${(e as Error).message}`;
  }
  return {
    name: 'kafka',
    clients: [{ name: 'kafkajs', version: kafkajsVersion }],
    ...(server ? { server } : {}),
    delivery,
    address: addressOf(endpoint.brokers),
  };
}

/** Connects and authenticates once, without retrying, and asks for the cluster's brokers. */
async function check(endpoints: BrokerEndpoints, timeoutMs: number): Promise<void> {
  const endpoint = endpoints.kafka;
  const admin = createClient(endpoint, 'bench-check', { retries: 0, connectionTimeoutMs: timeoutMs }).admin();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })), timeoutMs);
  });
  try {
    await Promise.race([admin.connect().then(() => admin.describeCluster()), deadline]);
  } catch (e) {
    throw wrapError(e, endpoint, 'connecting');
  } finally {
    clearTimeout(timer);
    await admin.disconnect().catch(() => {});
  }
}

export function createAdapter(): MessagingAdapter<'kafka'> {
  return {
    name: 'kafka',
    describe,
    provision: (spec) => provisionTopics(spec),
    verify: (spec) => verifyTopics(spec),
    deprovision: async (spec) => {
      await deprovisionRun(spec);
    },
    cleanupStale: (spec, stem, onLeft) => removeStale(spec, stem, onLeft),
    async connect(spec: KafkaRunSpec, clientId: string): Promise<MessagingConnection> {
      const connection = new KafkaConnection(spec, clientId);
      await connection.open();
      return connection;
    },
    backlog: (spec): Promise<BacklogSample[]> => channelLag(spec),
    check,
    async ping(endpoints: BrokerEndpoints): Promise<boolean> {
      try {
        await probeAny(endpoints.kafka, PROBE_TIMEOUT_MS);
        return true;
      } catch {
        return false;
      }
    },
  };
}
