import { EventLogReader, eventLogFiles } from '../runtime/event-log.js';
/**
 * Follows the services' event logs of one transport (the same records the checker
 * reads after the run): each call to `read()` returns the records appended since the
 * last call, across every service's log in the directory, whatever their format. A
 * line still being written is left for the next call.
 */
export class EventTail {
    dir;
    readers = new Map();
    constructor(dir) {
        this.dir = dir;
    }
    read() {
        const out = [];
        for (const file of eventLogFiles(this.dir)) {
            let reader = this.readers.get(file);
            if (!reader) {
                reader = new EventLogReader(file);
                this.readers.set(file, reader);
            }
            for (const line of reader.lines())
                out.push(...line.records);
        }
        return out;
    }
}
//# sourceMappingURL=event-tail.js.map