import path from 'node:path';
import { REPO_ROOT } from '../repo-root.js';
import { ConfigError } from '../contract/errors.js';
import type { SecureSetup } from './types.js';

/**
 * The one source of truth for broker versions, ports and settings. The no-Docker path
 * (`bench brokers up`) renders its configuration from these values, and a test checks
 * docker-compose.yml against them.
 */

/** Apache Kafka release fetched from Maven Central (src/brokers/kafka/pom.xml) and used in docker-compose.yml. */
export const KAFKA_VERSION = '4.4.0';
export const KAFKA_IMAGE = `apache/kafka:${KAFKA_VERSION}`;
export const RABBITMQ_IMAGE = 'rabbitmq:3-management';
export const ACTIVEMQ_IMAGE = 'apache/activemq-classic:5.18.6';
/** the releases Debian bookworm ships (what `bench brokers up` starts without Docker) */
export const NATS_IMAGE = 'nats:2.9.10';
export const REDIS_IMAGE = 'redis:7.0.15';
export const MOSQUITTO_IMAGE = 'eclipse-mosquitto:2.0.11';

export const HOST = '127.0.0.1';

export const DEFAULT_PORTS = {
  /** first Kafka broker; a 3-node cluster uses this and the next two */
  kafka: 9092,
  /** first KRaft controller listener; a 3-node cluster uses this and the next two */
  kafkaController: 9192,
  rabbitmq: 5672,
  stomp: 61613,
  openwire: 61616,
  /** NATS with JetStream, Redis and Mosquitto: the ports these machines' own servers use */
  nats: 4222,
  redis: 6379,
  mqtt: 1883,
} as const;
export type BrokerPorts = { -readonly [K in keyof typeof DEFAULT_PORTS]: number };

/** Environment variables that override the default ports. */
export const PORT_ENV: Record<keyof BrokerPorts, string> = {
  kafka: 'BENCH_KAFKA_PORT',
  kafkaController: 'BENCH_KAFKA_CONTROLLER_PORT',
  rabbitmq: 'BENCH_RABBITMQ_PORT',
  stomp: 'BENCH_STOMP_PORT',
  openwire: 'BENCH_OPENWIRE_PORT',
  nats: 'BENCH_NATS_PORT',
  redis: 'BENCH_REDIS_PORT',
  mqtt: 'BENCH_MQTT_PORT',
};

/** JVM heap of each broker: small, the machines have 2 cores and several brokers share them. */
export const KAFKA_HEAP = '-Xmx512m';
export const ACTIVEMQ_HEAP = '-Xmx512m';

/**
 * Broker settings for a dev box, for a cluster of `nodes` Kafka brokers. Topics are
 * created by the harness (auto-creation off); internal topics replicate as far as the
 * cluster allows.
 */
export function kafkaBrokerDefaults(nodes: number): Record<string, string> {
  const rf = String(Math.min(3, nodes));
  const isr = String(Math.min(2, nodes));
  return {
    'auto.create.topics.enable': 'false',
    'num.partitions': '1',
    'default.replication.factor': rf,
    'min.insync.replicas': '1',
    'offsets.topic.replication.factor': rf,
    'offsets.topic.num.partitions': '10',
    'transaction.state.log.replication.factor': rf,
    'transaction.state.log.min.isr': isr,
    'share.coordinator.state.topic.replication.factor': rf,
    'share.coordinator.state.topic.min.isr': isr,
    'group.initial.rebalance.delay.ms': '0',
    'log.retention.hours': '24',
  };
}

/** RabbitMQ plugins the harness uses; written to enabled_plugins when we start our own server. */
export const RABBITMQ_PLUGINS = ['rabbitmq_consistent_hash_exchange'] as const;
/** Plugins the Docker image also enables (management answers on 15672 there). */
export const RABBITMQ_DOCKER_PLUGINS = ['rabbitmq_management', ...RABBITMQ_PLUGINS] as const;
export const RABBITMQ_USER = 'guest';
export const RABBITMQ_PASSWORD = 'guest';

export { REPO_ROOT };
export interface BrokerSettings {
  host: string;
  /** data, logs and PID records of the brokers we start */
  stateDir: string;
  /** downloaded Kafka jars, shared by every state dir */
  cacheDir: string;
  ports: BrokerPorts;
  /** set for the secure brokers (`brokers up --secure`): TLS, logins, their own ports */
  secure?: SecureSetup;
}

export interface SettingsOverrides {
  stateDir?: string;
  cacheDir?: string;
  ports?: Partial<BrokerPorts>;
}

/**
 * Each port as given, else from its environment variable, else its default (a variable
 * unset or empty); a value that is not a port number is one ConfigError naming the variable.
 */
export function portsFromEnv<K extends string>(
  defaults: Readonly<Record<K, number>>,
  names: Readonly<Record<K, string>>,
  env: NodeJS.ProcessEnv,
  given: Partial<Record<K, number>> = {},
): Record<K, number> {
  const ports = {} as Record<K, number>;
  for (const key of Object.keys(defaults) as K[]) {
    const chosen = given[key];
    if (chosen !== undefined) {
      ports[key] = chosen;
      continue;
    }
    const raw = env[names[key]];
    const n = raw === undefined || raw === '' ? defaults[key] : Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > 65535) throw new ConfigError(`${names[key]}=${raw} is not a port number (1-65535)`);
    ports[key] = n;
  }
  return ports;
}

/** Settings from overrides, then environment, then defaults. */
export function resolveSettings(overrides: SettingsOverrides = {}, env: NodeJS.ProcessEnv = process.env): BrokerSettings {
  const ports: BrokerPorts = portsFromEnv(DEFAULT_PORTS, PORT_ENV, env, overrides.ports);
  const stateDir = path.resolve(overrides.stateDir ?? env.BENCH_STATE_DIR ?? path.join(REPO_ROOT, '.bench/brokers'));
  const cacheDir = path.resolve(overrides.cacheDir ?? env.BENCH_CACHE_DIR ?? path.join(REPO_ROOT, '.bench/cache'));
  return { host: HOST, stateDir, cacheDir, ports };
}

/** 'host:port' of each Kafka broker of an n-node cluster. */
export function kafkaAddresses(s: BrokerSettings, nodes: number): string[] {
  return Array.from({ length: nodes }, (_, i) => `${s.host}:${s.ports.kafka + i}`);
}
