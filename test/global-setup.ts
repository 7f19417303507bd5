import type { TestProject } from 'vitest/node';
import {
  brokerEndpoints, brokersDown, brokersUp, readEnvFile, resolveSettings, secureEnvFile, type BrokerEndpoints, type BrokerName,
} from '../src/brokers/index.js';

/**
 * Real brokers for the whole suite: Kafka, RabbitMQ and ActiveMQ are installed if
 * missing and started if not running; their endpoints reach test files and child
 * processes through the environment (and `inject('brokerEndpoints')`). The secure
 * brokers (TLS and logins, on their own ports) start beside them, and their passwords
 * reach the tests as the environment variables targets/local-secure.yaml names.
 * Teardown stops only what this set-up started, whether tests passed or not.
 * BENCH_SKIP_BROKERS=1 skips all of it (unit tests only).
 */

declare module 'vitest' {
  export interface ProvidedContext {
    brokerEndpoints: BrokerEndpoints;
  }
}

let startedHere: BrokerName[] = [];
let secureStartedHere: BrokerName[] = [];

export async function setup(project: TestProject): Promise<void> {
  if (process.env.BENCH_SKIP_BROKERS === '1') {
    console.log('[brokers] BENCH_SKIP_BROKERS=1: not starting brokers');
    return;
  }
  const t0 = Date.now();
  console.log('[brokers] bringing up kafka, rabbitmq, activemq…');
  const [list, secure] = await Promise.all([
    brokersUp({ log: (line) => console.log(`[brokers] ${line}`) }),
    brokersUp({ secure: true, log: (line) => console.log(`[brokers] secure: ${line}`) }),
  ]);
  startedHere = list.filter((b) => b.startedNow).map((b) => b.name);
  secureStartedHere = secure.filter((b) => b.startedNow).map((b) => b.name);
  Object.assign(process.env, readEnvFile(secureEnvFile(resolveSettings())));
  const e = brokerEndpoints();
  process.env.BENCH_KAFKA_BROKERS = e.kafka.brokers.join(',');
  process.env.BENCH_RABBITMQ_URL = e.rabbitmq.url;
  process.env.BENCH_STOMP_HOST = e.activemq.host;
  process.env.BENCH_STOMP_PORT = String(e.activemq.port);
  process.env.BENCH_OPENWIRE_PORT = String(e.activemq.openwirePort);
  project.provide('brokerEndpoints', e);
  const all = [...startedHere, ...secureStartedHere.map((n) => `secure ${n}`)];
  const started = all.length > 0 ? `started ${all.join(', ')}` : 'all were already running';
  console.log(`[brokers] ready in ${((Date.now() - t0) / 1000).toFixed(1)} s (${started})`);
}

export async function teardown(): Promise<void> {
  if (startedHere.length + secureStartedHere.length === 0) return;
  console.log(`[brokers] stopping ${[...startedHere, ...secureStartedHere.map((n) => `secure ${n}`)].join(', ')} (started by this run)…`);
  await Promise.all([
    startedHere.length > 0 ? brokersDown({ only: startedHere }) : undefined,
    secureStartedHere.length > 0 ? brokersDown({ only: secureStartedHere, secure: true }) : undefined,
  ]);
  startedHere = [];
  secureStartedHere = [];
}
