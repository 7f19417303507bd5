/**
 * Checks one event-log directory in a process of its own and prints, as JSON, the
 * counts and what the check cost in memory: the process's RSS before the check (its
 * accepted set loaded), its peak RSS by the end (VmHWM), and the heap after a GC.
 * Run with `node --expose-gc --import tsx check-log-child.ts <dir> <fromUs> [at-once]`;
 * the accepted orders are read from <dir>/accepted.txt, one id a line. `at-once` checks
 * the way the harness did before it streamed: every record read into memory first.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkEventLogs } from '../../src/check/check-logs.js';
import { readEventLogs } from '../../src/runtime/event-log.js';
import { checkRecordsAtOnce } from './reference-checker.js';

const [dir = '', fromUs = '0', mode] = process.argv.slice(2);
const accepted = new Set(readFileSync(join(dir, 'accepted.txt'), 'utf8').split('\n').filter(Boolean));
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
gc();
const rssBeforeBytes = process.memoryUsage().rss;
const input = { accepted, fromUs: Number(fromUs), drained: true, drainMs: 0 };
const result = mode === 'at-once' ? { check: checkRecordsAtOnce({ ...input, records: readEventLogs(dir) }) } : checkEventLogs(dir, input);
const peakRssBytes = process.resourceUsage().maxRSS * 1024;
gc();
const heapAfterBytes = process.memoryUsage().heapUsed;
process.stdout.write(JSON.stringify({ ...result, rssBeforeBytes, peakRssBytes, heapAfterBytes }) + '\n');
