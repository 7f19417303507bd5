import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { isCoordinatorGone, reDiscoverCoordinators } from '../../adapters/kafka/coordinator.js';

const require = createRequire(import.meta.url);
const quiet = { namespace: () => ({ debug() {}, info() {}, warn() {}, error() {} }) };
const gone = (): Error => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9093'), { name: 'KafkaJSConnectionError' });

describe('asking for a consumer group coordinator again (kafkajs 2.2.4)', () => {
  it('tells a coordinator that is gone from one that answered', () => {
    expect(isCoordinatorGone(gone())).toBe(true);
    expect(isCoordinatorGone(Object.assign(new Error('retries'), { name: 'KafkaJSNumberOfRetriesExceeded', originalError: gone() }))).toBe(true);
    expect(isCoordinatorGone(Object.assign(new Error('Broker 1 not found in the cached metadata'), { name: 'KafkaJSBrokerNotFound' }))).toBe(true);
    expect(isCoordinatorGone(Object.assign(new Error('rebalancing'), { name: 'KafkaJSProtocolError', type: 'REBALANCE_IN_PROGRESS' }))).toBe(false);
    expect(isCoordinatorGone(new TypeError('a bug'))).toBe(false);
  });

  it("a heartbeat that cannot reach the coordinator moves the member, and its offsets, to the group's new coordinator", async () => {
    expect(reDiscoverCoordinators()).toBe(true);
    const ConsumerGroup = require('kafkajs/src/consumer/consumerGroup.js');
    const OffsetManager = require('kafkajs/src/consumer/offsetManager/index.js');
    const dead = { nodeId: 1, isConnected: () => false, heartbeat: async () => Promise.reject(gone()) };
    const alive = { nodeId: 3, isConnected: () => true, heartbeat: async () => undefined };
    let lookups = 0;
    const cluster = { findGroupCoordinator: async () => (lookups++, alive), findBroker: async () => Promise.reject(new Error('the same broker again')), committedOffsets: () => ({}) };
    const group = new ConsumerGroup({ logger: quiet, cluster, groupId: 'g', topics: [], topicConfigurations: {}, instrumentationEmitter: { emit() {} } });
    group.memberId = 'm';
    group.coordinator = dead;
    group.offsetManager = new OffsetManager({ cluster, coordinator: dead, groupId: 'g', memberAssignment: {}, topicConfigurations: {} });
    group.lastRequest = 0;

    await expect(group.heartbeat({ interval: 0 })).rejects.toThrow(/ECONNREFUSED/);
    expect(lookups).toBe(1);
    expect(group.coordinator.nodeId).toBe(3);
    expect(group.offsetManager.coordinator.nodeId).toBe(3);
    await expect(group.heartbeat({ interval: 0 })).resolves.toBeUndefined();

    // a commit whose coordinator connection is down asks for the coordinator, not the same broker
    group.offsetManager.coordinator = dead;
    expect((await group.offsetManager.getCoordinator()).nodeId).toBe(3);
  });
});
