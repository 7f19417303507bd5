/**
 * Someone else's cluster: the replication factor checked against the brokers there,
 * a clear statement of what a run needs when its objects are missing, and a run on
 * objects that exist already (`provision: false`) that leaves them in place.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createAdapter as kafka } from '../../adapters/kafka/index.js';
import { createAdapter as rabbitmq } from '../../adapters/rabbitmq/index.js';
import { ConfigError } from '../../src/contract/errors.js';
import type { KafkaSettings, MessagingRunSpec, RabbitMqSettings } from '../../src/contract/transport.js';
import type { Result } from '../../src/result/schema.js';
import { testEndpoints } from '../contract/endpoints.js';

const KAFKA: KafkaSettings = { partitions: 2, replicationFactor: 1, minInsyncReplicas: 1, commitInterval: 100 };
const RABBIT: RabbitMqSettings = { prefetch: 50, shards: 2, queueType: 'classic' };
const cleanups: Array<() => Promise<void>> = [];
const spec = <S>(prefix: string, settings: S): MessagingRunSpec<S> => ({ prefix, instancesPerService: 1, settings, endpoints: testEndpoints() });

afterAll(async () => {
  for (const c of cleanups) await c().catch(() => undefined);
});

describe('shared clusters', () => {
  it('refuses a replication factor above the cluster’s broker count, naming both', async () => {
    const s = spec(`bench-rf${randomBytes(3).toString('hex')}`, { ...KAFKA, replicationFactor: 3 });
    const err = await kafka().provision(s).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/^transport\.kafka\.replicationFactor 3 exceeds the 1 broker of the cluster at 127\.0\.0\.1:\d+: use at most 1 there/);
  });

  it('kafka, provision false: says which topics are missing and what the run needs; accepts them once they exist', async () => {
    const s = spec(`bench-pf${randomBytes(3).toString('hex')}`, KAFKA);
    const a = kafka();
    const missing = await a.verify!(s).then(() => undefined, (e: unknown) => e as Error);
    expect(missing?.message).toMatch(new RegExp(`provision is false but ${s.prefix}\\.inventory, .* do not exist .*the run needs topics ${s.prefix}\\.inventory, .*\\(2 partitions, replication factor 1\\), with Describe, Read and Write`));
    cleanups.push(() => a.deprovision(s));
    await a.provision(s);
    await a.verify!(s);
    const off = await a.verify!({ ...s, settings: { ...KAFKA, partitions: 4 } }).then(() => undefined, (e: unknown) => e as Error);
    expect(off).toBeInstanceOf(ConfigError);
    expect(off?.message).toMatch(/has 2 partitions, .*the scenario asks 4/);
  });

  it('rabbitmq, provision false: a run on existing queues uses them and leaves them in place', async () => {
    const prefix = `bench-pf${randomBytes(3).toString('hex')}`;
    const a = rabbitmq();
    const s = spec(prefix, RABBIT);
    expect((await a.verify!(s).then(() => undefined, (e: unknown) => e as Error))?.message).toMatch(/provision is false but exchange .* do not exist; the run needs, per channel/);
    cleanups.push(() => a.deprovision(s));
    await a.provision(s);

    const dir = mkdtempSync(join(tmpdir(), 'bench-pf-'));
    const target = join(dir, 'existing.yaml');
    const url = new URL(testEndpoints().rabbitmq.url);
    writeFileSync(target, `name: existing\nprefix: ${prefix}\nrabbitmq:\n  url: amqp://${url.host}\n  username: guest\n  passwordEnv: BENCH_TEST_GUEST_PASSWORD\n  provision: false\n`);
    const scenario = join(dir, 'scenario.yaml');
    writeFileSync(scenario, `name: pf\ntransports: [rabbitmq]\nworkload: { rate: 20, duration: 2s, warmup: 1s, maxWarmup: 1s }\ntransport: { rabbitmq: { shards: 2 } }\n`);
    const r = spawnSync(process.execPath, ['bin/bench.js', 'run', scenario, '--target', target, '--out', join(dir, 'out'), '--no-report'], {
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, BENCH_TEST_GUEST_PASSWORD: decodeURIComponent(url.password) || 'guest' },
    });
    expect(r.status, r.stderr).toBe(0);
    const result = JSON.parse(readFileSync(join(dir, 'out', 'result.json'), 'utf8')) as Result;
    expect(result.transports[0]!.check?.lost).toBe(0);
    expect(result.transports[0]!.counts.completed).toBeGreaterThan(0);
    // still there: the run neither created nor removed them
    await a.verify!(s);
  });
});

describe('a Kafka user that may not create topics', () => {
  it('gets one line listing the topics, partitions and permissions the run needs', async () => {
    const { secureEndpoints } = await import('../support/secure.js');
    const e = secureEndpoints();
    const limited = { ...e, kafka: { ...e.kafka, sasl: { mechanism: 'scram-sha-512' as const, username: 'bench-limited', password: { env: 'BENCH_SECURE_KAFKA_LIMITED_PASSWORD' } } } };
    const s: MessagingRunSpec<KafkaSettings> = { prefix: `bench-acl${randomBytes(3).toString('hex')}`, instancesPerService: 1, settings: KAFKA, endpoints: limited };
    const err = await kafka().provision(s).then(() => undefined, (x: unknown) => x as Error);
    expect(err?.message).toMatch(new RegExp(`^kafka at 127\\.0\\.0\\.1:\\d+: not allowed to create the run's topics; it needs topics ${s.prefix}\\.inventory, .*\\(2 partitions, replication factor 1\\), with Describe, Read and Write on them, Create and Delete on topics .*set provision: false`));
    expect(err?.message).not.toContain(process.env.BENCH_SECURE_KAFKA_LIMITED_PASSWORD);
  });
});
