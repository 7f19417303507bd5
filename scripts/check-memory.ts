/**
 * What checking a run's event logs costs in memory, streamed and read at once, for a
 * log and one four times as long (made up: test/support/synthetic-log.ts, 200 orders/s).
 * Each check runs in a process of its own; prints its peak RSS and orders held.
 *   node --import tsx scripts/check-memory.ts [orders, default 20000]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSyntheticLog } from '../test/support/synthetic-log.js';

const n = Number(process.argv[2] ?? 20_000);
const root = mkdtempSync(join(tmpdir(), 'bench-check-memory-'));
const child = join(import.meta.dirname, '../test/support/check-log-child.ts');
try {
  for (const orders of [n, 4 * n]) {
    const log = writeSyntheticLog(join(root, String(orders)), orders);
    writeFileSync(join(log.dir, 'accepted.txt'), [...log.accepted].join('\n'));
    for (const mode of ['streamed', 'at-once']) {
      const out = JSON.parse(execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', child, log.dir, String(log.fromUs), mode]).toString()) as {
        peakRssBytes: number;
        rssBeforeBytes: number;
        peakOrders?: number;
        bytes?: number;
      };
      const held = out.peakOrders === undefined ? '' : `, at most ${out.peakOrders} orders held`;
      process.stdout.write(`${orders} orders, ${mode}: peak RSS ${(out.peakRssBytes / 1e6).toFixed(0)} MB (${(out.rssBeforeBytes / 1e6).toFixed(0)} MB before the check)${held}\n`);
    }
    rmSync(log.dir, { recursive: true, force: true });
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
