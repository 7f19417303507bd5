import { closeSync, existsSync, openSync, readdirSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { EventRecord } from '../contract/events.js';
import type { EventSink } from '../workflow/service.js';

/**
 * A service's event log: one JSON line per handled or emitted event. Each line is
 * written straight to the file (no user-space buffer), so a service killed with
 * SIGKILL loses nothing it had recorded and can restore itself on restart.
 */
export class EventLogFile implements EventSink {
  private fd: number | undefined;
  constructor(readonly path: string) {
    this.fd = openSync(path, 'a');
  }
  write(record: EventRecord): void {
    if (this.fd === undefined) return;
    writeSync(this.fd, JSON.stringify(record) + '\n');
  }
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

export function eventLogPath(dir: string, service: string, instance: number): string {
  return join(dir, `${service}-${instance}.ndjson`);
}

/** Reads every record in one log file; a torn last line (a kill mid-write) is skipped. */
export function readEventLog(path: string): EventRecord[] {
  if (!existsSync(path)) return [];
  const out: EventRecord[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line) continue;
    try {
      out.push(JSON.parse(line) as EventRecord);
    } catch {
      // a line cut short by SIGKILL
    }
  }
  return out;
}

/** Every record of every service log in a directory (optionally one service's only). */
export function readEventLogs(dir: string, service?: string): EventRecord[] {
  if (!existsSync(dir)) return [];
  const files = readdirSync(dir).filter((f) => f.endsWith('.ndjson') && (!service || f.startsWith(`${service}-`)));
  return files.flatMap((f) => readEventLog(join(dir, f)));
}
