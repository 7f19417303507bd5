/**
 * Where the CPU went, on real runs: a service made to burn 40 ms of CPU per request at
 * 30 orders/s (1.2 cores' worth of work for a process that has one) is named CPU-bound
 * in the result's warnings; the same run without that work is not. Every process of the
 * run is sampled: the driver, each service instance and, for a broker transport, the
 * broker's process when its pid can be seen.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { TransportResult } from '../../src/result/schema.js';
import { brokerPids } from '../../src/runtime/broker-pids.js';
import { brokerEndpointsOf } from '../../src/runtime/run-resources.js';
import { testEndpoints } from '../contract/endpoints.js';
import { childProcesses, runChecked, shortened } from '../support/run.js';

const SERVICES = ['order#0', 'inventory#0', 'payment#0', 'shipment#0'];

const scenario = (serviceCpu: Record<string, number>) =>
  shortened('order-happy-path', (s) => {
    s.workload.rate = 30;
    s.workload.warmup = 1000;
    s.workload.duration = 6000;
    // an overloaded payment service leaves orders waiting: do not wait long for them
    s.workload.timeout = 3000;
    s.workload.drain = 2000;
    s.workflow.serviceCpu = serviceCpu;
  });

const cpuBound = (t: TransportResult): string[] => t.warnings.filter((w) => w.code === 'PROCESS_CPU_BOUND').map((w) => w.process!);

/** A process's mean CPU over the measured window, % of one core. */
function meanCpu(t: TransportResult, name: string): number {
  const r = t.resources!;
  const p = r.processes.find((x) => x.name === name)!;
  const v = r.t.map((at, i) => (at > 0 && at <= t.measuredMs / 1000 ? p.cpuPct[i] : null)).filter((x): x is number => x !== null && x !== undefined);
  return v.reduce((a, b) => a + b, 0) / Math.max(1, v.length);
}

describe('resources and warnings of a run', () => {
  afterEach(() => {
    expect(childProcesses()).toEqual([]);
  });

  it('REST with 40 ms of CPU per payment request at 30/s: payment#0 is CPU-bound, and named', async () => {
    const { result: t } = await runChecked('rest', scenario({ payment: 40 }));
    expect(t.status).toBe('completed');
    const r = t.resources!;
    expect(r.processes.map((p) => p.name)).toEqual(['driver', ...SERVICES]);
    expect(r.processes.every((p) => p.pid > 0)).toBe(true);
    expect(r.processes.find((p) => p.name === 'driver')!.pid).toBe(process.pid);
    // sampled from the warm-up on: t = 0 is the measured window's start
    expect(r.t[0]).toBeLessThan(0.5);
    expect(r.t.at(-1)).toBeGreaterThanOrEqual(5);
    expect(meanCpu(t, 'payment#0')).toBeGreaterThan(85);
    expect(cpuBound(t)).toContain('payment#0');
    const w = t.warnings.find((x) => x.process === 'payment#0')!;
    expect(w.message).toMatch(/^payment#0 \(service\) used .* of a core in seconds? [\d–, and]+ of the measured window/);
    expect(Math.max(...w.seconds!)).toBeLessThanOrEqual(Math.ceil(t.measuredMs / 1000));
  }, 60_000);

  it('REST at the same rate without that work: nothing is CPU-bound', async () => {
    const { result: t } = await runChecked('rest', scenario({}));
    expect(t.status).toBe('completed');
    expect(t.counts.errors + t.counts.timedOut).toBe(0);
    expect(cpuBound(t)).toEqual([]);
    expect(meanCpu(t, 'payment#0')).toBeLessThan(50);
  }, 60_000);

  it('RabbitMQ: the broker is sampled beside the driver and the services, and the floor is measured before the load', async () => {
    const s = scenario({});
    s.workload.duration = 3000;
    s.calibration = { samples: 50, rate: 100, warmup: 50 };
    const endpoints = testEndpoints();
    const visible = await brokerPids(brokerEndpointsOf('rabbitmq', endpoints));
    const { result: t } = await runChecked('rabbitmq', s);
    expect(t.status).toBe('completed');
    expect(t.check!.lost).toBe(0);
    const names = t.resources!.processes.map((p) => p.name);
    expect(names.slice(0, 5)).toEqual(['driver', ...SERVICES]);
    const broker = t.resources!.processes.find((p) => p.role === 'broker');
    if (visible.length > 0) {
      expect(broker?.name).toBe('rabbitmq');
      expect(broker!.pid).toBe(visible[0]!.pid);
      expect(broker!.rssMb.some((x) => x !== null && x > 10)).toBe(true);
    } else {
      expect(broker).toBeUndefined();
    }
    // the floor: measured on the observer channel before the run's observer subscribed
    expect(t.calibration?.samples).toBe(50);
    expect(t.calibration!.p50).toBeGreaterThan(0);
    expect(t.calibration!.p50).toBeLessThanOrEqual(t.calibration!.p99);
  }, 60_000);
});
