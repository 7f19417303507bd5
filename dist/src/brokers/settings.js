import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { REPO_ROOT } from '../repo-root.js';
import { ConfigError } from '../contract/errors.js';
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
};
/** Environment variables that override the default ports. */
export const PORT_ENV = {
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
export function kafkaBrokerDefaults(nodes) {
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
export const RABBITMQ_PLUGINS = ['rabbitmq_consistent_hash_exchange'];
/** Plugins the Docker image also enables (management answers on 15672 there). */
export const RABBITMQ_DOCKER_PLUGINS = ['rabbitmq_management', ...RABBITMQ_PLUGINS];
export const RABBITMQ_USER = 'guest';
export const RABBITMQ_PASSWORD = 'guest';
export { REPO_ROOT };
export const KAFKA_POM = path.join(REPO_ROOT, 'src/brokers/kafka/pom.xml');
function portFromEnv(key, env) {
    const name = PORT_ENV[key];
    const raw = env[name];
    if (raw === undefined || raw === '')
        return DEFAULT_PORTS[key];
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > 65535)
        throw new ConfigError(`${name}=${raw} is not a port number (1-65535)`);
    return n;
}
/** Settings from overrides, then environment, then defaults. */
export function resolveSettings(overrides = {}, env = process.env) {
    const ports = {};
    for (const key of Object.keys(DEFAULT_PORTS)) {
        ports[key] = overrides.ports?.[key] ?? portFromEnv(key, env);
    }
    const stateDir = path.resolve(overrides.stateDir ?? env.BENCH_STATE_DIR ?? path.join(REPO_ROOT, '.bench/brokers'));
    const cacheDir = path.resolve(overrides.cacheDir ?? env.BENCH_CACHE_DIR ?? path.join(REPO_ROOT, '.bench/cache'));
    return { host: HOST, stateDir, cacheDir, ports };
}
/** 'host:port' of each Kafka broker of an n-node cluster. */
export function kafkaAddresses(s, nodes) {
    return Array.from({ length: nodes }, (_, i) => `${s.host}:${s.ports.kafka + i}`);
}
//# sourceMappingURL=settings.js.map