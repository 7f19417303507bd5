import { describe, expect, it } from 'vitest';
import { createAdapter } from '../../adapters/nats/index.js';
import { consumerName, streamName, subjectOf } from '../../adapters/nats/names.js';
import { ownedPartitions, partitionOf } from '../../src/contract/customer-lanes.js';
import type { NatsSettings } from '../../src/contract/transport.js';
import { testEndpoints } from '../contract/endpoints.js';
import { messagingContract } from '../contract/messaging-contract.js';

// Six partitions, so that three members each own two in the contract's sharing test.
const SETTINGS: NatsSettings = { partitions: 6, maxAckPending: 50, ackWait: 5_000, storage: 'file', replicas: 1 };

messagingContract('nats', createAdapter, SETTINGS, testEndpoints, { brokerRestart: false });

describe('nats names and partitions', () => {
  it('names a stream per channel, a subject and a durable consumer per partition', () => {
    expect(streamName('bench-x', 'payment')).toBe('bench-x-payment');
    expect(subjectOf('bench-x', 'payment', 2)).toBe('bench-x.payment.2');
    expect(consumerName(2)).toBe('p2');
  });

  it('gives each member its own partitions, the observer all of them, and keeps a customer on one', () => {
    expect(ownedPartitions({ service: 'payment', instance: 1 }, 3, 6)).toEqual([1, 4]);
    expect(ownedPartitions({ service: 'observer', instance: 0 }, 3, 6)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(partitionOf('cust-42', 6)).toBe(partitionOf('cust-42', 6));
    expect(new Set(Array.from({ length: 100 }, (_, i) => partitionOf(`cust-${i}`, 6))).size).toBe(6);
  });
});
