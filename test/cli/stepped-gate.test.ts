import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ResultSchema } from '../../src/result/schema.js';
import { tempRunDir } from '../support/scenario.js';

const BIN = join(process.cwd(), 'bin/bench.js');
const bench = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000 });

/**
 * A stepped scenario with thresholds, run through the CLI over REST: the schedule's
 * target rate is exact, so step 1 (20/s) passes `throughput.targetPerSec < 30` and
 * step 2 (40/s) fails it, whatever the machine's load.
 */
describe('bench run --gate on a stepped scenario', () => {
  it('gives each step only its own verdicts, and gates exactly as `bench gate` on the written file', () => {
    const dir = tempRunDir();
    const file = join(dir, 'stepped.yaml');
    writeFileSync(
      file,
      [
        'name: stepped',
        'transports: [rest]',
        'workload: { warmup: 500ms, maxWarmup: 500ms, duration: 2s, drain: 2s }',
        'calibration: { samples: 0 }',
        'steps:',
        '  - { label: slow, rate: 20 }',
        '  - { label: fast, rate: 40 }',
        'thresholds: [throughput.targetPerSec < 30, lost == 0]',
        '',
      ].join('\n'),
    );
    const out = join(dir, 'out');
    const run = bench('run', file, '--gate', '--out', out, '--no-report');
    expect(run.status, run.stderr).toBe(99);

    const result = ResultSchema.parse(JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')));
    expect(result.status).toBe('completed');
    expect(result.transports.map((t) => [t.label, t.status])).toEqual([
      ['rest · slow', 'completed'],
      ['rest · fast', 'completed'],
    ]);
    const [slow, fast] = result.transports;
    expect(slow!.thresholds.map((v) => [v.expression, v.ok, v.actual])).toEqual([
      ['throughput.targetPerSec < 30', true, 20],
      ['lost == 0', true, 0],
    ]);
    expect(fast!.thresholds.map((v) => [v.expression, v.ok, v.actual])).toEqual([
      ['throughput.targetPerSec < 30', false, 40],
      ['lost == 0', true, 0],
    ]);
    // written by rename from a temporary file: none is left behind
    expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    const gate = bench('gate', join(out, 'result.json'));
    expect(gate.status).toBe(99);
    const gateLines = gate.stdout.trim().split('\n');
    expect(gateLines).toContain('gate failed: 1 of 4 checks failed');
    expect(gateLines.some((l) => l.startsWith('✗ rest · fast') && l.includes('throughput.targetPerSec < 30'))).toBe(true);
    // `bench run --gate` printed the same lines, in the same order
    const runLines = run.stdout.split('\n');
    const at = runLines.indexOf(gateLines[0]!);
    expect(runLines.slice(at, at + gateLines.length)).toEqual(gateLines);
  });
});
