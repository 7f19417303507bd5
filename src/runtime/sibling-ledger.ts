import { closeSync, existsSync, fstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { EventRecord } from '../contract/events.js';

/**
 * Follows the event logs of the other instances of one service, so that an event one
 * instance processed is known to all: when a broker hands a customer's events to
 * another instance (a rebalance, a crash), the new owner recognises a redelivery and
 * applies no side effect twice. Reads only what was appended since the last call.
 */
export class SiblingLedger {
  private readonly offsets = new Map<string, number>();
  private readonly partial = new Map<string, string>();

  constructor(
    private readonly dir: string,
    private readonly service: string,
    private readonly ownFile: string,
  ) {}

  /** Records appended to the siblings' logs since the last call. */
  poll(): EventRecord[] {
    if (!existsSync(this.dir)) return [];
    const out: EventRecord[] = [];
    for (const f of readdirSync(this.dir)) {
      if (!f.startsWith(`${this.service}-`) || !f.endsWith('.ndjson')) continue;
      const path = join(this.dir, f);
      if (path === this.ownFile) continue;
      const fd = openSync(path, 'r');
      try {
        const size = fstatSync(fd).size;
        const from = this.offsets.get(path) ?? 0;
        if (size <= from) continue;
        const buf = Buffer.alloc(size - from);
        readSync(fd, buf, 0, buf.length, from);
        this.offsets.set(path, size);
        const text = (this.partial.get(path) ?? '') + buf.toString('utf8');
        const lines = text.split('\n');
        this.partial.set(path, lines.pop() ?? '');
        for (const line of lines) {
          if (!line) continue;
          try {
            out.push(JSON.parse(line) as EventRecord);
          } catch {
            // a torn line from a killed sibling
          }
        }
      } finally {
        closeSync(fd);
      }
    }
    return out;
  }
}
