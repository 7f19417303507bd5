import { closeSync, existsSync, fstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';
/**
 * Follows the services' event logs of one transport (the same records the checker
 * reads after the run): each call to `read()` returns the lines appended since the
 * last call, across every `<service>-<instance>.ndjson` in the directory. A line cut
 * short (still being written) is kept for the next call.
 */
export class EventTail {
    dir;
    offsets = new Map();
    partial = new Map();
    constructor(dir) {
        this.dir = dir;
    }
    read() {
        if (!existsSync(this.dir))
            return [];
        const out = [];
        for (const file of readdirSync(this.dir)) {
            if (!file.endsWith('.ndjson'))
                continue;
            const path = join(this.dir, file);
            const text = this.newText(path);
            if (!text)
                continue;
            const lines = ((this.partial.get(path) ?? '') + text).split('\n');
            this.partial.set(path, lines.pop() ?? '');
            for (const line of lines) {
                if (!line)
                    continue;
                try {
                    out.push(JSON.parse(line));
                }
                catch {
                    // a torn line from a killed service: the checker skips it too
                }
            }
        }
        return out;
    }
    newText(path) {
        let fd;
        try {
            fd = openSync(path, 'r');
        }
        catch {
            return '';
        }
        try {
            const size = fstatSync(fd).size;
            const from = this.offsets.get(path) ?? 0;
            if (size <= from)
                return '';
            // at most 4 MB a second: a dashboard needs the recent orders, not a backlog of hours
            const start = Math.max(from, size - 4 * 1024 * 1024);
            const buf = Buffer.alloc(size - start);
            readSync(fd, buf, 0, buf.length, start);
            this.offsets.set(path, size);
            if (start > from)
                this.partial.delete(path);
            return buf.toString('utf8');
        }
        finally {
            closeSync(fd);
        }
    }
}
//# sourceMappingURL=event-tail.js.map