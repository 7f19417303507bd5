import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/contract/errors.js';
import { listScenarioFiles, loadScenario, parseScenario } from '../../src/scenario/load.js';
import { applyOverrides } from '../../src/cli/run.js';
import { defaultMessagingSettings, maxWarmupOf, messagingSettings } from '../../src/scenario/schema.js';
import { applyStep } from '../../src/runtime/run.js';

const file = '/tmp/bad.yaml';
const errorOf = (text: string): string => {
  try {
    parseScenario(text, file);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('scenario validation', () => {
  it('names the file, the field, the line and what was expected', () => {
    const msg = errorOf('name: x\nworkload:\n  rate: -5\n');
    expect(msg).toContain(file);
    expect(msg).toContain('workload.rate');
    expect(msg).toContain(':3');
    expect(msg).toMatch(/more than 0 and at most 50000 orders\/s/);
  });

  it('find-knee: needs a start rate, 2 judged seconds per step and bounded settings', () => {
    expect(errorOf('name: x\nworkload:\n  executor: find-knee\n')).toMatch(/workload\.startRate.*find-knee needs the first step's rate: expected more than 0 orders\/s, got 0/);
    expect(errorOf('name: x\nworkload:\n  executor: find-knee\n  startRate: 10\n  knee: { step: 3s, settle: 2s }\n')).toMatch(/workload\.knee\.settle.*expected at most knee\.step − 2 s \(1 s\)/);
    expect(errorOf('name: x\nworkload:\n  executor: find-knee\n  startRate: 10\n  knee: { factor: 1 }\n')).toMatch(/workload\.knee\.factor.*more than 1 and at most 10/);
    expect(errorOf('name: x\nworkload:\n  executor: find-knee\n  startRate: 10\n  knee: { maxDuration: 5s }\n')).toMatch(/workload\.knee\.maxDuration.*from 10s/);
    expect(errorOf('name: x\nworkload:\n  executor: find-knee\n  startRate: 100\n  knee: { maxRate: 50 }\n')).toMatch(/workload\.knee\.maxRate.*at least workload\.startRate \(100/);
    const ok = parseScenario('name: x\nworkload:\n  executor: find-knee\n  startRate: 10\n', file).scenario.workload;
    expect(ok.knee).toEqual({ step: 5000, settle: 2000, factor: 1.5, precision: 0.1, maxRate: 5000, maxDuration: 240_000 });
  });

  it('reports unknown keys by name', () => {
    expect(errorOf('name: x\nworkload:\n  raet: 5\n')).toMatch(/field "workload".*unknown key "raet"/);
  });

  it('reports a bad enum with the allowed values', () => {
    expect(errorOf('name: x\nworkload:\n  executor: fast\n')).toMatch(/workload\.executor.*"constant-arrival-rate"/);
  });

  it('reports a bad duration', () => {
    expect(errorOf('name: x\nworkload:\n  duration: soon\n')).toMatch(/workload\.duration.*duration such as/);
  });

  it('reports YAML syntax errors with a line', () => {
    expect(errorOf('name: x\nworkload: [\n')).toMatch(/bad\.yaml:\d+: not valid YAML/);
  });

  it('requires a name', () => {
    expect(errorOf('description: nothing\n')).toMatch(/field "name"/);
  });

  it('takes serviceCpu in milliseconds, from 0 to 1000', () => {
    const { scenario } = parseScenario('name: x\nworkflow:\n  serviceCpu: { payment: 40, order: 5ms }\n', file);
    expect(scenario.workflow.serviceCpu).toEqual({ payment: 40, order: 5 });
    expect(parseScenario('name: x\n', file).scenario.workflow.serviceCpu).toEqual({});
    expect(errorOf('name: x\nworkflow:\n  serviceCpu:\n    payment: 1001\n')).toMatch(/workflow\.serviceCpu\.payment": expected a duration from 0ms to 1s/);
    expect(errorOf('name: x\nworkflow:\n  serviceCpu:\n    billing: 5\n')).toMatch(/unknown key "billing"/);
  });

  it('parses durations and fills defaults', () => {
    const { scenario } = parseScenario('name: x\nworkload:\n  duration: 2m\n  warmup: 500ms\n', file);
    expect(scenario.workload.duration).toBe(120_000);
    expect(scenario.workload.warmup).toBe(500);
    expect(scenario.workload.executor).toBe('constant-arrival-rate');
    expect(scenario.transport.kafka.partitions).toBeGreaterThan(0);
  });

  it('bounds the warm-up: maxWarmup defaults to 60 s, a longer warm-up lifts it, a shorter maxWarmup is refused', () => {
    const of = (yaml: string) => parseScenario(`name: x\nworkload:\n${yaml}`, file).scenario.workload;
    expect(maxWarmupOf(of('  warmup: 5s\n'))).toBe(60_000);
    expect(maxWarmupOf(of('  warmup: 90s\n'))).toBe(90_000);
    expect(maxWarmupOf(of('  warmup: 5s\n  maxWarmup: 20s\n'))).toBe(20_000);
    expect(maxWarmupOf(of('  warmup: 5s\n  maxWarmup: 5s\n'))).toBe(5_000);
    const err = errorOf('name: x\nworkload:\n  warmup: 5s\n  maxWarmup: 2s\n');
    expect(err.split('\n')).toHaveLength(1);
    expect(err).toMatch(/field "workload\.maxWarmup": expected at least the warm-up \(5s\), got 2s/);
    expect(errorOf('name: x\nworkload:\n  maxWarmup: 2h\n')).toMatch(/field "workload\.maxWarmup": expected a duration from 0ms to 1h/);
  });

  it('takes --max-warmup as it takes --warmup, and refuses either below the other', () => {
    const base = parseScenario('name: x\nworkload:\n  warmup: 3s\n', file).scenario;
    expect(applyOverrides(base, { maxWarmup: '30s' }, file).scenario.workload.maxWarmup).toBe(30_000);
    expect(applyOverrides(base, { warmup: '1s', maxWarmup: '1s' }, file).scenario.workload).toMatchObject({ warmup: 1_000, maxWarmup: 1_000 });
    expect(() => applyOverrides(base, { maxWarmup: '2s' }, file)).toThrow(/^--max-warmup: expected at least the warm-up \(3s\), got "2s"$/);
    expect(() => applyOverrides(base, { maxWarmup: 'soon' }, file)).toThrow(/^--max-warmup: expected a duration such as 500ms/);
    const bounded = parseScenario('name: x\nworkload:\n  warmup: 3s\n  maxWarmup: 10s\n', file).scenario;
    expect(() => applyOverrides(bounded, { warmup: '20s' }, file)).toThrow(/^--warmup: expected at most workload\.maxWarmup of .* \(10s\), got "20s"; add --max-warmup$/);
    expect(maxWarmupOf(applyOverrides(base, { warmup: '90s' }, file).scenario.workload)).toBe(90_000);
  });

  it('checks transport settings once, at load, naming the field: min.insync.replicas above replication, prefetch 0', () => {
    expect(errorOf('name: x\ntransport:\n  kafka:\n    replicationFactor: 1\n    minInsyncReplicas: 2\n')).toMatch(
      /bad\.yaml:5: field "transport\.kafka\.minInsyncReplicas": 2 exceeds replicationFactor 1/,
    );
    expect(errorOf('name: x\ntransport:\n  activemq:\n    prefetch: 0\n')).toMatch(/field "transport\.activemq\.prefetch"/);
    expect(errorOf('name: x\ntransport:\n  rabbitmq:\n    queueType: stream\n')).toMatch(/transport\.rabbitmq\.queueType.*"quorum"/);
  });

  it('hands each adapter its settings as parsed, and defaults to commands without a scenario', () => {
    const { scenario } = parseScenario('name: x\ntransport:\n  rabbitmq:\n    shards: 4\n', file);
    expect(messagingSettings(scenario, 'rabbitmq')).toEqual({ prefetch: 50, shards: 4, queueType: 'classic' });
    expect(defaultMessagingSettings('kafka')).toEqual({ partitions: 3, replicationFactor: 1, minInsyncReplicas: 1, client: 'kafkajs', commitInterval: 100 });
  });

  it('picks the Kafka client per scenario and per step; an unknown client is refused naming the field', () => {
    const { scenario } = parseScenario('name: x\ntransports: [kafka]\nsteps:\n  - { kafkaClient: kafkajs }\n  - { kafkaClient: librdkafka }\n', file);
    expect(scenario.transport.kafka.client).toBe('kafkajs');
    expect(scenario.steps.map((st) => applyStep(scenario, st).transport.kafka.client)).toEqual(['kafkajs', 'librdkafka']);
    expect(errorOf('name: x\ntransport:\n  kafka:\n    client: rdkafka\n')).toMatch(/transport\.kafka\.client.*"librdkafka"/);
  });

  it('loads every shipped scenario, each opening with a comment', () => {
    const files = listScenarioFiles();
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const f of files) {
      const loaded = loadScenario(f);
      expect(loaded.comment.length, f).toBeGreaterThan(20);
    }
  });

  it('rejects an unknown scenario name, listing the known ones', () => {
    expect(() => loadScenario('no-such-scenario')).toThrow(/unknown scenario "no-such-scenario": expected one of .*order-happy-path/);
  });
});
