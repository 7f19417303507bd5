/**
 * CPU cost of one ResourceSampler sample: 15 tracked processes (sleeping children) plus
 * the machine, sampled back to back; the harness's own CPU time (user+sys) per sample.
 * Beside it, what reading /proc/<pid>/status for VmRSS as well would add per sample
 * (the sampler takes resident memory from /proc/<pid>/stat instead).
 * Run on a quiet machine: `npx tsx scripts/resources-cost.ts [samples]`.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { ResourceSampler } from '../src/metrics/resources.js';

const samples = Number(process.argv[2] ?? 2000);
const PROCESSES = 15;
const children = Array.from({ length: PROCESSES }, () => spawn('sleep', ['120'], { stdio: 'ignore' }));
const sampler = new ResourceSampler({ intervalMs: 1000 });
children.forEach((c, i) => sampler.track('service', `p#${i}`, c.pid!));

const cpuUs = (f: () => void, n: number): number => {
  const before = process.cpuUsage();
  for (let i = 0; i < n; i++) f();
  const d = process.cpuUsage(before);
  return (d.user + d.system) / n;
};

console.log(`${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), Node ${process.versions.node}, load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
try {
  cpuUs(() => sampler.sample(), 200); // warm the code up
  const runs = Array.from({ length: 5 }, () => cpuUs(() => sampler.sample(), samples)).sort((a, b) => a - b);
  const status = Array.from({ length: 5 }, () =>
    cpuUs(() => {
      for (const c of children) readFileSync(`/proc/${c.pid}/status`, 'latin1');
    }, samples),
  ).sort((a, b) => a - b);
  const r = sampler.result();
  if (r.processes.some((p) => p.rssMb.at(-1) === null)) throw new Error('a tracked process gave no reading');
  console.log(`one sample of ${PROCESSES} processes + the machine: median ${runs[2]!.toFixed(0)} µs of CPU (range ${runs[0]!.toFixed(0)}–${runs[4]!.toFixed(0)}; 5 runs of ${samples} samples)`);
  console.log(`reading /proc/<pid>/status of the ${PROCESSES} as well would add: median ${status[2]!.toFixed(0)} µs`);
} finally {
  for (const c of children) c.kill('SIGKILL');
}
