import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/contract/errors.js';
import { readSecret } from '../../src/contract/secrets.js';
import { loadTarget, parseTarget } from '../../src/targets/load.js';
import { targetJsonSchema } from '../../src/targets/schema.js';

const dir = mkdtempSync(join(tmpdir(), 'bench-target-unit-'));
const ca = join(dir, 'ca.pem');
writeFileSync(ca, '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n');
const env = { KAFKA_PW: 's3cret-kafka', RABBIT_PW: 's3cret-rabbit', CA_FILE: ca };
const file = join(dir, 'target.yaml');

function parse(text: string, e: NodeJS.ProcessEnv = env) {
  return parseTarget(text, file, e);
}
function error(text: string, e: NodeJS.ProcessEnv = env): string {
  try {
    parse(text, e);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('parsed without error');
}

const KAFKA = `name: t
kafka:
  brokers: [b-1.example.com:9096, b-2.example.com:9096]
  security: SASL_SSL
  sasl: { mechanism: SCRAM-SHA-512, username: bench, passwordEnv: KAFKA_PW }
  tls: { ca: ./ca.pem }
`;

describe('target files', () => {
  it('builds endpoints that name secrets and never hold them', () => {
    const t = parse(`${KAFKA}rabbitmq:\n  url: amqps://mq.example.com\n  username: app\n  passwordEnv: RABBIT_PW\nactivemq: { host: mq.example.com, port: 61617, tls: true, username: app, passwordFile: ./ca.pem }\n`);
    expect(t.prefix).toBe('bench');
    expect(t.endpoints.kafka).toEqual({
      brokers: ['b-1.example.com:9096', 'b-2.example.com:9096'],
      security: 'SASL_SSL',
      sasl: { mechanism: 'scram-sha-512', username: 'bench', password: { env: 'KAFKA_PW' } },
      tls: { ca },
    });
    expect(t.endpoints.rabbitmq).toEqual({ url: 'amqps://mq.example.com', username: 'app', password: { env: 'RABBIT_PW' }, tls: {} });
    expect(t.endpoints.activemq).toEqual({ host: 'mq.example.com', port: 61617, tls: {}, username: 'app', password: { file: ca } });
    const json = JSON.stringify(t);
    expect(json).not.toContain('s3cret');
    expect(readSecret(t.endpoints.kafka!.sasl!.password, env)).toBe('s3cret-kafka');
  });

  it('rejects a password written in the file, in one line saying how to pass it', () => {
    const m = error(`name: t\nkafka:\n  brokers: [h:9092]\n  security: SASL_SSL\n  sasl: { mechanism: PLAIN, username: u, password: hunter2 }\n`);
    expect(m).toBe(`${file}:5: field "kafka.sasl.password": a secret is never written in a target file; pass it as passwordEnv: NAME (an environment variable) or passwordFile: PATH (a file holding it)`);
    expect(m).not.toContain('hunter2');
    expect(error(`name: t\nrabbitmq: { url: "amqps://u:hunter2@h:5671" }\n`)).toMatch(/field "rabbitmq.url": the URL holds a password; give the user as username/);
    expect(error(`name: t\nactivemq: { host: h, port: 1, username: u, passcode: x }\n`)).toMatch(/"activemq.passcode": a secret is never written/);
  });

  it('names an unset password variable, an unset ${VAR} and an unreadable file', () => {
    expect(error(KAFKA, { CA_FILE: ca })).toMatch(/field "kafka.sasl.passwordEnv": environment variable KAFKA_PW is not set/);
    expect(error(KAFKA.replace('./ca.pem', '"${NO_SUCH_VAR}"'))).toMatch(/:6: field "kafka.tls.ca": environment variable NO_SUCH_VAR is not set/);
    expect(error(KAFKA.replace('./ca.pem', './missing.pem'))).toMatch(/field "kafka.tls.ca": cannot read .*missing\.pem/);
    expect(parse(KAFKA.replace('./ca.pem', '"${CA_FILE}"')).endpoints.kafka!.tls).toEqual({ ca });
  });

  it('checks that security, SASL and TLS fit together', () => {
    expect(error(`name: t\nkafka: { brokers: "h:9092", security: SASL_SSL }\n`)).toMatch(/"kafka.security": SASL_SSL needs a sasl block/);
    expect(error(`name: t\nkafka: { brokers: "h:9092", sasl: { mechanism: PLAIN, username: u, passwordEnv: KAFKA_PW } }\n`)).toMatch(/security PLAINTEXT does not use SASL/);
    expect(error(`name: t\nkafka: { brokers: "h:9092", tls: true }\n`)).toMatch(/security PLAINTEXT does not use TLS/);
    expect(error(`name: t\nkafka: { brokers: "h:9092", security: SASL_SSL, sasl: { mechanism: SCRAM-SHA-1, username: u, passwordEnv: KAFKA_PW } }\n`)).toMatch(/"kafka.sasl.mechanism": expected one of "PLAIN"/);
    expect(error(`name: t\nrabbitmq: { url: "amqp://h", tls: { ca: ./ca.pem } }\n`)).toMatch(/TLS files given for an amqp:\/\/ URL; use amqps/);
    expect(error(`name: t\nrabbitmq: { url: "amqps://h", username: u }\n`)).toMatch(/a login needs its password/);
    expect(error(`name: t\nkafka: { brokers: [nohostport] }\n`)).toMatch(/"kafka.brokers/);
    expect(error(`name: t\nkafkaa: {}\n`)).toMatch(/unknown key "kafkaa"/);
  });

  it('reads provision and prefix; a plaintext default is PLAINTEXT with no TLS', () => {
    const t = parse(`name: t\nprefix: team-a\nkafka: { brokers: "h1:9092,h2:9092", provision: false }\n`);
    expect(t.prefix).toBe('team-a');
    expect(t.provision).toEqual({ kafka: false, rabbitmq: true, activemq: true });
    expect(t.endpoints.kafka).toEqual({ brokers: ['h1:9092', 'h2:9092'], security: 'PLAINTEXT' });
  });

  it('ships targets/local-secure.yaml, valid against the loader and described by its JSON Schema', () => {
    const t = loadTarget('local-secure', { BENCH_SECURE_KAFKA_PASSWORD: 'a', BENCH_SECURE_RABBITMQ_PASSWORD: 'b', BENCH_SECURE_ACTIVEMQ_PASSWORD: 'c', BENCH_SECURE_CA: ca });
    expect(t.endpoints.kafka!.security).toBe('SASL_SSL');
    expect(t.endpoints.rabbitmq!.url).toMatch(/^amqps:/);
    expect(t.endpoints.activemq!.tls).toEqual({ ca });
    const shipped = JSON.parse(readFileSync(new URL('../../targets/target.schema.json', import.meta.url), 'utf8')) as unknown;
    expect(shipped, 'targets/target.schema.json is current (npm run schema)').toEqual(targetJsonSchema());
  });
});
