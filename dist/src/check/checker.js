import { checkSequence, isTerminal } from '../workflow/state-machine.js';
import { ClosedOrders } from './closed-orders.js';
import { CustomerStreams } from './customer-streams.js';
import { OpenOrders } from './open-orders.js';
/**
 * Short, so that an order's state dies young (V8 collects what lives a few seconds
 * cheaply, and what lives longer is promoted and lingers until a full collection).
 */
const DEFAULT_WINDOW_US = 2_000_000;
const MAX_WINDOW_US = 120_000_000;
/**
 * Checks what the services recorded against the workflow, one record at a time:
 *  - lost: accepted, with no terminal event;
 *  - stuck: started (order_initiated recorded) but never accepted, not terminal, and
 *    handled or emitted by a service other than the order service (work left half-done);
 *  - neverAccepted: started, never accepted and never beyond the order service (its
 *    publish or first call failed at once): the driver counted it as an error; not stuck;
 *  - duplicates: extra deliveries of an event to a service (same event id handled again);
 *  - duplicateEffects: a side effect applied more than once (must be zero);
 *  - reordered: per service and customer, an event handled after one that its emitter
 *    emitted later (counted once per late event);
 *  - invalidTransitions: transitions of an order's events not allowed by the state machine
 *    (the REST orchestrator's compensation, payment_failed without payment_initiated, is allowed);
 *  - compensationErrors: payment_failed without inventory_released, order_completed
 *    after payment_failed, or a payment charged for an order that failed (a saga that
 *    compensated a payment call which in fact went through).
 *
 * Memory: records read in log-time order (`advance` tells how far the logs have been
 * read) let an order go once it is terminal and a window has passed with nothing new
 * about it; a let-go order keeps 20 bytes (src/check/closed-orders.ts), so that a
 * redelivery long after still counts exactly. What stays whole is the window's
 * orders and events and every order that never finished.
 */
