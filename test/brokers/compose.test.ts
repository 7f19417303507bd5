import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderServerProperties, kafkaNodes } from '../../src/brokers/kafka-config.js';
import { dockerFiles } from '../../src/brokers/docker/render.js';
import {
  ACTIVEMQ_IMAGE, DEFAULT_PORTS, KAFKA_IMAGE, KAFKA_VERSION, RABBITMQ_IMAGE, kafkaBrokerDefaults,
  MOSQUITTO_IMAGE, NATS_IMAGE, REDIS_IMAGE,
} from '../../src/brokers/index.js';
import { ACTIVEMQ_HEAP, KAFKA_HEAP, REPO_ROOT } from '../../src/brokers/settings.js';

/** docker-compose.yml cannot run here (no Docker engine): check it agrees with the no-Docker brokers. */

interface Service {
  image: string;
  ports: string[];
  environment: Record<string, string>;
  volumes: string[];
}
const compose = parse(fs.readFileSync(path.join(REPO_ROOT, 'docker-compose.yml'), 'utf8')) as { services: Record<string, Service> };
const svc = (name: string): Service => {
  const s = compose.services[name];
  if (!s) throw new Error(`docker-compose.yml has no service ${name}`);
  return s;
};
/** apache/kafka maps KAFKA_A_B__C to the property a.b_c */
const kafkaEnvName = (prop: string) => `KAFKA_${prop.toUpperCase().replace(/_/g, '__').replace(/\./g, '_')}`;

describe('docker-compose.yml', () => {
  it('runs the same Kafka release as the jars, on the same port, with the same settings', () => {
    const k = svc('kafka');
    expect(k.image).toBe(KAFKA_IMAGE);
    expect(KAFKA_IMAGE).toContain(KAFKA_VERSION);
    const pom = fs.readFileSync(path.join(REPO_ROOT, 'src/brokers/kafka/pom.xml'), 'utf8');
    expect(pom).toContain(`<kafka.version>${KAFKA_VERSION}</kafka.version>`);
    expect(k.ports).toContain(`127.0.0.1:${DEFAULT_PORTS.kafka}:${DEFAULT_PORTS.kafka}`);
    expect(k.environment.KAFKA_HEAP_OPTS).toContain(KAFKA_HEAP);
    for (const [prop, value] of Object.entries(kafkaBrokerDefaults(1))) {
      expect(k.environment[kafkaEnvName(prop)], prop).toBe(value);
    }
    // listeners and roles as the no-Docker node renders them (host names aside)
    const props = Object.fromEntries(renderServerProperties('127.0.0.1', kafkaNodes(1, DEFAULT_PORTS.kafka, DEFAULT_PORTS.kafkaController)[0]!,
      kafkaNodes(1, DEFAULT_PORTS.kafka, DEFAULT_PORTS.kafkaController), '/data').trim().split('\n').map((l) => l.split('=', 2) as [string, string]));
    for (const key of ['process.roles', 'controller.listener.names', 'inter.broker.listener.name', 'listener.security.protocol.map', 'advertised.listeners', 'node.id']) {
      expect(k.environment[kafkaEnvName(key)], key).toBe(props[key]);
    }
    expect(k.environment.KAFKA_LISTENERS).toBe(`PLAINTEXT://:${DEFAULT_PORTS.kafka},CONTROLLER://:${DEFAULT_PORTS.kafkaController}`);
    expect(k.environment.KAFKA_CONTROLLER_QUORUM_VOTERS).toBe(`1@localhost:${DEFAULT_PORTS.kafkaController}`);
  });

  it('publishes RabbitMQ on the same port with the plugins the harness enables', () => {
    const r = svc('rabbitmq');
    expect(r.image).toBe(RABBITMQ_IMAGE);
    expect(r.ports).toContain(`127.0.0.1:${DEFAULT_PORTS.rabbitmq}:${DEFAULT_PORTS.rabbitmq}`);
    expect(r.environment.RABBITMQ_DEFAULT_USER).toBe('guest');
    const mount = r.volumes.find((v) => v.endsWith(':/etc/rabbitmq/enabled_plugins:ro'));
    expect(mount).toBeDefined();
    const file = path.join(REPO_ROOT, mount!.split(':')[0]!);
    expect(fs.readFileSync(file, 'utf8'), 'regenerate: node --import tsx src/brokers/docker/render.ts').toBe(dockerFiles().enabled_plugins);
  });

  it('gives ActiveMQ the activemq.xml the no-Docker broker uses, on the same ports', () => {
    const a = svc('activemq');
    expect(a.image).toBe(ACTIVEMQ_IMAGE);
    expect(a.ports).toContain(`127.0.0.1:${DEFAULT_PORTS.stomp}:${DEFAULT_PORTS.stomp}`);
    expect(a.ports).toContain(`127.0.0.1:${DEFAULT_PORTS.openwire}:${DEFAULT_PORTS.openwire}`);
    expect(a.environment.ACTIVEMQ_OPTS_MEMORY).toContain(ACTIVEMQ_HEAP);
    const mount = a.volumes.find((v) => v.endsWith(':/opt/apache-activemq/conf/activemq.xml:ro'));
    expect(mount).toBeDefined();
    const xml = fs.readFileSync(path.join(REPO_ROOT, mount!.split(':')[0]!), 'utf8');
    expect(xml, 'regenerate: node --import tsx src/brokers/docker/render.ts').toBe(dockerFiles()['activemq.xml']);
    expect(xml).toContain(`stomp://0.0.0.0:${DEFAULT_PORTS.stomp}?transport.tcpNoDelay=true`);
    expect(xml).toContain('<statisticsBrokerPlugin/>');
    expect(xml).toContain('schedulerSupport="false"');
  });

  it('runs NATS with JetStream, Redis without persistence and Mosquitto with its config, on the same ports and releases', () => {
    const nats = svc('nats');
    expect(nats.image).toBe(NATS_IMAGE);
    expect(nats.ports).toContain(`127.0.0.1:${DEFAULT_PORTS.nats}:${DEFAULT_PORTS.nats}`);
    expect((nats as unknown as { command: string[] }).command).toContain('-js');
    const redis = svc('redis');
    expect(redis.image).toBe(REDIS_IMAGE);
    expect(redis.ports).toContain(`127.0.0.1:${DEFAULT_PORTS.redis}:${DEFAULT_PORTS.redis}`);
    expect((redis as unknown as { command: string[] }).command.join(' ')).toContain('--appendonly no');
    const m = svc('mosquitto');
    expect(m.image).toBe(MOSQUITTO_IMAGE);
    expect(m.ports).toContain(`127.0.0.1:${DEFAULT_PORTS.mqtt}:${DEFAULT_PORTS.mqtt}`);
    const mount = m.volumes.find((v) => v.endsWith(':/mosquitto/config/mosquitto.conf:ro'));
    expect(mount).toBeDefined();
    const conf = fs.readFileSync(path.join(REPO_ROOT, mount!.split(':')[0]!), 'utf8');
    expect(conf, 'regenerate: node --import tsx src/brokers/docker/render.ts').toBe(dockerFiles()['mosquitto.conf']);
    expect(conf).toContain('max_queued_messages 0');
  });
});
