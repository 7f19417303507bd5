import type { KafkaEndpoint } from '../../src/contract/endpoints.js';
import { BenchError } from '../../src/contract/errors.js';
import { BROKER_RETRY, maxTotalDelayMs } from '../../src/contract/retry.js';
import { addressOf } from '../kafka/client.js';
import { loadLibrary, type RdConfig, type RdKafka, type RdLogger } from './library.js';

/** Delivery and timing settings of every producer; the same guarantees as the kafkajs adapter's. */
export const PRODUCER_CONFIG = {
  /** every in-sync replica has the record before the send resolves */
  acks: -1,
  /** the broker de-duplicates retried batches (producer id + sequence numbers) */
  idempotent: true,
  /** one produce request at a time per broker, as the kafkajs adapter */
  maxInFlightRequests: 1,
  /** librdkafka waits 5 ms by default to fill a batch; the kafkajs adapter does not wait */
  lingerMs: 0,
  /** a record not acknowledged within the shared broker retry bound fails its publish */
  messageTimeoutMs: Math.ceil(maxTotalDelayMs(BROKER_RETRY)),
} as const;

/**
 * librdkafka logs through the compatibility layer's logger. Kept: errors, except the
 * ones the adapter handles itself.
 * BENCH_RDKAFKA_LOG=1 shows everything from warnings up.
 */
function quietLogger(prefix: string): RdLogger {
  const verbose = process.env.BENCH_RDKAFKA_LOG === '1';
  const write = (level: string, message: string): void => {
    // a handler that gave up reaches the owner through onGaveUp; a lost broker is reconnected
    if (!verbose && /error while processing message|Connection refused|Disconnected|Broker transport failure|all brokers are down|ECONNREFUSED/i.test(message)) return;
    process.stderr.write(`librdkafka ${prefix} ${level}: ${message}\n`);
  };
  const logger: RdLogger = {
    info: (m) => (verbose ? write('info', m) : undefined),
    debug: () => {},
    warn: (m) => (verbose ? write('warn', m) : undefined),
    error: (m) => write('error', m),
    namespace: () => logger,
    setLogLevel: () => {},
  };
  return logger;
}

/** A client for one endpoint; only PLAINTEXT endpoints so far (TLS and SASL are the kafkajs adapter's). */
export function createRdClient(endpoint: KafkaEndpoint, clientId: string): RdKafka {
  const security = endpoint.security ?? 'PLAINTEXT';
  if (security !== 'PLAINTEXT') {
    throw new BenchError('INVALID_CONFIG', `transport.kafka.client: librdkafka connects to PLAINTEXT endpoints only; kafka at ${addressOf(endpoint.brokers)} is ${security} (use client: kafkajs)`);
  }
  const { lib } = loadLibrary();
  const config: RdConfig = {
    kafkaJS: { brokers: endpoint.brokers, clientId, logger: quietLogger(clientId), logLevel: 1 },
    // reconnects follow the shared broker policy's backoff (250 ms doubling to 5 s)
    'reconnect.backoff.ms': BROKER_RETRY.initialDelayMs,
    'reconnect.backoff.max.ms': BROKER_RETRY.maxDelayMs,
    'socket.nagle.disable': true,
  };
  return new lib.KafkaJS.Kafka(config);
}
