import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ResultSchema } from '../../src/result/schema.js';
import { childProcesses } from '../support/run.js';
import { tempRunDir } from '../support/scenario.js';

const BIN = join(process.cwd(), 'bin/bench.js');
const bench = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000 });

describe('bench run: bad input gets one clear line and exit 104', () => {
  it('an unknown scenario', () => {
    const r = bench('run', 'no-such-scenario');
    expect(r.status).toBe(104);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/unknown scenario "no-such-scenario"/);
  });

  it('a scenario file with a bad field names the file, the field and the line', () => {
    const file = join(tempRunDir(), 'bad.yaml');
    writeFileSync(file, 'name: bad\nworkload:\n  rate: fast\n');
    const r = bench('run', file);
    expect(r.status).toBe(104);
    expect(r.stderr).toContain(`${file}:3: field "workload.rate"`);
  });

  it('a bad flag value names the flag and what was expected', () => {
    const r = bench('run', 'order-happy-path', '--rate', 'abc');
    expect(r.status).toBe(104);
    expect(r.stderr).toMatch(/--rate: expected more than 0 and at most 50000 orders\/s .*, got "abc"/);
    const t = bench('run', 'order-happy-path', '--transport', 'carrier-pigeon');
    expect(t.status).toBe(104);
    expect(t.stderr).toMatch(/--transport: unknown transport "carrier-pigeon"/);
  });

  it('an unknown threshold metric in a scenario', () => {
    const file = join(tempRunDir(), 'thresholds.yaml');
    writeFileSync(file, 'name: t\nthresholds: ["endToEnd.p42 < 10ms"]\n');
    const r = bench('run', file);
    expect(r.status).toBe(104);
    expect(r.stderr).toMatch(/endToEnd\.p42/);
  });
});

describe('bench run: SIGINT', () => {
  it('finishes in-flight orders, writes a partial result marked aborted, ends every child process, exits 105', async () => {
    const out = tempRunDir();
    const child = spawn(process.execPath, [BIN, 'run', 'order-happy-path', '--duration', '60s', '--warmup', '1s', '--max-warmup', '1s', '--no-calibration', '--out', out, '--no-report'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // wait until orders are flowing
    const deadline = Date.now() + 60_000;
    while (!/service processes ready/.test(stderr) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    await new Promise((r) => setTimeout(r, 3000));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(code).toBe(105);
    expect(stderr).toMatch(/SIGINT: no new orders/);
    const result = ResultSchema.parse(JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')));
    expect(result.status).toBe('aborted');
    const rest = result.transports[0]!;
    expect(rest.status).toBe('aborted');
    expect(rest.counts.attempted).toBeGreaterThan(50);
    expect(rest.counts.completed).toBe(rest.counts.attempted);
    expect(existsSync(join(out, 'logs', 'rest', 'order-0.log'))).toBe(true);
    // every service process the run started (each logs its pid) is gone
    const pids = ['order', 'inventory', 'payment', 'shipment'].map((s) => {
      const m = /ready: pid (\d+)/.exec(readFileSync(join(out, 'logs', 'rest', `${s}-0.log`), 'utf8'));
      return Number(m?.[1]);
    });
    expect(pids.every((p) => p > 0)).toBe(true);
    for (const pid of pids) expect(() => process.kill(pid, 0), `pid ${pid}`).toThrow(/ESRCH/);
    expect(childProcesses()).toEqual([]);
  });
});
