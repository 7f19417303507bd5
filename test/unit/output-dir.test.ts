import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/contract/errors.js';
import { markKilledRuns } from '../../src/runtime/killed-runs.js';
import { createRunDir, makeDirectory, safeDirName } from '../../src/runtime/output-dir.js';
import { newRunId } from '../../src/runtime/run.js';
import { tempRunDir } from '../support/scenario.js';

describe('run directories', () => {
  it('two runs of one scenario started in the same second get two directories', () => {
    const reports = tempRunDir();
    const now = new Date('2026-12-02T10:00:00Z');
    const a = createRunDir(undefined, reports, 'order-happy-path', newRunId(now));
    const b = createRunDir(undefined, reports, 'order-happy-path', newRunId(now));
    expect(a).not.toBe(b);
  });

  it('a scenario name never climbs out of reports/ or holds odd characters', () => {
    expect(safeDirName('..')).toBe('scenario');
    expect(safeDirName('../../etc')).toBe('etc');
    expect(safeDirName('a b/c\\d\u0000e')).toBe('a-b-c-d-e');
    const reports = tempRunDir();
    expect(createRunDir(undefined, reports, '..', 'r1').startsWith(join(reports, 'scenario'))).toBe(true);
  });

  it('refuses --out that is empty, a file, below a file, too long, under /proc, or holds NUL; one line each', () => {
    const dir = tempRunDir();
    writeFileSync(join(dir, 'file'), '');
    for (const bad of ['', join(dir, 'file'), join(dir, 'file', 'sub'), join(dir, 'x'.repeat(300)), '/proc/x', `${dir}/a\u0000b`]) {
      let err: unknown;
      try {
        makeDirectory(bad, '--out');
      } catch (e) {
        err = e;
      }
      expect(err, bad.slice(0, 60)).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toMatch(/^--out /);
      expect((err as Error).message).not.toContain('\n');
    }
  });

  it('refuses a directory a live run writes to', () => {
    const dir = tempRunDir();
    writeFileSync(join(dir, '.running'), `${process.ppid} ${hostname()}\n`);
    expect(() => createRunDir(dir, tempRunDir(), 's', 'r')).toThrow(/still writing there/);
  });
});

describe('a run whose harness was killed outright', () => {
  it('is marked killed by the next start, and only then', () => {
    const reports = tempRunDir();
    const dead = join(reports, 's', 'r-dead');
    const live = join(reports, 's', 'r-live');
    for (const d of [dead, live]) {
      mkdirSync(d, { recursive: true });
      writeFileSync(join(d, 'result.json'), JSON.stringify({ status: 'running', transports: [] }));
    }
    // a pid that cannot be alive (above the kernel's maximum) and the parent of this process
    writeFileSync(join(dead, '.running'), `4194305 ${hostname()}\n`);
    writeFileSync(join(live, '.running'), `${process.ppid} ${hostname()}\n`);
    expect(markKilledRuns(reports)).toEqual([dead]);
    expect(JSON.parse(readFileSync(join(dead, 'result.json'), 'utf8')).status).toBe('killed');
    expect(JSON.parse(readFileSync(join(live, 'result.json'), 'utf8')).status).toBe('running');
  });
});

describe('the report server', () => {
  it('serves no file outside its directory, even through a symbolic link', async () => {
    const { createReportServer } = await import('../../src/cli/report-server.js');
    const root = tempRunDir();
    const outside = tempRunDir();
    writeFileSync(join(outside, 'secret.txt'), 'secret');
    writeFileSync(join(root, 'inside.txt'), 'inside');
    symlinkSync(join(outside, 'secret.txt'), join(root, 'link.txt'));
    const server = createReportServer(root);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    try {
      expect((await fetch(`http://127.0.0.1:${port}/inside.txt`)).status).toBe(200);
      const res = await fetch(`http://127.0.0.1:${port}/link.txt`);
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain('secret');
    } finally {
      server.close();
    }
  });
});