export class OrderChecker {
    opts;
    fromUs;
    keep;
    windowUs;
    open = new OpenOrders();
    closed = new ClosedOrders();
    /** terminal orders waiting for their window to pass: slot and its generation, in pairs */
    queue = [];
    head = 0;
    streams;
    examples = {};
    duplicates = 0;
    duplicateEffects = 0;
    redeliveries = 0;
    invalidTransitions = 0;
    compensationErrors = 0;
    constructor(opts) {
        this.opts = opts;
        this.fromUs = opts.fromUs ?? 0;
        this.keep = opts.examples ?? 5;
        this.windowUs = opts.windowUs ?? DEFAULT_WINDOW_US;
        this.streams = new CustomerStreams((id) => this.note('reordered', id));
    }
    /** One record; `lineUs` is the log time of the line it came from. */
    add(r, lineUs = r.atUs) {
        if (r.intendedAtUs < this.fromUs)
            return;
        const s = this.slotOf(r, lineUs);
        const o = this.open;
        o.touch(s, lineUs);
        if (r.role === 'emitted') {
            // the earliest emission of an event stands for it (a second one is a duplicate effect, counted where it was handled)
            o.emit(s, r.type, r.emittedAtUs, r.emittedBy, r.eventId);
            if (isTerminal(r.type))
                this.enqueue(s);
            return;
        }
        if (!o.deliver(s, r.service, r.type, r.eventId)) {
            this.duplicates++;
            this.note('duplicates', r.orderId);
        }
        if (r.duplicate)
            this.redeliveries++;
        if (r.effect && !o.effect(s, r.service, r.effect)) {
            this.duplicateEffects++;
            this.note('duplicateEffects', r.orderId);
        }
        // the order's own id string, not the record's copy: the stream keeps it a window long
        if (!r.duplicate)
            this.streams.add(r.service, r.customerId, r.emittedBy, r.atUs, r.emittedAtUs, o.id(s));
        // a handling written long after it began (a delay, a queue): keep three times that much
        const lagUs = lineUs - r.atUs;
        if (3 * lagUs > this.windowUs)
            this.windowUs = Math.min(MAX_WINDOW_US, 3 * lagUs);
    }
    /** The logs have been read up to `readUs` (log time): judge and let go of what is a window behind. */
    advance(readUs) {
        const untilUs = readUs - this.windowUs;
        this.streams.judge(untilUs);
        const o = this.open;
        while (this.head < this.queue.length) {
            const s = this.queue[this.head];
            const current = o.generation(s) === this.queue[this.head + 1];
            if (current && o.lastUs(s) >= untilUs)
                break;
            this.head += 2;
            if (!current)
                continue;
            o.setQueued(s, false);
            this.close(s);
        }
        if (this.head > 2048 && this.head * 2 > this.queue.length) {
            this.queue = this.queue.slice(this.head);
            this.head = 0;
        }
    }
    /** Orders read and not let go of yet, and events waiting for the ordering check: what the checker holds whole. */
    get holding() {
        return { orders: this.open.size, events: this.streams.waiting, closed: this.closed.size, windowUs: this.windowUs };
    }
    finish(drained, drainMs) {
        this.streams.judge();
        const accepted = this.opts.accepted;
        const o = this.open;
        let stuck = 0;
        let neverAccepted = 0;
        for (const id of o.orderIds()) {
            const s = o.slotOf(id);
            const first = !o.counted(s);
            this.judge(s);
            if (first)
                this.opts.onOrder?.(this.judgedOrder(s));
            if (o.started(s) && !o.terminal(s) && !accepted.has(id)) {
                if (o.beyondOrderService(s)) {
                    stuck++;
                    this.note('stuck', id);
                }
                else
                    neverAccepted++;
            }
        }
        let lost = 0;
        for (const id of accepted) {
            const s = o.slotOf(id);
            if (s !== undefined ? !o.terminal(s) : !this.closed.has(id)) {
                lost++;
                this.note('lost', id);
            }
        }
        return {
            drained,
            drainMs: Math.round(drainMs),
            lost,
            stuck,
            neverAccepted,
            duplicates: this.duplicates,
            duplicateEffects: this.duplicateEffects,
            reordered: this.streams.reordered,
            invalidTransitions: this.invalidTransitions,
            compensationErrors: this.compensationErrors,
            redeliveries: this.redeliveries,
            examples: this.examples,
        };
    }
    /** The slot of the record's order: open, taken back from the let-go ones, or new. */
    slotOf(r, lineUs) {
        const o = this.open;
        const s = o.slotOf(r.orderId);
        if (s !== undefined)
            return s;
        const back = this.closed.take(r.orderId);
        if (!back)
            return o.create(r.orderId, r.intendedAtUs, lineUs);
        const reopened = 'whole' in back ? o.reopen(r.orderId, back.whole.summary, lineUs, back.whole.emissions) : o.reopen(r.orderId, back.summary, lineUs);
        if (o.terminal(reopened))
            this.enqueue(reopened);
        return reopened;
    }
    enqueue(s) {
        if (this.open.queued(s))
            return;
        this.open.setQueued(s, true);
        this.queue.push(s, this.open.generation(s));
    }
    close(s) {
        const o = this.open;
        const first = !o.counted(s);
        const sequence = this.judge(s);
        if (first)
            this.opts.onOrder?.(this.judgedOrder(s));
        const summary = o.summary(s, sequence);
        const id = o.id(s);
        this.closed.add(id, summary, { summary, emissions: summary.odd ? o.emissions(s) : [] });
        o.release(s);
    }
    /** Judges an order's sequence, counting what changed since it was last judged; returns the sequence judged. */
    judge(s) {
        const o = this.open;
        const ordered = o.emissions(s).sort((a, b) => a.emittedAtUs - b.emittedAtUs || a.seq - b.seq);
        const sequence = ordered.map((r) => r.type);
        const complete = o.terminal(s);
        // the orchestrator's compensation (payment unreachable → payment_failed emitted by the
        // order service) skips payment_initiated by design: judge it as if payment had begun
        const judged = ordered.flatMap((r) => r.type === 'payment_failed' && r.emittedBy === 'order' && !sequence.includes('payment_initiated') ? ['payment_initiated', r.type] : [r.type]);
        // an unfinished order is judged on what it did, not on what it did not get to do
        const verdict = checkSequence(judged);
        const invalid = verdict.invalid.length + (verdict.multipleTerminals ? 1 : 0);
        const types = new Set(sequence);
        const chargedButFailed = o.charged(s) && types.has('order_failed');
        const compensation = chargedButFailed || (types.has('payment_failed') && ((complete && !types.has('inventory_released')) || types.has('order_completed')));
        const before = o.counted(s) ?? { invalid: 0, compensation: false };
        this.invalidTransitions += invalid - before.invalid;
        this.compensationErrors += Number(compensation) - Number(before.compensation);
        const id = o.id(s);
        if (invalid > 0)
            this.note('invalidTransitions', id);
        if (compensation)
            this.note('compensationErrors', id);
        o.setCounted(s, invalid, compensation);
        return ordered.map(({ type, emittedBy }) => ({ type, emittedBy }));
    }
    judgedOrder(s) {
        return { orderId: this.open.id(s), intendedAtUs: this.open.intendedAtUs(s), emitted: this.open.emissions(s) };
    }
    note(kind, orderId) {
        const list = (this.examples[kind] ??= []);
        if (list.length < this.keep && !list.includes(orderId))
            list.push(orderId);
    }
}
/** Checks a set of records held in memory (tests, small runs); a run's logs are checked with checkEventLogs. */
export function checkRecords(input) {
    const opts = { accepted: input.accepted };
    if (input.fromUs !== undefined)
        opts.fromUs = input.fromUs;
    if (input.examples !== undefined)
        opts.examples = input.examples;
    const checker = new OrderChecker(opts);
    for (const r of input.records)
        checker.add(r);
    return checker.finish(input.drained, input.drainMs);
}
//# sourceMappingURL=checker.js.map