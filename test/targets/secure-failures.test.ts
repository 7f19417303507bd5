/**
 * What a user sees when a secure connection cannot be made: a wrong password, a
 * certificate from a CA the client does not trust, and a plaintext client at a TLS
 * port each give one line naming the address and what failed, exit code 106, quickly,
 * for every broker. Checked on the secure local brokers.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BrokerEndpoints } from '../../src/contract/endpoints.js';
import { ExitCode } from '../../src/contract/error-catalogue.js';
import { UnreachableError } from '../../src/contract/errors.js';
import { checkTransport } from '../../src/targets/check.js';
import { secureEndpoints } from '../support/secure.js';

type Messaging = 'kafka' | 'rabbitmq' | 'activemq';
const TRANSPORTS: Messaging[] = ['kafka', 'rabbitmq', 'activemq'];
const WRONG = 'BENCH_TEST_WRONG_PASSWORD';
process.env[WRONG] = 'not-the-password';

/** The secure endpoints with one change per failure. */
function broken(kind: 'password' | 'untrusted' | 'plaintext', t: Messaging): BrokerEndpoints {
  const e = secureEndpoints();
  if (kind === 'password') {
    if (t === 'kafka') e.kafka.sasl!.password = { env: WRONG };
    if (t === 'rabbitmq') e.rabbitmq.password = { env: WRONG };
    if (t === 'activemq') e.activemq.password = { env: WRONG };
  } else if (kind === 'untrusted') {
    // the system's CAs only: they do not know the test CA
    if (t === 'kafka') e.kafka.tls = {};
    if (t === 'rabbitmq') e.rabbitmq.tls = {};
    if (t === 'activemq') e.activemq.tls = {};
  } else {
    if (t === 'kafka') e.kafka = { ...e.kafka, security: 'SASL_PLAINTEXT' };
    if (t === 'rabbitmq') e.rabbitmq = { ...e.rabbitmq, url: e.rabbitmq.url.replace('amqps://', 'amqp://') };
    if (t === 'activemq') delete e.activemq.tls;
  }
  return e;
}

const EXPECTED: Record<'password' | 'untrusted' | 'plaintext', RegExp> = {
  password: /authentication failed|login was refused/,
  untrusted: /not trusted/,
  plaintext: /closed the connection|TLS port/,
};

async function failure(e: BrokerEndpoints, t: Messaging): Promise<{ error: unknown; ms: number }> {
  const t0 = Date.now();
  const error = await checkTransport(t, e, 5_000).then(() => undefined, (err: unknown) => err);
  return { error, ms: Date.now() - t0 };
}

describe('secure connection failures', () => {
  it('connects to every secure broker with the shipped target', async () => {
    for (const t of TRANSPORTS) await checkTransport(t, secureEndpoints(), 5_000);
  });

  for (const kind of ['password', 'untrusted', 'plaintext'] as const) {
    for (const t of TRANSPORTS) {
      it(`${kind}: ${t} fails in one line naming the address, unreachable (106), within seconds`, async () => {
        const e = broken(kind, t);
        const { error, ms } = await failure(e, t);
        expect(error).toBeInstanceOf(UnreachableError);
        const err = error as UnreachableError;
        expect(err.exitCode).toBe(ExitCode.unreachable);
        expect(err.retriable, 'retrying cannot fix it').toBe(false);
        expect(err.message).toMatch(EXPECTED[kind]);
        expect(err.message).toContain(err.address);
        expect(err.message).not.toContain('\n');
        expect(err.message).not.toContain(process.env[WRONG]);
        expect(ms, 'answers without waiting out retries').toBeLessThan(6_000);
      });
    }
  }

  it('bench run: exit 106 and one line on stderr, no stack trace, for a wrong password, an untrusted CA and a TLS port without TLS', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-target-'));
    const e = secureEndpoints();
    const files = {
      password: `name: wrong\nkafka:\n  brokers: [${e.kafka.brokers[0]}]\n  security: SASL_SSL\n  sasl: { mechanism: SCRAM-SHA-256, username: bench, passwordEnv: ${WRONG} }\n  tls: { ca: ${e.kafka.tls!.ca} }\n`,
      untrusted: `name: untrusted\nrabbitmq:\n  url: ${e.rabbitmq.url}\n  username: bench\n  passwordEnv: BENCH_SECURE_RABBITMQ_PASSWORD\n`,
      plaintext: `name: plaintext\nactivemq: { host: ${e.activemq.host}, port: ${e.activemq.port}, username: bench, passwordEnv: BENCH_SECURE_ACTIVEMQ_PASSWORD }\n`,
    };
    const transportOf = { password: 'kafka', untrusted: 'rabbitmq', plaintext: 'activemq' } as const;
    for (const [kind, text] of Object.entries(files) as Array<[keyof typeof files, string]>) {
      const file = join(dir, `${kind}.yaml`);
      writeFileSync(file, text);
      const r = spawnSync(process.execPath, ['bin/bench.js', 'run', 'order-happy-path', '--transport', transportOf[kind], '--target', file, '--duration', '1s'], {
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(r.status, `${kind}: ${r.stderr}`).toBe(ExitCode.unreachable);
      const lines = r.stderr.trim().split('\n');
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(EXPECTED[kind]);
      expect(r.stderr).not.toMatch(/^\s+at /m);
      expect(r.stderr + r.stdout).not.toContain(process.env[WRONG]);
    }
  });
});
