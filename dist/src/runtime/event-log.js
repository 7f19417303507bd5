import { closeSync, existsSync, fstatSync, ftruncateSync, openSync, readdirSync, readSync, statSync, writeSync } from 'node:fs';
import { basename, join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { SERVICE_NAMES } from '../contract/events.js';
import { decodeLine, encodeHandling, headerLine, lineTimeUs, parseHeader } from './event-line.js';
/**
 * A service's event log: one line per handling (src/runtime/event-line.ts). Each line
 * is written straight to the file (no user-space buffer), so a service killed with
 * SIGKILL loses nothing it had recorded and can restore itself on restart. A line cut
 * short by a kill is cut off when the next life opens the file.
 */
export class EventLogFile {
    path;
    fd;
    /** times in this life's lines are relative to it (set by the first line written) */
    baseUs;
    constructor(path) {
        this.path = path;
        this.fd = openSync(path, 'a+');
        dropTornTail(this.fd);
    }
    write(record) {
        this.writeAll([record]);
    }
    /** One handling's records (the handled event first, then what it emitted), as one line. */
    writeAll(records) {
        const first = records[0];
        if (this.fd === undefined || !first)
            return;
        let header = '';
        if (this.baseUs === undefined) {
            this.baseUs = Number.isSafeInteger(first.intendedAtUs) ? first.intendedAtUs : 0;
            header = headerLine(first.service, first.instance, this.baseUs) + '\n';
        }
        const line = encodeHandling(records, this.baseUs) ?? records.map((r) => JSON.stringify(r)).join('\n');
        writeSync(this.fd, header + line + '\n');
    }
    close() {
        if (this.fd !== undefined)
            closeSync(this.fd);
        this.fd = undefined;
    }
}
/** Cuts a last line that has no newline (its writer was killed mid-write), so the next line starts clean. */
function dropTornTail(fd) {
    const size = fstatSync(fd).size;
    if (size === 0)
        return;
    const tail = Buffer.alloc(Math.min(size, 64 * 1024));
    readSync(fd, tail, 0, tail.length, size - tail.length);
    if (tail[tail.length - 1] === 0x0a)
        return;
    const nl = tail.lastIndexOf(0x0a);
    if (nl >= 0)
        ftruncateSync(fd, size - tail.length + nl + 1);
    else if (tail.length === size)
        ftruncateSync(fd, 0);
    else
        writeSync(fd, '\n');
}
export const EVENT_LOG_SUFFIX = '.events';
export function eventLogPath(dir, service, instance) {
    return join(dir, `${service}-${instance}${EVENT_LOG_SUFFIX}`);
}
/** The event logs in a directory (optionally one service's only), in a stable order; `.ndjson` logs of earlier versions too. */
export function eventLogFiles(dir, service) {
    if (!existsSync(dir))
        return [];
    return readdirSync(dir)
        .filter((f) => (f.endsWith(EVENT_LOG_SUFFIX) || f.endsWith('.ndjson')) && (!service || f.startsWith(`${service}-`)))
        .sort()
        .map((f) => join(dir, f));
}
/** Bytes of every event log in a directory. */
export function eventLogBytes(dir) {
    return eventLogFiles(dir).reduce((n, f) => n + statSync(f).size, 0);
}
const CHUNK = 32 * 1024;
/**
 * Reads one event log a line at a time, a chunk at a time, so a log of any length is
 * read in constant memory. Reading again later picks up what was appended since (a
 * sibling instance following another's log); a line without its newline yet is left
 * for then, and one cut short by a kill is never returned.
 */
export class EventLogReader {
    path;
    offset = 0;
    text = '';
    pos = 0;
    ctx;
    buf = Buffer.alloc(CHUNK);
    decoder = new StringDecoder('utf8');
    constructor(path) {
        this.path = path;
        const m = /^([a-z]+)-(\d+)\./.exec(basename(path));
        const service = SERVICE_NAMES.includes(m?.[1] ?? '') ? m[1] : 'order';
        this.ctx = { service, instance: Number(m?.[2] ?? 0), baseUs: Number.NaN };
    }
    /** The next complete line's records, or undefined when none is there (yet). */
    next() {
        for (;;) {
            const nl = this.text.indexOf('\n', this.pos);
            if (nl < 0) {
                if (!this.fill())
                    return undefined;
                continue;
            }
            const line = this.text.slice(this.pos, nl);
            this.pos = nl + 1;
            if (!line)
                continue;
            const header = parseHeader(line);
            if (header) {
                Object.assign(this.ctx, header);
                continue;
            }
            // a compact line before any header has no base to be read against
            if (!line.startsWith('{') && Number.isNaN(this.ctx.baseUs))
                continue;
            const records = decodeLine(line, this.ctx);
            if (records?.length)
                return { records, timeUs: lineTimeUs(records) };
        }
    }
    /** Every complete line there now. */
    *lines() {
        for (let l = this.next(); l; l = this.next())
            yield l;
    }
    /** Reads the next chunk into the text; false at the end of the file. */
    fill() {
        if (!existsSync(this.path))
            return false;
        const fd = openSync(this.path, 'r');
        try {
            const size = fstatSync(fd).size;
            // the file was cut (a torn tail dropped by the writer's next life): read on from there
            if (size < this.offset) {
                this.offset = size;
                this.text = '';
                this.pos = 0;
                this.decoder = new StringDecoder('utf8');
                return false;
            }
            const n = readSync(fd, this.buf, 0, this.buf.length, this.offset);
            if (n <= 0)
                return false;
            this.offset += n;
            // the decoder holds back a character cut by the chunk's end until the next chunk
            this.text = this.text.slice(this.pos) + this.decoder.write(this.buf.subarray(0, n));
            this.pos = 0;
            return true;
        }
        finally {
            closeSync(fd);
        }
    }
}
/** Every record in one log file; a torn last line (a kill mid-write) is skipped. */
export function readEventLog(path) {
    const out = [];
    for (const line of new EventLogReader(path).lines())
        out.push(...line.records);
    return out;
}
/** Every record of every service log in a directory (optionally one service's only): for small logs and tests. */
export function readEventLogs(dir, service) {
    return eventLogFiles(dir, service).flatMap((f) => readEventLog(f));
}
/** Every record of one log, read a line at a time. */
export function* readEventLogRecords(path) {
    for (const line of new EventLogReader(path).lines())
        yield* line.records;
}
//# sourceMappingURL=event-log.js.map