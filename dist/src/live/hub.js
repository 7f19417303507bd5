import { EventEmitter } from 'node:events';
import { EventTail } from './event-tail.js';
const LANE_ORDERS = 12;
const COMPENSATION = new Set(['payment_failed', 'inventory_released', 'order_failed']);
export class LiveHub extends EventEmitter {
    services;
    nowUs;
    transports;
    history = [];
    current = null;
    driver = null;
    injector = null;
    tail = null;
    measureFromUs = 0;
    latencies = [];
    ended = 0;
    errors = 0;
    backlog = null;
    orders = new Map();
    timer;
    lastMessage = null;
    finalHtml = null;
    /** sentences shown above the charts (bench demo) */
    story = [];
    /** set by a guided demo while it waits between steps */
    waitingForNext = false;
    constructor(names, services, nowUs = () => Date.now() * 1000) {
        super();
        this.services = services;
        this.nowUs = nowUs;
        this.transports = names.map((name) => ({ name, phase: 'waiting', counts: null, inFlight: 0, faults: [] }));
    }
    /** Starts the once-a-second message; `stop()` ends it. */
    start() {
        this.timer = setInterval(() => this.second(), 1000);
        this.timer.unref();
    }
    stop() {
        clearInterval(this.timer);
    }
    /** A transport (or one step of it) is starting; its services will log into `eventsDir`. */
    transportStarting(name, eventsDir) {
        if (this.current && this.current.phase !== 'done')
            this.current.phase = 'done';
        this.current = this.transports.find((t) => t.name === name && t.phase === 'waiting') ?? this.addView(name);
        this.current.phase = 'starting';
        this.tail = new EventTail(eventsDir);
        this.measureFromUs = 0;
        this.orders.clear();
        this.backlog = null;
        this.injector = null;
    }
    addView(name) {
        const view = { name, phase: 'waiting', counts: null, inFlight: 0, faults: [] };
        this.transports.push(view);
        return view;
    }
    attachDriver(driver) {
        const view = this.current;
        if (!view)
            return;
        this.driver = driver;
        driver.once('start', (measureFromUs) => {
            this.measureFromUs = measureFromUs;
            view.phase = 'warm-up';
        });
        driver.on('tick', (s) => {
            view.counts = s.counts;
            view.inFlight = s.inFlight;
            if (view.phase === 'warm-up' && this.nowUs() >= this.measureFromUs)
                view.phase = 'measuring';
        });
        driver.on('order', (_order, o) => {
            if (o.outcome === 'completed' || o.outcome === 'failed') {
                this.ended++;
                this.latencies.push((o.endedAtUs - _order.intendedAtUs) / 1000);
            }
            else
                this.errors++;
        });
        driver.once('done', () => {
            view.phase = 'checking';
            this.driver = null;
        });
    }
    attachInjector(injector) {
        this.injector = injector;
        if (this.current)
            this.current.faults = injector.events;
    }
    backlogSample(points) {
        this.backlog = points.reduce((n, p) => n + p.depth, 0);
    }
    /** Injects a fault on the running transport, recorded like a scenario's. */
    async inject(fault) {
        if (!this.injector || !this.driver || !this.current || this.measureFromUs === 0)
            throw new Error('no transport is running right now');
        if (!this.services.includes(fault.target))
            throw new Error(`unknown service "${fault.target}" (expected ${this.services.join(', ')})`);
        return this.injector.inject({ action: fault.action, target: fault.target, duration: fault.durationMs, ...(fault.action === 'delay' ? { delay: fault.delayMs ?? 200 } : {}) });
    }
    /** The run is over: every view done, the report sent to every page. */
    finish(html) {
        for (const t of this.transports)
            if (t.phase !== 'waiting')
                t.phase = 'done';
        this.finalHtml = html;
        this.second();
        this.emit('final', html);
    }
    /** Sends a message now (after the story or the waiting state changed). */
    refresh() {
        this.second();
    }
    snapshot() {
        return this.lastMessage;
    }
    second() {
        const view = this.current;
        let point = null;
        if (view && this.measureFromUs > 0 && (view.phase === 'warm-up' || view.phase === 'measuring')) {
            const sorted = this.latencies.sort((a, b) => a - b);
            const at = (q) => (sorted.length ? round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]) : null);
            point = { transport: view.name, t: Math.round((this.nowUs() - this.measureFromUs) / 1e6), p50: at(0.5), p99: at(0.99), ended: this.ended, errors: this.errors, backlog: this.backlog };
            this.history.push(point);
        }
        this.latencies = [];
        this.ended = 0;
        this.errors = 0;
        if (this.tail)
            for (const r of this.tail.read())
                this.record(r);
        const msg = {
            type: 'second',
            at: new Date().toISOString(),
            current: view?.name ?? null,
            transports: this.transports,
            point,
            orders: this.lane(),
            services: this.services,
            // faults are timed from the measured window's start, known once the driver started
            canInject: this.injector !== null && this.driver !== null && this.measureFromUs > 0,
            story: this.story,
            waitingForNext: this.waitingForNext,
        };
        this.lastMessage = msg;
        this.emit('second', msg);
    }
    record(r) {
        if (r.role !== 'emitted')
            return;
        const o = this.orders.get(r.orderId) ?? { customer: r.customerId, events: [] };
        o.events.push(r);
        this.orders.set(r.orderId, o);
        // keep the most recent orders only
        if (this.orders.size > LANE_ORDERS * 4)
            this.orders.delete(this.orders.keys().next().value);
    }
    lane() {
        return [...this.orders.entries()].slice(-LANE_ORDERS).map(([id, o]) => {
            const events = [...o.events].sort((a, b) => a.atUs - b.atUs);
            const first = events[0]?.atUs ?? 0;
            const types = new Set(events.map((e) => e.type));
            const outcome = types.has('order_completed') ? 'completed' : [...types].some((t) => COMPENSATION.has(t)) ? 'compensated' : 'in progress';
            return { id, customer: o.customer, outcome, events: events.map((e) => ({ s: e.service, e: e.type, ms: round((e.atUs - first) / 1000) })) };
        });
    }
}
const round = (n) => Math.round(n * 100) / 100;
//# sourceMappingURL=hub.js.map