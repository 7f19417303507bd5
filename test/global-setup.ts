import type { TestProject } from 'vitest/node';
import { brokerEndpoints, brokersDown, brokersUp, type BrokerEndpoints, type BrokerName } from '../src/brokers/index.js';

/**
 * Real brokers for the whole suite: Kafka, RabbitMQ and ActiveMQ are installed if
 * missing and started if not running; their endpoints reach test files and child
 * processes through the environment (and `inject('brokerEndpoints')`). Teardown stops
 * only what this set-up started, whether tests passed or not.
 * BENCH_SKIP_BROKERS=1 skips all of it (unit tests only).
 */

declare module 'vitest' {
  export interface ProvidedContext {
    brokerEndpoints: BrokerEndpoints;
  }
}

let startedHere: BrokerName[] = [];

export async function setup(project: TestProject): Promise<void> {
  if (process.env.BENCH_SKIP_BROKERS === '1') {
    console.log('[brokers] BENCH_SKIP_BROKERS=1: not starting brokers');
    return;
  }
  const t0 = Date.now();
  console.log('[brokers] bringing up kafka, rabbitmq, activemq…');
  const list = await brokersUp({ log: (line) => console.log(`[brokers] ${line}`) });
  startedHere = list.filter((b) => b.startedNow).map((b) => b.name);
  const e = brokerEndpoints();
  process.env.BENCH_KAFKA_BROKERS = e.kafka.brokers.join(',');
  process.env.BENCH_RABBITMQ_URL = e.rabbitmq.url;
  process.env.BENCH_STOMP_HOST = e.activemq.host;
  process.env.BENCH_STOMP_PORT = String(e.activemq.port);
  process.env.BENCH_OPENWIRE_PORT = String(e.activemq.openwirePort);
  project.provide('brokerEndpoints', e);
  const started = startedHere.length > 0 ? `started ${startedHere.join(', ')}` : 'all were already running';
  console.log(`[brokers] ready in ${((Date.now() - t0) / 1000).toFixed(1)} s (${started})`);
}

export async function teardown(): Promise<void> {
  if (startedHere.length === 0) return;
  console.log(`[brokers] stopping ${startedHere.join(', ')} (started by this run)…`);
  await brokersDown({ only: startedHere });
  startedHere = [];
}
