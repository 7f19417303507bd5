/**
 * Broker addresses for tests: environment variables, else the defaults the
 * harness starts its brokers on.
 */
import type { BrokerEndpoints } from '../../src/contract/transport.js';

export function testEndpoints(env: NodeJS.ProcessEnv = process.env): BrokerEndpoints {
  return {
    kafka: { brokers: (env.BENCH_KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((b) => b.trim()).filter(Boolean) },
    rabbitmq: { url: env.BENCH_RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672' },
    activemq: { host: env.BENCH_STOMP_HOST ?? '127.0.0.1', port: Number(env.BENCH_STOMP_PORT ?? 61613) },
    nats: { servers: [`127.0.0.1:${env.BENCH_NATS_PORT ?? 4222}`] },
    redis: { url: `redis://127.0.0.1:${env.BENCH_REDIS_PORT ?? 6379}` },
    mqtt: { url: `mqtt://127.0.0.1:${env.BENCH_MQTT_PORT ?? 1883}` },
  };
}

/** Endpoints where nothing listens (port 1 on loopback), for unreachability tests. */
export function unreachableEndpoints(): BrokerEndpoints {
  return {
    kafka: { brokers: ['127.0.0.1:1'] },
    rabbitmq: { url: 'amqp://guest:guest@127.0.0.1:1' },
    activemq: { host: '127.0.0.1', port: 1 },
    nats: { servers: ['127.0.0.1:1'] },
    redis: { url: 'redis://127.0.0.1:1' },
    mqtt: { url: 'mqtt://127.0.0.1:1' },
  };
}
