import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel, Partitioners, type Admin, type Producer } from 'kafkajs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { brokerEndpoints, brokersDown, brokersUp, type SettingsOverrides } from '../../src/brokers/index.js';
import { stopPid } from '../../src/brokers/process.js';

/** A real 3-node KRaft cluster on its own ports and state dir, beside the suite's single broker. */

const skip = process.env.BENCH_SKIP_BROKERS === '1';
const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-kafka3-'));
const opts: SettingsOverrides = { stateDir, ports: { kafka: 29092, kafkaController: 29192 } };

describe.skipIf(skip)('kafka, 3 brokers', () => {
  let admin: Admin | undefined;
  let producer: Producer | undefined;
  afterEach(async () => {
    await producer?.disconnect();
    await admin?.disconnect();
  });
  afterAll(async () => {
    await brokersDown({ ...opts, only: ['kafka'], purge: true });
    fs.rmSync(stateDir, { recursive: true, force: true });
  }, 120_000);

  it('creates a topic with replication factor 3 and min.insync.replicas 2, and survives one broker stopping', async () => {
    const [status] = await brokersUp({ ...opts, only: ['kafka'], kafkaBrokers: 3 });
    expect(status).toMatchObject({ name: 'kafka', answers: true, startedByUs: true });
    const brokers = brokerEndpoints(opts).kafka.brokers;
    expect(brokers).toEqual(['127.0.0.1:29092', '127.0.0.1:29093', '127.0.0.1:29094']);

    const kafka = new Kafka({ clientId: 'bench-test', brokers, logLevel: logLevel.NOTHING });
    admin = kafka.admin();
    await admin.connect();
    expect((await admin.describeCluster()).brokers).toHaveLength(3);
    const topic = `test-rf3-${Date.now()}`;
    await admin.createTopics({
      topics: [{ topic, numPartitions: 3, replicationFactor: 3, configEntries: [{ name: 'min.insync.replicas', value: '2' }] }],
      waitForLeaders: true,
    });
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    for (const p of meta.topics[0]!.partitions) {
      expect(p.replicas).toHaveLength(3);
      expect(p.isr).toHaveLength(3);
    }
    const cfg = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: 2 /* TOPIC */, name: topic, configNames: ['min.insync.replicas'] }] });
    expect(cfg.resources[0]!.configEntries.find((e) => e.configName === 'min.insync.replicas')?.configValue).toBe('2');

    // one broker stops (controlled shutdown): two in-sync replicas remain, acks=all still succeeds
    const record = JSON.parse(fs.readFileSync(path.join(stateDir, 'kafka', 'run.json'), 'utf8')) as { nodes: Array<{ id: number; pid: number }> };
    await stopPid(record.nodes.find((n) => n.id === 3)!.pid);
    producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const acks = await producer.send({ topic, acks: -1, messages: [{ key: 'a', value: '1' }, { key: 'b', value: '2' }, { key: 'c', value: '3' }] });
    expect(acks.every((r) => r.errorCode === 0)).toBe(true);
  }, 150_000);
});
