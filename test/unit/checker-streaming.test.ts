import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkEventLogs } from '../../src/check/check-logs.js';
import { checkRecords } from '../../src/check/checker.js';
import type { EventRecord } from '../../src/contract/events.js';
import { decodeLine, encodeHandling } from '../../src/runtime/event-line.js';
import { EventLogFile, eventLogPath, readEventLog, readEventLogs } from '../../src/runtime/event-log.js';
import { SiblingLedger } from '../../src/runtime/sibling-ledger.js';
import { checkRecordsAtOnce } from '../support/reference-checker.js';
import { writeSyntheticLog } from '../support/synthetic-log.js';

const root = mkdtempSync(join(tmpdir(), 'bench-stream-check-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const counts = (c: ReturnType<typeof checkRecords>) => {
  const { examples, drained, drainMs, ...rest } = c;
  return { ...rest, examples: Object.fromEntries(Object.entries(examples).map(([k, v]) => [k, v.length])) };
};

describe('the streaming check', () => {
  it('agrees with the check that reads every record at once, and with the faults made', () => {
    const log = writeSyntheticLog(join(root, 'agree'), 5000);
    const streamed = checkEventLogs(log.dir, { accepted: log.accepted, fromUs: log.fromUs, drained: true, drainMs: 0 });
    const atOnce = checkRecordsAtOnce({ records: readEventLogs(log.dir), accepted: log.accepted, fromUs: log.fromUs, drained: true, drainMs: 0 });
    expect(counts(streamed.check)).toEqual(counts(atOnce));
    expect(streamed.check).toMatchObject(log.expected);
    // it let orders go as it read: far fewer held at once than the run's 5000
    expect(streamed.peakOrders).toBeLessThan(2500);
    expect(streamed.sample.map((e) => e.type)).toEqual([
      'order_initiated', 'order_created', 'inventory_initiated', 'payment_initiated', 'payment_completed',
      'inventory_locked', 'shipment_initiated', 'shipment_completed', 'order_completed',
    ]);
  });

  it('agrees with it on records in any order (checkRecords)', () => {
    const log = writeSyntheticLog(join(root, 'shuffled'), 2000);
    const records = readEventLogs(log.dir);
    // a fixed shuffle
    let seed = 7;
    for (let i = records.length - 1; i > 0; i--) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const j = seed % (i + 1);
      [records[i], records[j]] = [records[j]!, records[i]!];
    }
    const input = { records, accepted: log.accepted, fromUs: log.fromUs, drained: true, drainMs: 0 };
    expect(counts(checkRecords(input))).toEqual(counts(checkRecordsAtOnce(input)));
  });

  it("holds a window of the log, not the log: checking 4N orders takes about N orders' memory", () => {
    // each check in a process of its own with V8's heap kept small (old generation 32 MB, young
    // 1 MB semi-spaces): it collects as often as it must, so the peak RSS follows what the check
    // holds, not when V8 chose to collect; a check whose memory grew with the log would run out
    // (reading every record at once does, at 15k orders)
    const figures = [15_000, 60_000].map((n) => {
      const log = writeSyntheticLog(join(root, `n${n}`), n);
      writeFileSync(join(log.dir, 'accepted.txt'), [...log.accepted].join('\n'));
      const child = join(__dirname, '../support/check-log-child.ts');
      const out = execFileSync(process.execPath, ['--max-old-space-size=32', '--max-semi-space-size=1', '--expose-gc', '--import', 'tsx', child, log.dir, String(log.fromUs)]).toString();
      const r = JSON.parse(out) as { check: object; peakOrders: number; peakRssBytes: number; bytes: number };
      expect(r.check).toMatchObject(log.expected);
      rmSync(log.dir, { recursive: true, force: true });
      return r;
    });
    const [n, n4] = figures as [(typeof figures)[0], (typeof figures)[0]];
    console.log(`peak RSS ${(n.peakRssBytes / 1e6).toFixed(0)} MB for 15k orders (${(n.bytes / 1e6).toFixed(1)} MB of log), ${(n4.peakRssBytes / 1e6).toFixed(0)} MB for 60k (${(n4.bytes / 1e6).toFixed(1)} MB); orders held at most ${n.peakOrders} / ${n4.peakOrders}`);
    expect(n4.peakOrders / n.peakOrders).toBeLessThan(1.2);
    // what still grows with the log is the accepted set and 20 bytes per let-go order
    expect(n4.peakRssBytes / n.peakRssBytes).toBeLessThan(1.25);
  }, 120_000);
});

