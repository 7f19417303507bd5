import { describe, expect, it } from 'vitest';
import type { Resources } from '../../src/result/schema.js';
import { resourceWarnings, secondsText } from '../../src/runtime/warnings.js';

type Row = Array<number | null>;

/**
 * Samples one second apart at t = -2, -1, 0, 1, … (the sample at t covers (t-1, t], so
 * t = 1 is the measured window's first second); `n` samples in the window.
 */
function resources(n: number, opts: { machine?: Row; steal?: Row; processes?: Array<{ role: 'driver' | 'service' | 'broker'; name: string; cpu: Row }> }): Resources {
  const total = n + 3;
  const pad = (row: Row | undefined, fill: number): Row => Array.from({ length: total }, (_, i) => (row && i < row.length ? row[i]! : fill));
  return {
    intervalMs: 1000,
    t: Array.from({ length: total }, (_, i) => i - 2),
    machine: { cores: 2, cpuPct: pad(opts.machine, 30), stealPct: pad(opts.steal, 0) },
    processes: (opts.processes ?? []).map((p, k) => ({ role: p.role, name: p.name, pid: 100 + k, cpuPct: pad(p.cpu, 5), rssMb: pad([], 50) })),
  };
}

/** A row for samples t = -2 … n: `value` in the listed window seconds (1-based), `base` elsewhere. */
function hotIn(n: number, seconds: number[], value: number | ((s: number) => number), base = 10): Row {
  return Array.from({ length: n + 3 }, (_, i) => {
    const second = i - 2;
    return seconds.includes(second) ? (typeof value === 'function' ? value(second) : value) : base;
  });
}

const window = (n: number) => ({ fromS: 0, toS: n });

describe('secondsText', () => {
  it('joins runs with a dash and the last with "and"', () => {
    expect(secondsText([3, 4, 5, 6, 9])).toBe('3–6 and 9');
    expect(secondsText([1, 2, 5, 7, 8])).toBe('1–2, 5 and 7–8');
    expect(secondsText([9, 3, 4, 4])).toBe('3–4 and 9');
    expect(secondsText([4])).toBe('4');
    expect(secondsText([])).toBe('');
  });
});

