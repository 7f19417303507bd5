import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { nowUs } from '../../src/metrics/clock.js';
import { parseMachineStat, parseProcStat, ResourceSampler } from '../../src/metrics/resources.js';
import { ResourcesSchema } from '../../src/result/schema.js';
import { child, killChildrenAfterEach } from '../support/spin-child.js';

killChildrenAfterEach();

describe('ResourceSampler on real processes', () => {
  it('sees a spinning child use a core, an idle one not, their memory, and a killed one as null', async () => {
    const busy = await child(true);
    const idle = await child(false);
    await sleep(200); // let the idle child's start-up work finish
    const sampler = new ResourceSampler({ intervalMs: 500 });
    sampler.track('service', 'busy#0', busy.pid!);
    sampler.track('service', 'idle#0', idle.pid!);
    sampler.track('service', 'again', busy.pid!); // the same pid twice: ignored
    const origin = nowUs();
    sampler.start(origin);
    await sleep(2_600);
    sampler.stop();

    const r = ResourcesSchema.parse(sampler.result());
    expect(r.processes.map((p) => p.name)).toEqual(['busy#0', 'idle#0']);
    expect(r.t.length).toBeGreaterThanOrEqual(4);
    expect(r.t[0]).toBeGreaterThan(0.3);
    expect(r.t[0]).toBeLessThan(1.5);
    const [b, i] = r.processes as [(typeof r.processes)[0], (typeof r.processes)[0]];
    expect(r.machine.cores).toBeGreaterThanOrEqual(1);
    r.t.forEach((_, k) => {
      const machine = r.machine.cpuPct[k]!;
      // with CPU to spare the spinning child had a whole core; when other work on the
      // machine took every core it still had a clear share of one
      expect(b.cpuPct[k]).toBeGreaterThanOrEqual(machine < 85 ? 80 : 30);
      expect(i.cpuPct[k]).toBeLessThanOrEqual(10);
      // the processes cannot have used more than the machine's busy cores
      expect(b.cpuPct[k]! + i.cpuPct[k]!).toBeLessThanOrEqual(machine * r.machine.cores + 10);
      expect(r.machine.stealPct[k]).toBeGreaterThanOrEqual(0);
    });
    for (const x of [...b.rssMb, ...i.rssMb]) expect(x).toBeGreaterThan(10);

    // resident memory from stat's rss field is the VmRSS of /proc/<pid>/status
    sampler.sample();
    const vmRssKb = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${idle.pid}/status`, 'utf8'))![1]);
    expect(Math.abs(sampler.result().processes[1]!.rssMb.at(-1)! - vmRssKb / 1024)).toBeLessThan(1);

    // a process that exited: null, from the sample after its exit on
    busy.kill('SIGKILL');
    await new Promise((r) => busy.once('exit', r));
    await sleep(50);
    sampler.sample();
    const after = sampler.result().processes[0]!;
    expect(after.cpuPct.at(-1)).toBeNull();
    expect(after.rssMb.at(-1)).toBeNull();
  });

  it('follows a restarted process under its new pid, and moves the origin', async () => {
    const first = await child(false);
    let us = 1_000_000_000_000_000;
    const sampler = new ResourceSampler({ intervalMs: 1000, nowUs: () => us });
    sampler.track('broker', 'kafka', first.pid!);
    sampler.start(us);
    us += 1_000_000;
    sampler.sample();
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    us += 1_000_000;
    sampler.sample();
    const second = await child(true);
    expect(sampler.retrack('kafka', second.pid!)).toBe(true);
    expect(sampler.retrack('nobody', second.pid!)).toBe(false);
    await sleep(300);
    us += 1_000_000;
    sampler.sample();
    // a late-tracked process has nulls for the samples before it
    sampler.track('driver', 'driver', process.pid);
    us += 1_000_000;
    sampler.sample();
    sampler.stop();

    sampler.setOrigin(us - 1_500_000);
    const r = sampler.result();
    expect(r.t).toEqual([-1.5, -0.5, 0.5, 1.5]);
    const kafka = r.processes[0]!;
    expect(kafka.pid).toBe(second.pid);
    expect(kafka.cpuPct[1]).toBeNull();
    expect(kafka.rssMb[0]).toBeGreaterThan(10);
    expect(kafka.cpuPct[2]).not.toBeNull();
    expect(r.processes[1]!.cpuPct.slice(0, 3)).toEqual([null, null, null]);
    expect(r.processes[1]!.cpuPct[3]).not.toBeNull();

    // the last 2 s by the clock: the samples at us - 1 s and us
    const recent = sampler.recent(2);
    expect(recent.t).toEqual([0.5, 1.5]);
    expect(recent.processes.map((p) => p.cpuPct.length)).toEqual([2, 2]);
    expect(recent.machine.cpuPct.length).toBe(2);
  });
});

describe('/proc parsing', () => {
  it('reads utime+stime, start time and rss past a command name with spaces and parentheses', () => {
    const rest = 'S 1 2 3 4 5 6 7 8 9 10 250 50 0 0 20 0 4 0 98765 1000000 2560 18446744073709551615';
    expect(parseProcStat(`42 (we (ird) name) ${rest}`)).toEqual({ ticks: 300, startTicks: '98765', rssPages: 2560 });
    expect(parseProcStat(`42 (gone) Z${rest.slice(1)}`)).toBeNull();
    expect(parseProcStat('42 (short) S 1 2')).toBeNull();
  });

  it('counts busy as everything but idle and iowait, and the cores', () => {
    const text = 'cpu  100 10 50 800 40 5 5 20 0 0\ncpu0 50 5 25 400 20 2 3 10 0 0\ncpu1 50 5 25 400 20 3 2 10 0 0\nintr 1 2 3\n';
    expect(parseMachineStat(text)).toEqual({ ticks: { busy: 190, steal: 20, total: 1030 }, cores: 2 });
    expect(parseMachineStat('intr 1 2 3\n')).toBeNull();
  });
});
