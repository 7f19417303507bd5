import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ensureTlsMaterial, tlsMaterialPaths } from './tls-material.js';
import { portsFromEnv, type BrokerSettings } from './settings.js';
import type { LogFn, SecurePorts, SecureSetup } from './types.js';

/**
 * The secure local brokers (`bench brokers up --secure`): Kafka with a SASL_SSL listener
 * (SCRAM-SHA-256/512 and PLAIN), RabbitMQ with only an amqps listener, ActiveMQ with only
 * stomp+ssl, each with a login of its own. They run beside the plain ones, on their own
 * ports and in their own state directory (`<state dir>/secure`), so starting or stopping
 * them never touches the brokers everyone else uses.
 */

export const SECURE_USER = 'bench';
/** a second Kafka user with no ACLs: it may connect and nothing else */
export const SECURE_LIMITED_USER = 'bench-limited';

export const SECURE_DEFAULT_PORTS = {
  /** Kafka's SASL_SSL listener (what clients use) */
  kafka: 9393,
  /** Kafka's inter-broker listener (plaintext, 127.0.0.1 only; one node talking to itself) */
  kafkaInternal: 9394,
  kafkaController: 9395,
  /** RabbitMQ amqps */
  rabbitmq: 5671,
  /** RabbitMQ management API over https (lists queues for `bench clean`) */
  rabbitmqManagement: 15671,
  /** ActiveMQ stomp+ssl */
  stomp: 61614,
} as const satisfies SecurePorts;

export const SECURE_PORT_ENV: Record<keyof SecurePorts, string> = {
  kafka: 'BENCH_SECURE_KAFKA_PORT',
  kafkaInternal: 'BENCH_SECURE_KAFKA_INTERNAL_PORT',
  kafkaController: 'BENCH_SECURE_KAFKA_CONTROLLER_PORT',
  rabbitmq: 'BENCH_SECURE_RABBITMQ_PORT',
  rabbitmqManagement: 'BENCH_SECURE_RABBITMQ_MANAGEMENT_PORT',
  stomp: 'BENCH_SECURE_STOMP_PORT',
};

/** Variables written to secure.env; targets/local-secure.yaml reads them. */
export const SECURE_ENV = {
  kafkaPassword: 'BENCH_SECURE_KAFKA_PASSWORD',
  /** password of the Kafka user without ACLs */
  kafkaLimitedPassword: 'BENCH_SECURE_KAFKA_LIMITED_PASSWORD',
  rabbitmqPassword: 'BENCH_SECURE_RABBITMQ_PASSWORD',
  activemqPassword: 'BENCH_SECURE_ACTIVEMQ_PASSWORD',
  /** path of the test CA's certificate */
  ca: 'BENCH_SECURE_CA',
} as const;

export function securePorts(env: NodeJS.ProcessEnv = process.env): SecurePorts {
  return portsFromEnv(SECURE_DEFAULT_PORTS, SECURE_PORT_ENV, env);
}

/** The file of `export` lines with the generated passwords (mode 0600). */
export function secureEnvFile(base: BrokerSettings): string {
  return path.join(base.stateDir, 'secure.env');
}

/** Parses `export NAME='value'` lines (as written by writeSecureEnv). */
export function readEnvFile(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return out;
  }
  for (const line of text.split('\n')) {
    const m = /^export ([A-Z0-9_]+)='([^']*)'$/.exec(line.trim());
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}

/** Settings of the secure brokers: the base state dir's `secure/` subdirectory and the secure ports. */
export function secureSettings(base: BrokerSettings, setup?: SecureSetup): BrokerSettings & { secure?: SecureSetup } {
  const ports = setup?.ports ?? securePorts();
  return {
    host: base.host,
    stateDir: path.join(base.stateDir, 'secure'),
    cacheDir: base.cacheDir,
    // NATS, Redis and Mosquitto have no secure set: their ports are 0 (never started from here)
    ports: { kafka: ports.kafka, kafkaController: ports.kafkaController, rabbitmq: ports.rabbitmq, stomp: ports.stomp, openwire: 0, nats: 0, redis: 0, mqtt: 0 },
    ...(setup ? { secure: setup } : {}),
  };
}

/**
 * Passwords (made once, then read back from secure.env: Kafka keeps its SCRAM
 * credentials in its metadata, so they must not change under a running state dir) and
 * the TLS material; writes secure.env.
 */
export async function ensureSecureSetup(base: BrokerSettings, log: LogFn): Promise<SecureSetup> {
  const file = secureEnvFile(base);
  const known = readEnvFile(file);
  const password = (name: string) => known[name] || randomBytes(16).toString('hex');
  const tls = await ensureTlsMaterial(path.join(base.stateDir, 'secure', 'tls'), log);
  const setup: SecureSetup = {
    user: SECURE_USER,
    passwords: {
      kafka: password(SECURE_ENV.kafkaPassword),
      kafkaLimited: password(SECURE_ENV.kafkaLimitedPassword),
      rabbitmq: password(SECURE_ENV.rabbitmqPassword),
      activemq: password(SECURE_ENV.activemqPassword),
    },
    tls,
    ports: securePorts(),
  };
  writeSecureEnv(file, base.host, setup);
  return setup;
}

function writeSecureEnv(file: string, host: string, s: SecureSetup): void {
  const lines = [
    '# Written by `bench brokers up --secure`: credentials of the secure local brokers.',
    '# Load with: source .bench/brokers/secure.env   (targets/local-secure.yaml reads these)',
    `export ${SECURE_ENV.kafkaPassword}='${s.passwords.kafka}'`,
    `export ${SECURE_ENV.kafkaLimitedPassword}='${s.passwords.kafkaLimited}'`,
    `export ${SECURE_ENV.rabbitmqPassword}='${s.passwords.rabbitmq}'`,
    `export ${SECURE_ENV.activemqPassword}='${s.passwords.activemq}'`,
    `export ${SECURE_ENV.ca}='${s.tls.ca}'`,
    `# kafka ${host}:${s.ports.kafka} (SASL_SSL; also user ${SECURE_LIMITED_USER}, without ACLs), rabbitmq amqps://${host}:${s.ports.rabbitmq} (management https://${host}:${s.ports.rabbitmqManagement}), activemq stomp+ssl ${host}:${s.ports.stomp}; user ${s.user}`,
    '',
  ];
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // written to a new file created 0600, then renamed: the secrets are never readable by others
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, lines.join('\n'), { mode: 0o600 });
  fs.chmodSync(tmp, 0o600);
  fs.renameSync(tmp, file);
}

/** The setup `up --secure` made, read back (for status and tests); undefined before the first `up --secure`. */
export function loadSecureSetup(base: BrokerSettings): SecureSetup | undefined {
  const env = readEnvFile(secureEnvFile(base));
  const passwordFile = path.join(base.stateDir, 'secure', 'tls', 'keystore.password');
  if (!env[SECURE_ENV.kafkaPassword] || !fs.existsSync(passwordFile)) return undefined;
  const tls = { ...tlsMaterialPaths(path.join(base.stateDir, 'secure', 'tls')), keystorePassword: fs.readFileSync(passwordFile, 'utf8').trim() };
  return {
    user: SECURE_USER,
    passwords: { kafka: env[SECURE_ENV.kafkaPassword]!, kafkaLimited: env[SECURE_ENV.kafkaLimitedPassword] ?? '', rabbitmq: env[SECURE_ENV.rabbitmqPassword] ?? '', activemq: env[SECURE_ENV.activemqPassword] ?? '' },
    tls,
    ports: securePorts(),
  };
}
