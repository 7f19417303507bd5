/**
 * The messaging contract over Kafka through librdkafka (transport.kafka.client: librdkafka).
 * The client is an optional dependency whose native build may be missing (CI need not build
 * it): then the suite is skipped and says why.
 */
import { describe, it } from 'vitest';
import { createAdapter } from '../../adapters/kafka-librdkafka/index.js';
import { libraryAvailable, MISSING_LINE } from '../../adapters/kafka-librdkafka/library.js';
import type { KafkaSettings } from '../../src/contract/transport.js';
import { messagingContract } from '../contract/messaging-contract.js';

const SETTINGS: KafkaSettings = { partitions: 3, replicationFactor: 1, minInsyncReplicas: 1, client: 'librdkafka', commitInterval: 100 };

if (libraryAvailable()) {
  // the broker-restart case starts a Kafka of its own (minutes on 2 cores): the kafkajs suite has it
  messagingContract('kafka', createAdapter, SETTINGS, undefined, { brokerRestart: false });
} else {
  // an optional dependency (see adapters/kafka-librdkafka/README.md): without it the suite
  // shows one skipped case whose title is the line saying how to install it
  describe('messaging contract: kafka (librdkafka)', () => {
    it.skip(`skipped: ${MISSING_LINE}`, () => {});
  });
}
