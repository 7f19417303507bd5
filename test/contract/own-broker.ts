/**
 * A broker of the test's own, on its own ports and state directory, that a test may kill
 * and restart without touching the brokers the rest of the suite shares.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { brokerEndpoints, brokersDown, brokersUp, type BrokerName, type SettingsOverrides } from '../../src/brokers/index.js';
import { brokerAnswers, brokerTarget, killBroker, restartBrokerNow } from '../../src/brokers/control.js';
import { resolveSettings, type BrokerSettings } from '../../src/brokers/settings.js';
import type { BrokerEndpoints } from '../../src/contract/transport.js';

/** Ports no shared broker uses (the 3-node Kafka test uses 29092-29094/29192-29194). */
const OWN_PORTS = { kafka: 28092, kafkaController: 28192, rabbitmq: 28672, stomp: 28613, openwire: 28616 };

export interface OwnBroker {
  endpoints: BrokerEndpoints;
  settings: BrokerSettings;
  /** the environment a `bench` child process needs to use this broker */
  env: Record<string, string>;
  /** SIGKILL, wait `downMs`, start again on the same data, wait until it answers; resolves with how long it took to answer, ms */
  killAndRestart(downMs: number): Promise<number>;
  /** SIGKILL only (for a test that restarts later) */
  kill(): Promise<void>;
  restart(): Promise<number>;
  stop(): Promise<void>;
}

export async function startOwnBroker(name: BrokerName): Promise<OwnBroker> {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-own-${name}-`));
  const opts: SettingsOverrides = { stateDir, cacheDir: process.env.BENCH_CACHE_DIR, ports: OWN_PORTS };
  await brokersUp({ ...opts, only: [name] });
  const settings = resolveSettings(opts);
  const e = brokerEndpoints(opts);
  let killed = brokerTarget(name, settings);
  const restart = async (): Promise<number> => {
    const t0 = Date.now();
    restartBrokerNow(killed, settings);
    await brokerAnswers(killed, settings);
    return Date.now() - t0;
  };
  const kill = async (): Promise<void> => {
    killed = brokerTarget(name, settings);
    await killBroker(killed);
  };
  return {
    endpoints: { kafka: e.kafka, rabbitmq: e.rabbitmq, activemq: { host: e.activemq.host, port: e.activemq.port }, nats: e.nats, redis: e.redis, mqtt: e.mqtt },
    settings,
    env: {
      BENCH_STATE_DIR: stateDir,
      BENCH_KAFKA_PORT: String(OWN_PORTS.kafka),
      BENCH_KAFKA_CONTROLLER_PORT: String(OWN_PORTS.kafkaController),
      BENCH_RABBITMQ_PORT: String(OWN_PORTS.rabbitmq),
      BENCH_STOMP_PORT: String(OWN_PORTS.stomp),
      BENCH_OPENWIRE_PORT: String(OWN_PORTS.openwire),
      BENCH_KAFKA_BROKERS: e.kafka.brokers.join(','),
      BENCH_RABBITMQ_URL: e.rabbitmq.url,
    },
    kill,
    restart,
    async killAndRestart(downMs) {
      await kill();
      await new Promise((r) => setTimeout(r, downMs));
      return restart();
    },
    async stop() {
      await brokersDown({ ...opts, only: [name], purge: true });
      fs.rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