describe('the event log', () => {
  const base = { orderId: 'o0000042', customerId: 'c0007', customerSeq: 3, intendedAtUs: 1_718_000_000_123_456, service: 'payment' as const, instance: 1 };
  const handling: EventRecord[] = [
    { ...base, eventId: 'o0000042:inventory_initiated', type: 'inventory_initiated', seq: 3, emittedAtUs: base.intendedAtUs + 2210, emittedBy: 'inventory', role: 'handled', atUs: base.intendedAtUs + 3410, effect: 'payment_charged' },
    { ...base, eventId: 'o0000042:payment_initiated', type: 'payment_initiated', seq: 4, emittedAtUs: base.intendedAtUs + 3500, emittedBy: 'payment', role: 'emitted', atUs: base.intendedAtUs + 3500, cause: 'o0000042:inventory_initiated' },
    { ...base, eventId: 'o0000042:payment_completed', type: 'payment_completed', seq: 5, emittedAtUs: base.intendedAtUs + 3520, emittedBy: 'payment', role: 'emitted', atUs: base.intendedAtUs + 3520, cause: 'o0000042:inventory_initiated' },
  ];
  const ctx = { service: 'payment' as const, instance: 1, baseUs: 1_718_000_000_000_000 };

  it('keeps one handling in one short line that reads back as the same records', () => {
    const line = encodeHandling(handling, ctx.baseUs)!;
    expect(line).toBe('o0000042 c0007 3 123456 inventory_initiated 2210 3410 payment_charged payment_initiated 3500 payment_completed 3520');
    expect(decodeLine(line, ctx)).toEqual(handling);
    const dup: EventRecord = { ...handling[0]!, effect: undefined, duplicate: true };
    delete dup.effect;
    expect(decodeLine(encodeHandling([dup], ctx.baseUs)!, ctx)).toEqual([dup]);
  });

  it('writes what the compact line cannot say exactly as JSON records, and reads both', () => {
    const odd: EventRecord = { ...handling[0]!, eventId: 'custom-id' };
    expect(encodeHandling([odd], ctx.baseUs)).toBeUndefined();
    const dir = mkdtempSync(join(root, 'odd-'));
    const path = eventLogPath(dir, 'payment', 1);
    const file = new EventLogFile(path);
    file.writeAll([odd]);
    file.writeAll(handling);
    file.close();
    expect(readEventLog(path)).toEqual([odd, ...handling]);
  });

  it("loses nothing but a killed writer's torn last line, and the next life appends cleanly", () => {
    const dir = mkdtempSync(join(root, 'torn-'));
    const path = eventLogPath(dir, 'payment', 1);
    const first = new EventLogFile(path);
    first.writeAll(handling);
    first.close();
    // a kill in the middle of the next write
    appendFileSync(path, 'o0000043 c0007 4 12');
    const second = new EventLogFile(path);
    const later = handling.map((r) => ({ ...r, orderId: 'o0000044', eventId: r.eventId.replace('42', '44'), cause: r.cause?.replace('42', '44'), intendedAtUs: r.intendedAtUs + 1e6, emittedAtUs: r.emittedAtUs + 1e6, atUs: r.atUs + 1e6 }));
    for (const r of later) if (r.cause === undefined) delete r.cause;
    second.writeAll(later);
    second.close();
    expect(readEventLog(path)).toEqual([...handling, ...later]);
    expect(readFileSync(path, 'utf8')).not.toContain('o0000043');
  });

  it("lets a sibling instance follow a log as it grows, a whole line at a time", () => {
    const dir = mkdtempSync(join(root, 'sibling-'));
    const own = eventLogPath(dir, 'payment', 0);
    const other = eventLogPath(dir, 'payment', 1);
    const ledger = new SiblingLedger(dir, 'payment', own);
    new EventLogFile(own).writeAll(handling.map((r) => ({ ...r, instance: 0 })));
    expect([...ledger.poll()]).toEqual([]);
    const writer = new EventLogFile(other);
    writer.writeAll(handling);
    expect([...ledger.poll()]).toEqual(handling);
    expect([...ledger.poll()]).toEqual([]);
    // a line half written is not read until its newline is there
    const later = encodeHandling(handling.map((r) => ({ ...r, atUs: r.atUs + 5, ...(r.role === 'emitted' ? { emittedAtUs: r.emittedAtUs + 5 } : {}) })), handling[0]!.intendedAtUs)!;
    appendFileSync(other, later.slice(0, 20));
    expect([...ledger.poll()]).toEqual([]);
    appendFileSync(other, later.slice(20) + '\n');
    expect([...ledger.poll()].map((r) => r.atUs)).toEqual(handling.map((r) => r.atUs + 5));
    writer.close();
  });

  it('takes under 1 KB per order over the four services, against 5.2 KB as JSON records', () => {
    const log = writeSyntheticLog(join(root, 'size'), 1000);
    const { bytes } = checkEventLogs(log.dir, { accepted: log.accepted, drained: true, drainMs: 0 });
    const json = readEventLogs(log.dir).reduce((n, r) => n + JSON.stringify(r).length + 1, 0);
    console.log(`event log: ${(bytes / 1000).toFixed(0)} B per order (as JSON records: ${(json / 1000).toFixed(0)} B)`);
    expect(bytes / 1000).toBeLessThan(700);
    expect(json / bytes).toBeGreaterThan(5);
  });
});
