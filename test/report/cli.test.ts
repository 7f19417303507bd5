import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { createReportServer } from '../../src/cli/report-server.js';
import { syntheticResult } from '../fixtures/synthetic-result.js';

const run = promisify(execFile);
const BENCH = resolve('bin/bench.js');
const dir = mkdtempSync(join(tmpdir(), 'bench-report-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeRun(name: string, opts: Parameters<typeof syntheticResult>[0]): string {
  const runDir = join(dir, 'reports', name, '2025-01-15T10-00-00');
  mkdirSync(runDir, { recursive: true });
  writeFileSync(join(runDir, 'result.json'), JSON.stringify(opts ? syntheticResult(opts) : {}));
  return runDir;
}

async function bench(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BENCH, 'report', ...args], { cwd: dir });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('bench report', () => {
  const a = writeRun('steady', { transports: ['rest', 'kafka'], seconds: 20 });
  const b = writeRun('crash', { transports: ['rest', 'kafka'], seconds: 20, faults: true, scenarioName: 'crash' });

  it('re-renders a run directory next to its result.json', async () => {
    const r = await bench(a);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(`report: ${join(a, 'report.html')}`);
    for (const f of ['report.html', 'summary.md', 'summary.csv']) expect(existsSync(join(a, f))).toBe(true);
  });

  it('compares two results in one report', async () => {
    const out = join(dir, 'out', 'comparison.html');
    const r = await bench(join(a, 'result.json'), b, '--out', out);
    expect(r.code).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('kafka · run 1');
    expect(html).toContain('kafka · run 2');
    expect(html).toContain('Comparison: steady-100 vs crash');
    // it leads with what changed beyond noise, before the verdict
    expect(html.indexOf('What changed beyond noise')).toBeGreaterThan(0);
    expect(html.indexOf('What changed beyond noise')).toBeLessThan(html.indexOf('id="verdict"'));
  });

  it('pools runs with --merge', async () => {
    const out = join(dir, 'out', 'merged.html');
    const r = await bench(a, b, '--merge', '--out', out);
    expect(r.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('2 runs pooled');
  });

  it('a missing file: exit 104 and one line naming it', async () => {
    const r = await bench(join(dir, 'nope', 'result.json'));
    expect(r.code).toBe(104);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(join(dir, 'nope', 'result.json'));
    expect(lines[0]).toContain('expected a result.json');
  });

  it('a file that is not a result: exit 104 and one line', async () => {
    const bad = writeRun('bad', undefined as unknown as Parameters<typeof syntheticResult>[0]);
    const r = await bench(bad);
    expect(r.code).toBe(104);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('not a bench result');
  });
});

describe('report server', () => {
  it('lists runs newest first and renders a missing report.html on request', async () => {
    const root = join(dir, 'served');
    const older = syntheticResult({ transports: ['rest'], seconds: 5, scenarioName: 'older' });
    const newer = syntheticResult({ transports: ['kafka'], seconds: 5, scenarioName: 'newer<b>' });
    newer.startedAt = '2030-01-01T00:00:00.000Z';
    for (const [name, r] of [['older', older], ['newer', newer]] as const) {
      mkdirSync(join(root, name, 't1'), { recursive: true });
      writeFileSync(join(root, name, 't1', 'result.json'), JSON.stringify(r));
    }
    const server = createReportServer(root);
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const port = (server.address() as { port: number }).port;
    try {
      const index = await (await fetch(`http://127.0.0.1:${port}/`)).text();
      expect(index.indexOf('newer&lt;b&gt;')).toBeGreaterThan(0);
      expect(index.indexOf('newer&lt;b&gt;')).toBeLessThan(index.indexOf('older'));
      const report = await fetch(`http://127.0.0.1:${port}/older/t1/report.html`);
      expect(report.status).toBe(200);
      expect(await report.text()).toContain('<!doctype html>');
      const escape = await fetch(`http://127.0.0.1:${port}/..%2f..%2fetc/passwd`);
      expect([403, 404]).toContain(escape.status);
    } finally {
      server.close();
    }
  });
});
