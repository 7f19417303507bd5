import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildResult } from '../fixtures/gate/builder.js';

const run = promisify(execFile);
const BIN = resolve(import.meta.dirname, '../../bin/bench.js');

async function bench(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { cwd: resolve(import.meta.dirname, '../..') });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

let dir: string;
const file = (name: string): string => join(dir, name);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bench-gate-'));
  const write = (name: string, value: unknown): void => writeFileSync(file(name), JSON.stringify(value));
  write('pass.json', buildResult({ thresholds: ['endToEnd.p99 < 250ms', 'errors.rate < 1%'], transports: [{ name: 'kafka', seed: 1 }, { name: 'rest', seed: 2 }] }));
  write('fail.json', buildResult({ thresholds: { all: ['endToEnd.p99 < 250ms'], rest: ['lost == 0'] }, transports: [{ name: 'kafka', seed: 3 }, { name: 'rest', seed: 4, check: { lost: 3 } }] }));
  write('slower.json', buildResult({ transports: [{ name: 'kafka', seed: 5, latencyMs: 70 }, { name: 'rest', seed: 6 }] }));
  write('not-a-result.json', { hello: 'world' });
  writeFileSync(file('broken.json'), '{ nope');
  writeFileSync(file('bad-thresholds.yaml'), 'thresholds:\n  all:\n    - "endToEnd.p99 < 250xs"\n');
  writeFileSync(file('tight.yaml'), 'kafka:\n  - "endToEnd.p99 < 1ms"\n');
  mkdirSync(file('baselines/run-1'), { recursive: true });
  mkdirSync(file('baselines/run-2'), { recursive: true });
  writeFileSync(file('baselines/run-1/result.json'), readFileSync(file('pass.json')));
  write('baselines/run-2/result.json', buildResult({ transports: [{ name: 'kafka', seed: 7 }, { name: 'rest', seed: 8 }] }));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bench gate (real CLI)', () => {
  it('exits 0 when thresholds pass, one line per verdict', async () => {
    const r = await bench('gate', file('pass.json'));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^✓ kafka {2}endToEnd\.p99 < 250ms {2}actual [\d.]+ ms$/m);
    expect(r.stdout).toContain('gate passed: 4 checks');
  });

  it('exits 99 when a threshold fails', async () => {
    const r = await bench('gate', file('fail.json'));
    expect(r.code).toBe(99);
    expect(r.stdout).toMatch(/^✗ rest {3}lost == 0 +actual 3/m);
  });

  it('exits 99 on a regression against a baseline, and 0 against itself', async () => {
    const worse = await bench('gate', file('slower.json'), '--baseline', file('pass.json'), '--max-regression', '10%', '--metric', 'endToEnd.p99,endToEnd.p50');
    expect(worse.code).toBe(99);
    expect(worse.stdout).toMatch(/✗ kafka {2}endToEnd\.p99 within \+10% of baseline .* beyond \+10%/);
    expect(worse.stdout).toMatch(/^noise: bootstrap over seconds/m);
    const same = await bench('gate', file('pass.json'), '--baseline', file('pass.json'));
    expect(same.code).toBe(0);
  });

  it('takes a directory of baselines and compares by median', async () => {
    const r = await bench('gate', file('pass.json'), '--baseline', file('baselines'), '--metric', 'endToEnd.p50');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('median of 2 baselines');
  });

  it('exits 99 with --thresholds overriding the result own', async () => {
    const r = await bench('gate', file('pass.json'), '--thresholds', file('tight.yaml'));
    expect(r.code).toBe(99);
    expect(r.stdout).not.toContain('errors.rate');
  });

  it.each([
    [['gate', 'missing.json'], /missing\.json: no such file/],
    [['gate', 'NOT_A_RESULT'], /not a bench result/],
    [['gate', 'BROKEN'], /not JSON/],
    [['gate', 'PASS', '--thresholds', 'BAD_YAML'], /invalid threshold "endToEnd\.p99 < 250xs" at column 19: unknown unit "xs"/],
    [['gate', 'PASS', '--max-regression', 'lots'], /--max-regression "lots": expected a percentage/],
    [['gate', 'PASS', '--baseline', 'PASS', '--metric', 'endToEnd.p98'], /--metric "endToEnd\.p98": unknown statistic/],
    [['gate', 'PASS', '--baseline', 'nowhere'], /--baseline nowhere: no such file or directory/],
    [['gate', 'PASS', '--bogus'], /unknown option/],
  ])('exits 104 for invalid input: %j', async (args, message) => {
    const map: Record<string, string> = { NOT_A_RESULT: 'not-a-result.json', BROKEN: 'broken.json', PASS: 'pass.json', BAD_YAML: 'bad-thresholds.yaml' };
    const r = await bench(...args.map((a) => (map[a] ? file(map[a]) : a === 'missing.json' ? file(a) : a)));
    expect(r.code).toBe(104);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
  });

  it('writes JUnit XML and a Markdown summary', async () => {
    const r = await bench('gate', file('fail.json'), '--baseline', file('pass.json'), '--junit', file('out/junit.xml'), '--markdown', file('out/summary.md'));
    expect(r.code).toBe(99);
    const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(readFileSync(file('out/junit.xml'), 'utf8'));
    const suites = [xml.testsuites.testsuite].flat();
    expect(suites.map((s: { name: string }) => s.name)).toEqual(['kafka', 'rest']);
    const md = readFileSync(file('out/summary.md'), 'utf8');
    expect(md).toMatch(/^### ❌ Gate failed/);
    expect(md).toContain('| ❌ | rest | lost == 0 | 3 | 3 is not == 0 |');
    expect(md).toContain('Noise: bootstrap over seconds');
  });
});

describe('bench compare (real CLI)', () => {
  it('prints a table per transport with deltas and the noise verdict', async () => {
    const r = await bench('compare', file('pass.json'), file('slower.json'), '--markdown', file('out/compare.md'));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^kafka$/m);
    expect(r.stdout).toMatch(/endToEnd\.p99 .* \+\d+(\.\d+)?% .* beyond noise \(a better\)/);
    expect(r.stdout).toMatch(/^ {2}endToEnd\.p50 .* within noise$/m);
    // sentences first: the p99 regression in words, before the tables
    expect(r.stdout).toMatch(/What changed beyond noise:\n- Kafka: end-to-end p99 rose from [\d.]+ ms to [\d.]+ ms \(\+\d+ %/);
    expect(r.stdout.indexOf('What changed beyond noise')).toBeLessThan(r.stdout.indexOf('\nkafka\n'));
    const md = readFileSync(file('out/compare.md'), 'utf8');
    expect(md).toContain('#### kafka');
    expect(md).toMatch(/\| endToEnd\.p99 \| [\d.]+ ms \| [\d.]+ ms \| \+[\d.]+ ms \| \+[\d.]+% \|/);
  });

  it('exits 104 for a missing file', async () => {
    const r = await bench('compare', file('pass.json'), file('nope.json'));
    expect(r.code).toBe(104);
  });
});
