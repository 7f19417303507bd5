import { HANDLER_RETRY, retry } from '../../src/contract/retry.js';
export class ChannelConsumer {
    session;
    handler;
    opts;
    lanes = new Map();
    /** ends retry backoffs early when the member closes */
    stop = new AbortController();
    running = new Set();
    sub;
    closing = false;
    /** a handler's retries gave up: nothing more is handled or acknowledged */
    gaveUp = false;
    /** false once UNSUBSCRIBE is sent: an ACK after it would make ActiveMQ answer with an ERROR frame */
    acksAllowed = true;
    constructor(session, handler, opts) {
        this.session = session;
        this.handler = handler;
        this.opts = opts;
    }
    start() {
        this.sub = this.session.subscribe({
            destination: this.opts.destination,
            ack: 'client-individual',
            'activemq.prefetchSize': String(this.opts.prefetch),
        }, (m) => this.enqueue(m));
    }
    /**
     * Carries on over a new session after the old one was lost (broker restart): what the
     * old one delivered and did not acknowledge, the broker delivers again; handlers still
     * running for it may finish (up to `drainMs`) but are never acknowledged; then the
     * member subscribes again.
     */
    async rebind(session) {
        this.session = session;
        this.lanes.clear();
        let timer;
        await Promise.race([Promise.allSettled([...this.running]), new Promise((r) => (timer = setTimeout(r, this.opts.drainMs ?? 5000)))]);
        clearTimeout(timer);
        if (this.closing || this.gaveUp || session.failed)
            return;
        this.start();
    }
    enqueue(message) {
        if (this.closing || this.gaveUp)
            return; // never handled, never acked: the broker redelivers it
        let event;
        try {
            event = JSON.parse(message.body);
        }
        catch {
            // not an event at all: retrying cannot help; it goes to ActiveMQ's dead-letter queue
            this.session.nack(message);
            return;
        }
        const session = this.session;
        const key = event.customerId;
        let lane = this.lanes.get(key);
        if (!lane) {
            lane = { items: [], running: false };
            this.lanes.set(key, lane);
        }
        lane.items.push({ message, event, session });
        if (!lane.running) {
            lane.running = true;
            const run = this.drainLane(key, lane).finally(() => this.running.delete(run));
            this.running.add(run);
        }
    }
    async drainLane(key, lane) {
        while (lane.items.length > 0 && !this.closing && !this.gaveUp) {
            const { message, event, session } = lane.items[0];
            const handled = await this.handleUntilDone(message, event, session);
            // a message of a lost session is not acknowledged: the broker delivers it again
            if (!handled || !this.acksAllowed || session !== this.session || session.failed)
                break;
            session.ack(message);
            lane.items.shift();
        }
        lane.running = false;
        if (lane.items.length === 0 && this.lanes.get(key) === lane)
            this.lanes.delete(key);
    }
    /** Calls the handler until it resolves; false when the member closed or gave up first (message left unacknowledged). */
    async handleUntilDone(message, event, session) {
        const source = this.opts.destination;
        const redelivered = message.headers.redelivered === 'true';
        try {
            await retry(`handling ${event.eventId} from ${source}`, async (attempt) => {
                if (this.closing || this.gaveUp || session.failed)
                    throw Object.assign(new Error('member closed'), { retriable: false });
                await this.handler(event, { redelivered: redelivered || attempt > 1, source });
            }, { policy: this.opts.retryPolicy ?? HANDLER_RETRY, signal: this.stop.signal });
            return !session.failed;
        }
        catch (err) {
            if (!this.closing && !this.gaveUp && !session.failed) {
                // retries spent or not retriable: stop here, loudly; the message stays unacknowledged
                this.gaveUp = true;
                this.stop.abort();
                this.opts.onGaveUp?.(err);
            }
            return false;
        }
    }
    /**
     * Stops taking new messages, lets running handlers finish (up to `drainMs`) and acks
     * them, then unsubscribes: everything not acknowledged goes back to the broker.
     */
    async close() {
        if (this.closing)
            return;
        this.closing = true;
        this.stop.abort();
        const drained = Promise.allSettled([...this.running]);
        let timer;
        await Promise.race([drained, new Promise((r) => (timer = setTimeout(r, this.opts.drainMs ?? 5000)))]);
        clearTimeout(timer);
        this.lanes.clear();
        this.acksAllowed = false;
        await this.sub?.unsubscribe();
    }
}
//# sourceMappingURL=consumer.js.map