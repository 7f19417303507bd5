import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { MessagingConnection, RabbitMqSettings } from '../../src/contract/transport.js';
import { createAdapter } from '../../adapters/rabbitmq/index.js';
import { fnv1a32, isRunObject, preferredShards, queueName, shardOf, type RabbitRunSpec } from '../../adapters/rabbitmq/topology.js';
import { testEndpoints } from '../contract/endpoints.js';
import { makeEvents, messagingContract } from '../contract/messaging-contract.js';

// Six shards, so that three members each own two of them in the contract's sharing test.
const CONTRACT_SETTINGS: RabbitMqSettings = { prefetch: 50, shards: 6, queueType: 'classic' };
// Default: the x-consistent-hash exchange when the server has the plugin (the harness enables it).
messagingContract('rabbitmq', createAdapter, CONTRACT_SETTINGS);
describe('adapter-side sharding (servers without the consistent-hash plugin)', () => {
  messagingContract('rabbitmq', () => createAdapter({ sharding: 'adapter-hash' }), CONTRACT_SETTINGS, undefined, { brokerRestart: false });
});

describe('rabbitmq topology', () => {
  it('hashes a customer onto the same shard every time, and spreads customers', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(shardOf('cust-42', 6)).toBe(shardOf('cust-42', 6));
    const used = new Set(Array.from({ length: 100 }, (_, i) => shardOf(`cust-${i}`, 6)));
    expect(used.size).toBe(6);
  });

  it('gives each member its own shards first, and all of them to a lone member', () => {
    expect(preferredShards(0, 1, 4)).toEqual([0, 1, 2, 3]);
    expect(preferredShards(1, 3, 6)).toEqual([1, 4]);
    expect(preferredShards(2, 3, 2)).toEqual([]);
  });

  it('recognises only objects of runs under a stem', () => {
    expect(isRunObject('bench-x1.inventory', 'bench-')).toBe(true);
    expect(isRunObject('bench-x1.order.12', 'bench-')).toBe(true);
    expect(isRunObject('bench-x1.orders', 'bench-')).toBe(false);
    expect(isRunObject('other.inventory.0', 'bench-')).toBe(false);
  });
});

describe('rabbitmq adapter specifics', () => {
  const adapter = createAdapter();
  const opened: MessagingConnection[] = [];
  const provisioned: RabbitRunSpec[] = [];
  const newSpec = (settings: RabbitMqSettings): RabbitRunSpec => ({
    prefix: `bench-rt${randomBytes(4).toString('hex')}`,
    instancesPerService: 1,
    settings,
    endpoints: testEndpoints(),
  });

  afterEach(async () => {
    for (const c of opened.splice(0)) await c.close();
    for (const spec of provisioned.splice(0)) await adapter.deprovision(spec);
  });

  it('carries events over quorum queues', async () => {
    const spec = newSpec({ prefetch: 10, shards: 2, queueType: 'quorum' });
    provisioned.push(spec);
    await adapter.provision(spec);
    const connection = await adapter.connect(spec, 'quorum');
    opened.push(connection);
    const events = makeEvents(spec.prefix, 4, 5);
    const seen: string[] = [];
    await connection.subscribe('payment', { service: 'payment', instance: 0 }, async (event) => void seen.push(event.eventId));
    await Promise.all(events.map((e) => connection.publish('payment', e)));
    await expect.poll(() => seen.length, { timeout: 10_000 }).toBe(events.length);
    expect(new Set(seen).size).toBe(events.length);
    expect((await adapter.describe(spec)).delivery.queueType).toBe('quorum');
  });

  it('rejects a publish to a channel that was never provisioned, naming the exchange, at once; the connection publishes on', async () => {
    const spec = newSpec({ prefetch: 10, shards: 2, queueType: 'classic' });
    const connection = await adapter.connect(spec, 'unprovisioned');
    opened.push(connection);
    const [event, later] = makeEvents(spec.prefix, 1, 2);
    // a missing exchange is no broker restart: not retried for the policy's ~44 s
    await expect(connection.publish('order', event!)).rejects.toThrow(new RegExp(`after 1 attempt: not retriable: .*${spec.prefix}\\.order.*404 \\(NOT-FOUND\\)`));
    // the server closed the publish channel over it; the next publish gets a new one
    provisioned.push(spec);
    await adapter.provision(spec);
    await connection.publish('order', later!);
  }, 20_000);

  it('reports a missing queue in backlog as one line naming the address', async () => {
    const spec = newSpec({ prefetch: 10, shards: 1, queueType: 'classic' });
    await expect(adapter.backlog(spec)).rejects.toThrow(/rabbitmq at 127\.0\.0\.1:5672: .*NOT_FOUND.*/);
  });

  it('hands the next member a shard whose active consumer left, in order', async () => {
    const spec = newSpec({ prefetch: 5, shards: 1, queueType: 'classic' });
    provisioned.push(spec);
    await adapter.provision(spec);
    const first = await adapter.connect(spec, 'first');
    const second = await adapter.connect(spec, 'second');
    opened.push(first, second);
    const got: { member: number; id: string }[] = [];
    const subFirst = await first.subscribe('order', { service: 'order', instance: 0 }, async (e) => void got.push({ member: 0, id: e.eventId }));
    await second.subscribe('order', { service: 'order', instance: 0 }, async (e) => void got.push({ member: 1, id: e.eventId }));
    const events = makeEvents(spec.prefix, 2, 10);
    await Promise.all(events.slice(0, 10).map((e) => first.publish('order', e)));
    await expect.poll(() => got.length, { timeout: 10_000 }).toBe(10);
    expect(got.every((g) => g.member === 0), 'the first consumer registered is the active one').toBe(true);
    await subFirst.close();
    await Promise.all(events.slice(10).map((e) => first.publish('order', e)));
    await expect.poll(() => got.length, { timeout: 10_000 }).toBe(20);
    expect(got.slice(10).every((g) => g.member === 1), 'the standby took over').toBe(true);
    expect(got.map((g) => g.id)).toEqual(events.map((e) => e.eventId));
    expect(queueName(spec.prefix, 'order', 0)).toBe(`${spec.prefix}.order.0`);
  });
});