describe('resourceWarnings', () => {
  it('names a service pinned at a core, its role, the peak and the seconds', () => {
    const cpu = hotIn(12, [3, 4, 5, 6, 7, 8, 9], (s) => (s === 5 ? 97 : 100));
    const w = resourceWarnings(resources(12, { processes: [{ role: 'service', name: 'payment#0', cpu }] }), window(12));
    expect(w).toEqual([
      {
        code: 'PROCESS_CPU_BOUND',
        message: 'payment#0 (service) used 97–100 % of a core in seconds 3–9 of the measured window: those seconds measure the harness, not the transport',
        process: 'payment#0',
        seconds: [3, 4, 5, 6, 7, 8, 9],
      },
    ]);
  });

  it('needs minSeconds consecutive samples: a lone second, or a run broken by a cooler or missing sample, is no warning', () => {
    const spikes = hotIn(10, [2, 4, 6], 100);
    const broken = hotIn(10, [3, 5], 100);
    broken[4 + 2] = null; // second 4 missing (the process was restarting)
    const r = resources(10, { processes: [{ role: 'service', name: 'order#0', cpu: spikes }, { role: 'driver', name: 'driver', cpu: broken }] });
    expect(resourceWarnings(r, window(10))).toEqual([]);
    // with minSeconds 1 the same samples warn, second by second
    const one = resourceWarnings(r, { ...window(10), minSeconds: 1 });
    expect(one.map((x) => [x.process, x.seconds])).toEqual([['driver', [3, 5]], ['order#0', [2, 4, 6]]]);
  });

  it('looks only inside the measured window', () => {
    // hot in the warm-up (t = -2 … 0) and after the window's end
    const cpu: Row = [100, 100, 100, 10, 10, 10, 10, 100, 100, 100];
    const r = resources(7, { processes: [{ role: 'service', name: 'inventory#0', cpu }] });
    expect(resourceWarnings(r, { fromS: 0, toS: 4 })).toEqual([]);
    // the same samples, judged over a window that covers seconds 5–7: warned as seconds 1–3 of it
    expect(resourceWarnings(r, { fromS: 4, toS: 7 })[0]?.seconds).toEqual([1, 2, 3]);
  });

  it('puts the driver first and calls it the load driver; a broker above a core is no warning of its own', () => {
    const r = resources(6, {
      processes: [
        { role: 'broker', name: 'kafka#0', cpu: hotIn(6, [1, 2, 3, 4, 5, 6], 180) },
        { role: 'service', name: 'shipment#1', cpu: hotIn(6, [5, 6], 95) },
        { role: 'driver', name: 'driver', cpu: hotIn(6, [1, 2], 99) },
      ],
    });
    const w = resourceWarnings(r, window(6));
    expect(w.map((x) => x.process)).toEqual(['driver', 'shipment#1']);
    expect(w[0]!.message).toMatch(/^driver \(the load driver\) used 99 % of a core in seconds 1–2 of/);
  });

  it('honours the thresholds it is given', () => {
    const r = resources(5, { processes: [{ role: 'service', name: 'payment#0', cpu: hotIn(5, [1, 2, 3], 60) }] });
    expect(resourceWarnings(r, window(5))).toEqual([]);
    expect(resourceWarnings(r, { ...window(5), cpuBoundPct: 50 })[0]?.seconds).toEqual([1, 2, 3]);
    expect(resourceWarnings(r, { ...window(5), cpuBoundPct: 50, minSeconds: 4 })).toEqual([]);
  });

  it('counts minSeconds in seconds, not samples, when samples are closer together', () => {
    // 500 ms samples: four hot ones in a row are 2 s; three are not
    const base: Resources = {
      intervalMs: 500,
      t: [0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4],
      machine: { cores: 2, cpuPct: Array(8).fill(20), stealPct: Array(8).fill(0) },
      processes: [{ role: 'service', name: 'order#0', pid: 1, cpuPct: [10, 95, 95, 95, 10, 95, 95, 95], rssMb: Array(8).fill(40) }],
    };
    expect(resourceWarnings(base, window(4))).toEqual([]);
    base.processes[0]!.cpuPct[4] = 96;
    expect(resourceWarnings(base, window(4))[0]?.seconds).toEqual([1, 2, 3, 4]);
  });

  it('reports a saturated machine with its top consumers, brokers included', () => {
    const r = resources(8, {
      machine: hotIn(8, [2, 3, 4], (s) => (s === 3 ? 100 : 97), 60),
      processes: [
        { role: 'driver', name: 'driver', cpu: hotIn(8, [2, 3, 4], 20) },
        { role: 'service', name: 'payment#0', cpu: hotIn(8, [2, 3, 4], 55) },
        { role: 'broker', name: 'kafka#0', cpu: hotIn(8, [2, 3, 4], 115) },
      ],
    });
    const w = resourceWarnings(r, window(8));
    expect(w).toHaveLength(1);
    expect(w[0]).toMatchObject({ code: 'MACHINE_SATURATED', seconds: [2, 3, 4] });
    expect(w[0]!.process).toBeUndefined();
    expect(w[0]!.message).toBe(
      "The machine's 2 cores were 97–100 % busy in seconds 2–4 of the measured window; the most CPU went to kafka#0 (broker) 1.2 cores, payment#0 (service) 0.6 cores, driver (the load driver) 0.2 cores: every process, brokers too, waited for a CPU in those seconds",
    );
  });

  it('names everything else on the machine when the tracked processes do not explain the load', () => {
    const r = resources(5, {
      machine: hotIn(5, [1, 2, 3, 4, 5], 99, 60),
      processes: [
        { role: 'service', name: 'order#0', cpu: hotIn(5, [1, 2, 3, 4, 5], 30) },
        { role: 'broker', name: 'rabbitmq', cpu: hotIn(5, [1, 2, 3, 4, 5], 40) },
      ],
    });
    const w = resourceWarnings(r, window(5));
    expect(w.map((x) => x.code)).toEqual(['MACHINE_SATURATED']);
    expect(w[0]!.message).toContain('the most CPU went to everything else on the machine 1.3 cores, rabbitmq (broker) 0.4 cores, order#0 (service) 0.3 cores');
    // below machinePct: nothing
    expect(resourceWarnings(r, { ...window(5), machinePct: 99.5 })).toEqual([]);
  });

  it('reports steal at or above stealPct for minSeconds', () => {
    const low = resources(6, { steal: hotIn(6, [1, 2, 3, 4], 9.9, 0) });
    expect(resourceWarnings(low, window(6))).toEqual([]);
    const high = resources(6, { steal: hotIn(6, [2, 3, 4], (s) => 10 + s, 0) });
    const w = resourceWarnings(high, window(6));
    expect(w).toEqual([
      {
        code: 'CPU_STEAL',
        message: "The hypervisor took 12–14 % of the machine's CPU (steal) in seconds 2–4 of the measured window: latencies in those seconds include waiting for it",
        seconds: [2, 3, 4],
      },
    ]);
  });

  it('says nothing without samples in the window', () => {
    expect(resourceWarnings({ intervalMs: 1000, t: [], machine: { cores: 2, cpuPct: [], stealPct: [] }, processes: [] }, window(10))).toEqual([]);
  });
});
