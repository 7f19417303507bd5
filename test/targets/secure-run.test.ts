/**
 * A whole run over the secure local brokers, every transport, with the shipped target:
 * nothing lost, the connection (address, TLS, mechanism, user) stated in result.json,
 * and no password in any file the run wrote.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/contract/error-catalogue.js';
import type { Result } from '../../src/result/schema.js';
import { SECURE_TARGET } from '../support/secure.js';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

describe('a run against a secure target', () => {
  it('completes on every transport with 0 lost and writes no secret anywhere', () => {
    const secrets = ['BENCH_SECURE_KAFKA_PASSWORD', 'BENCH_SECURE_RABBITMQ_PASSWORD', 'BENCH_SECURE_ACTIVEMQ_PASSWORD'].map((n) => process.env[n]!);
    expect(secrets.every((s) => s && s.length >= 16), 'the set-up loaded the generated passwords').toBe(true);
    const out = mkdtempSync(join(tmpdir(), 'bench-secure-run-'));
    const r = spawnSync(process.execPath, [
      'bin/bench.js', 'run', 'order-happy-path', '--transport', 'all', '--target', SECURE_TARGET,
      '--rate', '20', '--duration', '3s', '--warmup', '1s', '--max-warmup', '1s', '--no-calibration', '--out', out,
    ], { encoding: 'utf8', timeout: 240_000, env: { ...process.env, BENCH_KAFKAJS_LOG: 'info' } });
    expect(r.status, r.stderr).toBe(0);
    // "all" with a target is what the target names: the others are said to be left out, not run
    expect(r.stderr).toContain(`bench run: nats, redis, mqtt left out of --transport all: --target ${SECURE_TARGET} names no broker for them`);

    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as Result;
    expect(result.transports.map((t) => t.name)).toEqual(['rest', 'kafka', 'rabbitmq', 'activemq']);
    for (const t of result.transports) {
      expect(t.status, t.name).toBe('completed');
      expect(t.counts.completed, t.name).toBeGreaterThan(0);
      expect(t.check?.lost, t.name).toBe(0);
    }
    const connection = Object.fromEntries(result.transports.map((t) => [t.name, String(t.delivery.connection ?? '')]));
    expect(connection.kafka).toMatch(/^SASL_SSL, SCRAM-SHA-512 as bench, TLS \(CA /);
    expect(connection.rabbitmq).toMatch(/^amqps, user bench, TLS/);
    expect(connection.activemq).toMatch(/^stomp\+ssl, login bench, TLS/);
    expect(result.scenario.overrides.target).toBe(SECURE_TARGET);

    // every file the run wrote, as bytes: result, reports, summaries, service logs, event logs
    const files = filesUnder(out);
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const bytes = readFileSync(file);
      for (const secret of secrets) expect(bytes.includes(secret), `${file} holds a password`).toBe(false);
    }
    for (const secret of secrets) expect(r.stdout + r.stderr, 'console output holds a password').not.toContain(secret);
  });

  it('refuses a transport named on the command line that the target does not name: one line, exit 104', () => {
    const r = spawnSync(process.execPath, ['bin/bench.js', 'run', 'order-happy-path', '--transport', 'kafka,nats', '--target', SECURE_TARGET], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status, r.stderr).toBe(ExitCode.invalidConfig);
    expect(r.stderr.trim()).toBe(`bench: --target ${SECURE_TARGET}: names no nats (it has kafka, rabbitmq, activemq); run the others with --transport`);
  });
});
