/**
 * What one transport's services cost at a fixed rate: runs `bench run` once per `--runs`
 * and prints, per run and as medians, the CPU of the four services (% of one core, summed
 * over their processes) and of the broker over the measured window, broker requests per
 * order by API (`figures.brokerRequestsPerOrder.*`), and hop and end-to-end p50/p99.
 *
 * CPU is read from /proc/<pid>/stat at the start and the end of the measured window
 * (user+sys ticks ÷ elapsed time), a second inside each edge: the window starts
 * `--warmup` after the harness logs that its service processes are ready.
 *
 * Run alone on the machine:
 * `npx tsx scripts/service-cost.ts --transport kafka --rate 100 --duration 20s --warmup 20s --runs 3 [--scenario order-happy-path|path.yaml]`
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { brokerPids } from '../src/runtime/broker-pids.js';
import { parseMachineStat, parseProcStat } from '../src/metrics/resources.js';
import type { TransportResult } from '../src/result/schema.js';

const { values } = parseArgs({
  options: {
    transport: { type: 'string', default: 'kafka' },
    scenario: { type: 'string', default: 'order-happy-path' },
    rate: { type: 'string', default: '100' },
    duration: { type: 'string', default: '20s' },
    warmup: { type: 'string', default: '20s' },
    runs: { type: 'string', default: '1' },
    broker: { type: 'string', default: '127.0.0.1:9092' },
  },
});
const seconds = (d: string): number => (d.endsWith('ms') ? Number(d.slice(0, -2)) / 1000 : d.endsWith('s') ? Number(d.slice(0, -1)) : Number(d) / 1000);
const warmupS = seconds(values.warmup);
const durationS = seconds(values.duration);
const EDGE_S = 1;
const CLOCK_TICKS = 100;

/** user+sys ticks of every service process of the transport, and of the broker, now. */
function ticks(transport: string, brokerPid: number | undefined): { services: number; broker: number | undefined; count: number; machine: { busy: number; total: number } | undefined } {
  let services = 0;
  let count = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${entry}/cmdline`, 'latin1');
    } catch {
      continue;
    }
    if (!new RegExp(`^bench (order|inventory|payment|shipment)#\\d+ ${transport}\\b`).test(cmdline)) continue;
    const s = parseProcStat(readFileSync(`/proc/${entry}/stat`, 'latin1'));
    if (s) {
      services += s.ticks;
      count++;
    }
  }
  const b = brokerPid === undefined ? null : parseProcStat(readFileSync(`/proc/${brokerPid}/stat`, 'latin1'));
  const m = parseMachineStat(readFileSync('/proc/stat', 'latin1'));
  return { services, broker: b?.ticks, count, machine: m ? { busy: m.ticks.busy, total: m.ticks.total } : undefined };
}

interface RunFigures {
  serviceCpuPct: number;
  brokerCpuPct: number | undefined;
  /** the whole machine's busy share over the window, % of all cores: everything else running shows here */
  machineBusyPct: number | undefined;
  requestsPerOrder: Record<string, number>;
  endToEnd: { p50: number; p99: number };
  hops: { p50: number; p99: number };
  completedPerSec: number;
}

async function oneRun(): Promise<RunFigures> {
  const [host, port] = values.broker.split(':');
  const brokerPid = (await brokerPids([{ name: 'broker', host: host!, port: Number(port) }]))[0]?.pid;
  const out = mkdtempSync(join(tmpdir(), 'service-cost-'));
  const args = ['bin/bench.js', 'run', values.scenario, '--transport', values.transport, '--rate', values.rate, '--duration', values.duration, '--warmup', values.warmup, '--no-report', '--out', out];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'inherit', 'pipe'] });
  const marks: Array<ReturnType<typeof ticks> & { atMs: number }> = [];
  const timers: NodeJS.Timeout[] = [];
  child.stderr.on('data', (chunk: Buffer) => {
    process.stderr.write(chunk);
    if (!/service processes ready/.test(chunk.toString()) || timers.length > 0) return;
    for (const atS of [warmupS + EDGE_S, warmupS + durationS - EDGE_S]) {
      timers.push(setTimeout(() => marks.push({ ...ticks(values.transport, brokerPid), atMs: performance.now() }), atS * 1000));
    }
  });
  const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
  timers.forEach(clearTimeout);
  if (code !== 0) throw new Error(`bench run exited ${code}`);
  if (marks.length !== 2) throw new Error('the run ended before the measured window did');
  const [a, b] = marks as [(typeof marks)[0], (typeof marks)[0]];
  if (a.count !== b.count || a.count === 0) throw new Error(`service processes changed in the window (${a.count} → ${b.count})`);
  const elapsedS = (b.atMs - a.atMs) / 1000;
  const pct = (d: number): number => Math.round((d / CLOCK_TICKS / elapsedS) * 1000) / 10;
  const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as { transports: TransportResult[] };
  rmSync(out, { recursive: true, force: true });
  const t = result.transports[0]!;
  const requestsPerOrder = Object.fromEntries(Object.entries(t.figures).filter(([k]) => k.startsWith('brokerRequestsPerOrder')).map(([k, v]) => [k.replace(/^brokerRequestsPerOrder\.?/, '') || 'all', Number(v)]));
  const hopP = (q: 'p50' | 'p99'): number => median(Object.values(t.latency.hops).map((h) => h[q]));
  return {
    serviceCpuPct: pct(b.services - a.services),
    brokerCpuPct: a.broker !== undefined && b.broker !== undefined ? pct(b.broker - a.broker) : undefined,
    machineBusyPct: a.machine && b.machine ? Math.round(((b.machine.busy - a.machine.busy) / (b.machine.total - a.machine.total)) * 1000) / 10 : undefined,
    requestsPerOrder,
    endToEnd: { p50: t.latency.endToEnd.p50, p99: t.latency.endToEnd.p99 },
    hops: { p50: hopP('p50'), p99: hopP('p99') },
    completedPerSec: t.throughput.completedPerSec,
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  if (s.length === 0) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const runs: RunFigures[] = [];
for (let i = 0; i < Number(values.runs); i++) {
  const r = await oneRun();
  runs.push(r);
  console.log(`run ${i + 1}: ${JSON.stringify(r)}`);
}
const apis = [...new Set(runs.flatMap((r) => Object.keys(r.requestsPerOrder)))].sort();
const med = (f: (r: RunFigures) => number | undefined): string => {
  const xs = runs.map(f).filter((x): x is number => x !== undefined);
  return xs.length ? String(Math.round(median(xs) * 100) / 100) : '-';
};
console.log(`\nmedian of ${runs.length} run(s), ${values.transport} at ${values.rate}/s, ${values.duration} after ${values.warmup} warm-up:`);
console.log(`service CPU % of a core (4 services): ${med((r) => r.serviceCpuPct)}; broker CPU %: ${med((r) => r.brokerCpuPct)}; machine busy % of all cores: ${med((r) => r.machineBusyPct)}`);
console.log(`broker requests per order: ${apis.map((a) => `${a} ${med((r) => r.requestsPerOrder[a])}`).join(', ')}`);
console.log(`hop p50/p99 ms (median over hops): ${med((r) => r.hops.p50)} / ${med((r) => r.hops.p99)}; end-to-end p50/p99 ms: ${med((r) => r.endToEnd.p50)} / ${med((r) => r.endToEnd.p99)}; completed/s ${med((r) => r.completedPerSec)}`);
