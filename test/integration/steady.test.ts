import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { Driver } from '../../src/driver/driver.js';
import { runTransport } from '../../src/runtime/transport-run.js';
import { testEndpoints } from '../contract/endpoints.js';
import { scenarioOf, tempRunDir } from '../support/scenario.js';

/** pid of a service process, by the title it sets (`bench payment#0 rabbitmq <runId>`) */
function pidOf(title: string): number {
  const out = execFileSync('pgrep', ['-f', `^${title}$`], { encoding: 'utf8' }).trim().split('\n');
  expect(out, title).toHaveLength(1);
  return Number(out[0]);
}

/**
 * A RabbitMQ run whose payment service is stopped (SIGSTOP) for the first 4 s of the
 * warm-up and then resumed: orders pile up in its queue, then finish at once with a p99
 * of seconds. The warm-up must not call that steady.
 */
async function pausedRun(maxWarmup: string) {
  const runId = `st${Math.random().toString(36).slice(2, 7)}`;
  let pausedFor = 0;
  let resumed: Promise<void> | undefined;
  const run = await runTransport({
    transport: 'rabbitmq',
    scenario: scenarioOf({ workload: { rate: 30, warmup: '5s', maxWarmup, duration: '3s', drain: '5s' }, calibration: { samples: 0 } }),
    runId,
    runDir: tempRunDir(),
    endpoints: testEndpoints(),
    onDriver: (driver: Driver) => {
      driver.once('warmup', () => {
        const pid = pidOf(`bench payment#0 rabbitmq ${runId}`);
        const at = Date.now();
        process.kill(pid, 'SIGSTOP');
        resumed = new Promise((resolve) =>
          setTimeout(() => {
            process.kill(pid, 'SIGCONT');
            pausedFor = Date.now() - at;
            resolve();
          }, 4000),
        );
      });
    },
  });
  await resumed;
  expect(pausedFor).toBeGreaterThanOrEqual(4000);
  return run.result;
}

describe('the warm-up waits for a steady run', () => {
  it('extends the warm-up past a paused consumer, then measures a steady run', async () => {
    const r = await pausedRun('15s');
    expect(r.status).toBe('completed');
    const s = r.steady!;
    expect(s.reached, s.detail).toBe(true);
    expect(s.requestedWarmupS).toBe(5);
    expect(s.maxWarmupS).toBe(15);
    // the backlog of the pause drains in second 5 or 6; then 3 calm seconds
    expect(s.warmupS).toBeGreaterThan(5);
    expect(s.warmupS).toBeLessThan(15);
    expect(r.warmupMs).toBe(Math.round(s.warmupS * 1000));
    expect(s.detail).toMatch(/^steady after [\d.]+ s: carried \d+ of 30 orders\/s or more, p99 .* over the last 3 seconds$/);
    // the first seconds judged named what was wrong
    expect(s.checks[0]!.ok).toBe(false);
    expect(s.checks.at(-1)!.ok).toBe(true);
    expect(r.warnings.filter((w) => w.code === 'NOT_STEADY')).toEqual([]);
    // the pause is out of the measured window: no order waited for it
    expect(r.latency.endToEnd.p99).toBeLessThan(500);
    expect(r.counts.completed + r.counts.failed).toBe(r.counts.attempted);
  });

  it('records a run not steady at its longest warm-up, with a NOT_STEADY warning', async () => {
    const r = await pausedRun('5s');
    expect(r.status).toBe('completed');
    const s = r.steady!;
    expect(s.reached).toBe(false);
    expect(s.warmupS).toBe(5);
    expect(s.maxWarmupS).toBe(5);
    expect(s.detail).toMatch(/^not steady after 5 s of warm-up \(at most 5 s\): .*(carried|p99|backlog)/);
    const warning = r.warnings.find((w) => w.code === 'NOT_STEADY');
    expect(warning?.message).toBe(s.detail);
  });
});
