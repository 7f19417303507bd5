/**
 * The per-customer ordering check: per handling service, customer and emitting
 * service, an event handled after one that its emitter emitted later is reordered
 * (counted once per late event). Events are judged in handling order once the logs
 * have been read past their handling time by the window; until then they wait in
 * one buffer sorted by handling time (typed arrays, no object per event: they live a
 * window long, long enough for V8 to promote them), and each stream keeps one number,
 * the latest emission judged.
 */
export class CustomerStreams {
    onReordered;
    streamOf = new Map();
    latestEmittedUs = [];
    atUs = new Float64Array(4096);
    emittedAtUs = new Float64Array(4096);
    stream = new Int32Array(4096);
    orderIds = new Array(4096).fill(undefined);
    head = 0;
    tail = 0;
    reordered = 0;
    constructor(onReordered) {
        this.onReordered = onReordered;
    }
    add(service, customerId, emittedBy, atUs, emittedAtUs, orderId) {
        const key = `${service}|${customerId}|${emittedBy}`;
        let s = this.streamOf.get(key);
        if (s === undefined) {
            s = this.latestEmittedUs.length;
            this.streamOf.set(key, s);
            this.latestEmittedUs.push(-Infinity);
        }
        if (this.tail === this.atUs.length)
            this.makeRoom();
        // mostly in order: insert from the end, after any handled in the same microsecond (read order breaks ties)
        let i = this.tail;
        while (i > this.head && this.atUs[i - 1] > atUs) {
            this.atUs[i] = this.atUs[i - 1];
            this.emittedAtUs[i] = this.emittedAtUs[i - 1];
            this.stream[i] = this.stream[i - 1];
            this.orderIds[i] = this.orderIds[i - 1];
            i--;
        }
        this.atUs[i] = atUs;
        this.emittedAtUs[i] = emittedAtUs;
        this.stream[i] = s;
        this.orderIds[i] = orderId;
        this.tail++;
    }
    /** Judges every waiting event handled before `untilUs` (all of them when omitted). */
    judge(untilUs = Infinity) {
        for (; this.head < this.tail && this.atUs[this.head] < untilUs; this.head++) {
            const s = this.stream[this.head];
            const emitted = this.emittedAtUs[this.head];
            if (emitted < this.latestEmittedUs[s]) {
                this.reordered++;
                this.onReordered(this.orderIds[this.head]);
            }
            else
                this.latestEmittedUs[s] = emitted;
            this.orderIds[this.head] = undefined;
        }
        if (this.head === this.tail)
            this.head = this.tail = 0;
    }
    /** Events read but not judged yet. */
    get waiting() {
        return this.tail - this.head;
    }
    /** Moves the waiting events to the front, or doubles the buffer when they fill most of it. */
    makeRoom() {
        const n = this.tail - this.head;
        if (n * 2 > this.atUs.length) {
            const grow = (a, make) => {
                const b = make(a.length * 2);
                b.set(a.subarray(this.head, this.tail));
                return b;
            };
            this.atUs = grow(this.atUs, (l) => new Float64Array(l));
            this.emittedAtUs = grow(this.emittedAtUs, (l) => new Float64Array(l));
            this.stream = grow(this.stream, (l) => new Int32Array(l));
            const ids = new Array(this.orderIds.length * 2).fill(undefined);
            for (let i = 0; i < n; i++)
                ids[i] = this.orderIds[this.head + i];
            this.orderIds = ids;
        }
        else {
            this.atUs.copyWithin(0, this.head, this.tail);
            this.emittedAtUs.copyWithin(0, this.head, this.tail);
            this.stream.copyWithin(0, this.head, this.tail);
            for (let i = 0; i < n; i++)
                this.orderIds[i] = this.orderIds[this.head + i];
            this.orderIds.fill(undefined, n, this.tail);
        }
        this.head = 0;
        this.tail = n;
    }
}
//# sourceMappingURL=customer-streams.js.map