import { randomBytes } from 'node:crypto';
import kafkajs from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { createAdapter } from '../../adapters/kafka/index.js';
import { groupName, topicName, type KafkaRunSpec } from '../../adapters/kafka/names.js';
import type { OrderEvent } from '../../src/contract/events.js';
import type { KafkaSettings, MessagingConnection } from '../../src/contract/transport.js';
import { testEndpoints } from '../contract/endpoints.js';
import { makeEvents, messagingContract } from '../contract/messaging-contract.js';

const SETTINGS: KafkaSettings = { partitions: 3, replicationFactor: 1, minInsyncReplicas: 1, commitInterval: 100 };

messagingContract('kafka', createAdapter, SETTINGS);

describe('kafka adapter specifics', () => {
  const adapter = createAdapter();
  const specs: KafkaRunSpec[] = [];
  const connections: MessagingConnection[] = [];

  function newSpec(settings: KafkaSettings = SETTINGS): KafkaRunSpec {
    const spec = { prefix: `bench-kt${randomBytes(4).toString('hex')}`, instancesPerService: 1, settings, endpoints: testEndpoints() };
    specs.push(spec);
    return spec;
  }
  async function connect(spec: KafkaRunSpec, clientId: string): Promise<MessagingConnection> {
    const c = await adapter.connect(spec, clientId);
    connections.push(c);
    return c;
  }

  afterEach(async () => {
    for (const c of connections.splice(0)) await c.close();
    for (const s of specs.splice(0)) await adapter.deprovision(s);
  });

  it('names one topic and one consumer group per channel under the prefix', () => {
    expect(topicName('bench-x', 'payment')).toBe('bench-x.payment');
    expect(groupName('bench-x', 'observer')).toBe('bench-x.observer');
  });

  it('creates topics with the scenario partitions and min.insync.replicas', async () => {
    const spec = newSpec({ partitions: 4, replicationFactor: 1, minInsyncReplicas: 1, commitInterval: 100 });
    await adapter.provision(spec);
    const admin = new kafkajs.Kafka({ brokers: spec.endpoints.kafka.brokers, logLevel: kafkajs.logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const topic = topicName(spec.prefix, 'inventory');
      const meta = await admin.fetchTopicMetadata({ topics: [topic] });
      expect(meta.topics[0]!.partitions).toHaveLength(4);
      const configs = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: kafkajs.ConfigResourceTypes.TOPIC, name: topic, configNames: ['min.insync.replicas'] }],
      });
      expect(configs.resources[0]!.configEntries.find((e) => e.configName === 'min.insync.replicas')?.configValue).toBe('1');
    } finally {
      await admin.disconnect();
    }
  });

  it('keeps a failing partition at its offset: retries flagged redelivered, later events of the customer wait', async () => {
    const spec = newSpec();
    await adapter.provision(spec);
    const events = makeEvents(spec.prefix, 1, 6);
    const target = events[1]!;
    const seen: Array<{ id: string; redelivered: boolean; ok: boolean }> = [];
    let failuresLeft = 3;
    const consumer = await connect(spec, 'consumer');
    await consumer.subscribe('inventory', { service: 'inventory', instance: 0 }, async (e: OrderEvent, d) => {
      const fail = e.eventId === target.eventId && failuresLeft-- > 0;
      seen.push({ id: e.eventId, redelivered: d.redelivered, ok: !fail });
      if (fail) throw Object.assign(new Error('deliberate'), { retriable: true });
    });
    const publisher = await connect(spec, 'publisher');
    await Promise.all(events.map((e) => publisher.publish('inventory', e)));
    const deadline = Date.now() + 30_000;
    while (seen.filter((s) => s.ok).length < events.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));

    expect(seen.map((s) => s.id)).toEqual([events[0]!.eventId, ...Array(4).fill(target.eventId), ...events.slice(2).map((e) => e.eventId)]);
    expect(seen.filter((s) => s.id === target.eventId).map((s) => s.redelivered)).toEqual([false, true, true, true]);
  });

  it('reports lag per channel: what the group has not committed', async () => {
    const spec = newSpec();
    await adapter.provision(spec);
    const publisher = await connect(spec, 'publisher');
    const events = makeEvents(spec.prefix, 4, 5);
    await Promise.all(events.map((e) => publisher.publish('payment', e)));
    const before = await adapter.backlog(spec);
    expect(Object.fromEntries(before.map((b) => [b.channel, b.depth]))).toEqual({ inventory: 0, payment: 20, shipment: 0, order: 0, observer: 0 });
    expect(before.find((b) => b.channel === 'payment')!.name).toBe(groupName(spec.prefix, 'payment'));
  });

  it('cleanupStale skips a run whose group still has a member; deprovision waits for it to empty', async () => {
    const stem = `bench-ks${randomBytes(3).toString('hex')}-`;
    const live = { ...newSpec(), prefix: `${stem}live` };
    const member = await connect(live, 'member');
    await adapter.provision(live);
    await member.subscribe('order', { service: 'order', instance: 0 }, async () => {});

    const removed = await adapter.cleanupStale(newSpec(), stem);
    expect(removed).toContain(`topic ${live.prefix}.payment`);
    expect(removed).not.toContain(`topic ${live.prefix}.order`);
    expect(removed).not.toContain(`group ${live.prefix}.order`);

    // The member leaves a second after deprovision started: deprovision retries until the group is empty.
    const started = Date.now();
    const leaving = new Promise((r) => setTimeout(r, 1_000)).then(() => member.close());
    await adapter.deprovision(live);
    await leaving;
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(await adapter.cleanupStale(newSpec(), stem)).toEqual([]);
  });

  async function waitUntil(done: () => boolean, what: string, ms = 30_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`${what} within ${ms} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  const lagOf = async (spec: KafkaRunSpec, channel: string): Promise<number | undefined> =>
    (await adapter.backlog(spec)).find((b) => b.channel === channel)?.depth;

  it('commits handled offsets on the interval, in one request for all partitions, and at stop', async () => {
    // an interval longer than the test: only the commit at stop can have moved the offsets
    const spec = newSpec({ ...SETTINGS, commitInterval: 5_000 });
    await adapter.provision(spec);
    const events = makeEvents(spec.prefix, 6, 5);
    const consumer = await connect(spec, 'consumer');
    const handled: string[] = [];
    const sub = await consumer.subscribe('shipment', { service: 'shipment', instance: 0 }, async (e) => void handled.push(e.eventId));
    const publisher = await connect(spec, 'publisher');
    await Promise.all(events.map((e) => publisher.publish('shipment', e)));
    await waitUntil(() => handled.length === events.length, 'all events handled');
    expect(await lagOf(spec, 'shipment'), 'nothing committed before the interval').toBe(events.length);
    expect(consumer.brokerRequests!().OffsetCommit ?? 0).toBe(0);

    await sub.close();
    expect(await lagOf(spec, 'shipment'), 'committed at stop').toBe(0);
    expect(consumer.brokerRequests!().OffsetCommit, 'one commit for every partition').toBe(1);
    expect(publisher.brokerRequests!().Produce).toBeGreaterThan(0);
  });

  it('commits what a member handled when a rebalance begins: nothing handled is delivered again', async () => {
    const spec = newSpec({ ...SETTINGS, commitInterval: 5_000 });
    await adapter.provision(spec);
    const handled: string[] = [];
    const record = async (e: OrderEvent): Promise<void> => void handled.push(e.eventId);
    const first = await connect(spec, 'first');
    await first.subscribe('payment', { service: 'payment', instance: 0 }, record);
    const publisher = await connect(spec, 'publisher');
    const before = makeEvents(`${spec.prefix}-a`, 9, 4);
    await Promise.all(before.map((e) => publisher.publish('payment', e)));
    await waitUntil(() => handled.length === before.length, 'first batch handled');

    // a second member joins: the group rebalances while the first holds 36 uncommitted offsets
    const second = await connect(spec, 'second');
    await second.subscribe('payment', { service: 'payment', instance: 1 }, record);
    const after = makeEvents(`${spec.prefix}-b`, 9, 4);
    await Promise.all(after.map((e) => publisher.publish('payment', e)));
    await waitUntil(() => handled.length >= before.length + after.length, 'second batch handled');
    await new Promise((r) => setTimeout(r, 1_000)); // a redelivery would arrive in this second
    expect(handled.length, 'handled once each').toBe(before.length + after.length);
    expect(new Set(handled).size).toBe(handled.length);
  });

  it('with commitInterval 0 commits after every fetched batch', async () => {
    const spec = newSpec({ ...SETTINGS, commitInterval: 0 });
    await adapter.provision(spec);
    const events = makeEvents(spec.prefix, 3, 4);
    const consumer = await connect(spec, 'consumer');
    const handled: string[] = [];
    await consumer.subscribe('order', { service: 'order', instance: 0 }, async (e) => void handled.push(e.eventId));
    const publisher = await connect(spec, 'publisher');
    await Promise.all(events.map((e) => publisher.publish('order', e)));
    await waitUntil(() => handled.length === events.length, 'all events handled');
    const deadline = Date.now() + 5_000;
    while ((await lagOf(spec, 'order')) !== 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await lagOf(spec, 'order'), 'committed while the member runs').toBe(0);
    expect(consumer.brokerRequests!().OffsetCommit).toBeGreaterThan(0);
  });

  it('fails connect with one line naming the address', async () => {
    const spec = { ...newSpec(), endpoints: { ...testEndpoints(), kafka: { brokers: ['127.0.0.1:1'] } } };
    specs.pop();
    const error = (await adapter.connect(spec, 'nowhere').catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/^kafka at 127\.0\.0\.1:1 unreachable/);
    expect(error.message).not.toContain('\n');
  });
});
