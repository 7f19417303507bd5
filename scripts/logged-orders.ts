/**
 * Counts the orders in a run's event logs (those the order service started) and prints
 * the logs' bytes per order: `node --import tsx scripts/logged-orders.ts <run dir>`.
 * Reads either log format a line at a time.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { EventLogReader, eventLogBytes, eventLogFiles } from '../src/runtime/event-log.js';

const dir = process.argv[2] ?? '.';
let orders = 0;
let bytes = 0;
for (const transport of readdirSync(join(dir, 'events'))) {
  const events = join(dir, 'events', transport);
  bytes += eventLogBytes(events);
  for (const f of eventLogFiles(events, 'order')) {
    for (const line of new EventLogReader(f).lines()) orders += line.records.filter((r) => r.role === 'emitted' && r.type === 'order_initiated').length;
  }
}
process.stdout.write(`events/: ${bytes} bytes for ${orders} orders started (warm-up included), ${Math.round(bytes / Math.max(1, orders))} bytes per order\n`);
