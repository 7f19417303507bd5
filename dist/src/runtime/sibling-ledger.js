import { EventLogReader, eventLogFiles } from './event-log.js';
/**
 * Follows the event logs of the other instances of one service, so that an event one
 * instance processed is known to all: when a broker hands a customer's events to
 * another instance (a rebalance, a crash), the new owner recognises a redelivery and
 * applies no side effect twice. Reads only what was appended since the last call, a
 * chunk at a time.
 */
export class SiblingLedger {
    dir;
    service;
    ownFile;
    readers = new Map();
    constructor(dir, service, ownFile) {
        this.dir = dir;
        this.service = service;
        this.ownFile = ownFile;
    }
    /** Records appended to the siblings' logs since the last call, read as they are consumed. */
    *poll() {
        for (const path of eventLogFiles(this.dir, this.service)) {
            if (path === this.ownFile)
                continue;
            let reader = this.readers.get(path);
            if (!reader)
                this.readers.set(path, (reader = new EventLogReader(path)));
            for (const line of reader.lines())
                yield* line.records;
        }
    }
}
//# sourceMappingURL=sibling-ledger.js.map