import { EVENT_TYPES, SERVICE_NAMES } from '../contract/events.js';
import { isTerminal, seqOf } from '../workflow/state-machine.js';
const TYPES = EVENT_TYPES;
const NT = TYPES.length;
const EFFECTS = ['stock_reserved', 'payment_declined', 'payment_charged', 'stock_locked', 'stock_released', 'shipment_created', 'order_completed', 'order_failed'];
const CHARGED = EFFECTS.indexOf('payment_charged');
/** per slot: intended start, latest line time, then the earliest emission time of each event type (NaN: none) */
const F = 2 + NT;
/** per slot: deliveries (two words: bit service × 12 + type), effects (bit service × 8 + effect), flags, invalid count */
const U = 5;
const QUEUED = 1;
const COUNTED = 2;
const COMPENSATION = 4;
/**
 * The orders the checker is reading, in typed arrays indexed by slot, a slot reused
 * once its order is let go: thousands are held at once and tens of thousands pass
 * through a second, and one object per order and per emission would be promoted by
 * V8 and linger as garbage until a full collection, growing the heap with the log.
 */
export class OpenOrders {
    cap = 1024;
    f64 = new Float64Array(this.cap * F);
    u32 = new Uint32Array(this.cap * U);
    /** the emitting service of each event type's earliest emission (service index + 1) */
    by = new Uint8Array(this.cap * NT);
    gen = new Uint32Array(this.cap);
    ids = [];
    free = [];
    slots = new Map();
    odd = new Map();
    get size() {
        return this.slots.size;
    }
    slotOf(orderId) {
        return this.slots.get(orderId);
    }
    /** The open orders' ids, in the order they were first read. */
    orderIds() {
        return this.slots.keys();
    }
    create(orderId, intendedAtUs, lastUs) {
        let s = this.free.pop();
        if (s === undefined) {
            s = this.ids.length;
            if (s >= this.cap)
                this.grow();
        }
        this.ids[s] = orderId;
        this.slots.set(orderId, s);
        this.f64.fill(Number.NaN, s * F, (s + 1) * F);
        this.f64[s * F] = intendedAtUs;
        this.f64[s * F + 1] = lastUs;
        this.u32.fill(0, s * U, (s + 1) * U);
        this.by.fill(0, s * NT, (s + 1) * NT);
        return s;
    }
    release(s) {
        const id = this.ids[s];
        if (id !== undefined)
            this.slots.delete(id);
        this.ids[s] = undefined;
        this.odd.delete(s);
        this.gen[s]++;
        this.free.push(s);
    }
    /** Changes whenever the slot is let go, so a stale reference to it can be told. */
    generation(s) {
        return this.gen[s];
    }
    id(s) {
        return this.ids[s];
    }
    intendedAtUs(s) {
        return this.f64[s * F];
    }
    lastUs(s) {
        return this.f64[s * F + 1];
    }
    touch(s, lineUs) {
        if (lineUs > this.f64[s * F + 1])
            this.f64[s * F + 1] = lineUs;
    }
    queued(s) {
        return (this.u32[s * U + 3] & QUEUED) !== 0;
    }
    setQueued(s, on) {
        this.u32[s * U + 3] = on ? this.u32[s * U + 3] | QUEUED : this.u32[s * U + 3] & ~QUEUED;
    }
    /** What an earlier judgement of the order counted, if it was judged before. */
    counted(s) {
        const flags = this.u32[s * U + 3];
        return flags & COUNTED ? { invalid: this.u32[s * U + 4], compensation: (flags & COMPENSATION) !== 0 } : undefined;
    }
    setCounted(s, invalid, compensation) {
        this.u32[s * U + 3] = (this.u32[s * U + 3] & QUEUED) | COUNTED | (compensation ? COMPENSATION : 0);
        this.u32[s * U + 4] = invalid;
    }
    /** Records an emission; the earliest of an event id stands for it. */
    emit(s, type, emittedAtUs, emittedBy, eventId) {
        const t = TYPES.indexOf(type);
        const b = SERVICE_NAMES.indexOf(emittedBy);
        if (eventId === `${this.ids[s]}:${type}` && t >= 0 && b >= 0) {
            const at = this.f64[s * F + 2 + t];
            if (Number.isNaN(at) || emittedAtUs < at) {
                this.f64[s * F + 2 + t] = emittedAtUs;
                this.by[s * NT + t] = b + 1;
            }
            return;
        }
        const odd = this.oddOf(s);
        const k = odd.emissions.findIndex((e) => e.eventId === eventId);
        if (k < 0 || emittedAtUs < odd.emissions[k].emittedAtUs) {
            const e = { eventId, type, seq: seqOf(type), emittedAtUs, emittedBy };
            if (k < 0)
                odd.emissions.push(e);
            else
                odd.emissions[k] = e;
        }
    }
    /** Records a delivery; false when the event had been delivered to that service before (a duplicate). */
    deliver(s, service, type, eventId) {
        const si = SERVICE_NAMES.indexOf(service);
        const ti = TYPES.indexOf(type);
        if (eventId !== `${this.ids[s]}:${type}` || si < 0 || ti < 0)
            return this.addOdd(s, `${service}|id:${eventId}`);
        const bit = si * NT + ti;
        const w = s * U + (bit < 32 ? 0 : 1);
        const m = (1 << bit % 32) >>> 0;
        if ((this.u32[w] & m) !== 0)
            return false;
        this.u32[w] = this.u32[w] | m;
        return true;
    }
    /** Records a side effect; false when the service had applied it before (a duplicate effect). */
    effect(s, service, effect) {
        const si = SERVICE_NAMES.indexOf(service);
        const ei = EFFECTS.indexOf(effect);
        if (si < 0 || ei < 0)
            return this.addOdd(s, `${service}|${effect}`);
        const m = (1 << (si * EFFECTS.length + ei)) >>> 0;
        if ((this.u32[s * U + 2] & m) !== 0)
            return false;
        this.u32[s * U + 2] = this.u32[s * U + 2] | m;
        return true;
    }
    /** Whether a payment was charged for the order (by any service). */
    charged(s) {
        for (let si = 0; si < SERVICE_NAMES.length; si++)
            if (this.u32[s * U + 2] & (1 << (si * EFFECTS.length + CHARGED)))
                return true;
        for (const k of this.odd.get(s)?.keys ?? [])
            if (k.endsWith('|payment_charged'))
                return true;
        return false;
    }
    /** The order's emissions (a new list, in no particular order). */
    emissions(s) {
        const out = [];
        for (let t = 0; t < NT; t++) {
            const at = this.f64[s * F + 2 + t];
            if (Number.isNaN(at))
                continue;
            const type = TYPES[t];
            out.push({ type, seq: seqOf(type), emittedAtUs: at, emittedBy: SERVICE_NAMES[this.by[s * NT + t] - 1] });
        }
        const odd = this.odd.get(s);
        if (odd)
            out.push(...odd.emissions);
        return out;
    }
    terminal(s) {
        for (let t = 0; t < NT; t++)
            if (isTerminal(TYPES[t]) && !Number.isNaN(this.f64[s * F + 2 + t]))
                return true;
        return this.odd.get(s)?.emissions.some((e) => isTerminal(e.type)) ?? false;
    }
    /** Some service other than the order service handled or emitted an event of the order (it got beyond its entry). */
    beyondOrderService(s) {
        const order = SERVICE_NAMES.indexOf('order');
        for (let t = 0; t < NT; t++) {
            const b = this.by[s * NT + t];
            if (b !== 0 && b - 1 !== order)
                return true;
        }
        for (let bit = 0; bit < SERVICE_NAMES.length * NT; bit++) {
            if (Math.floor(bit / NT) === order)
                continue;
            if ((this.u32[s * U + (bit < 32 ? 0 : 1)] & ((1 << bit % 32) >>> 0)) !== 0)
                return true;
        }
        return this.odd.has(s);
    }
    started(s) {
        if (!Number.isNaN(this.f64[s * F + 2 + TYPES.indexOf('order_initiated')]))
            return true;
        return this.odd.get(s)?.emissions.some((e) => e.type === 'order_initiated') ?? false;
    }
    /** The order as a let-go order keeps it (`sequence` in the order judged); `odd` when it has unusual keys. */
    summary(s, sequence) {
        const c = this.counted(s) ?? { invalid: 0, compensation: false };
        const summary = {
            sequence,
            deliveredLo: this.u32[s * U] | 0,
            deliveredHi: this.u32[s * U + 1] | 0,
            effectBits: this.u32[s * U + 2] | 0,
            invalid: c.invalid,
            compensation: c.compensation,
        };
        const odd = this.odd.get(s);
        if (odd && (odd.keys.size > 0 || odd.emissions.length > 0))
            summary.odd = odd.keys;
        return summary;
    }
    /**
     * A let-go order read again (a late record). Its emissions are the ones given (an
     * order kept whole) or, from a summary, keep their order before any real time.
     */
    reopen(orderId, summary, lineUs, emissions) {
        const s = this.create(orderId, Number.NaN, lineUs);
        if (emissions)
            for (const e of emissions)
                this.emit(s, e.type, e.emittedAtUs, e.emittedBy, e.eventId ?? `${orderId}:${e.type}`);
        else
            summary.sequence.forEach(({ type, emittedBy }, k) => this.emit(s, type, Number.MIN_SAFE_INTEGER + k, emittedBy, `${orderId}:${type}`));
        this.u32[s * U] = summary.deliveredLo;
        this.u32[s * U + 1] = summary.deliveredHi;
        this.u32[s * U + 2] = summary.effectBits;
        if (summary.odd)
            this.oddOf(s).keys = new Set(summary.odd);
        this.setCounted(s, summary.invalid, summary.compensation);
        return s;
    }
    oddOf(s) {
        let o = this.odd.get(s);
        if (!o)
            this.odd.set(s, (o = { emissions: [], keys: new Set() }));
        return o;
    }
    addOdd(s, key) {
        const keys = this.oddOf(s).keys;
        if (keys.has(key))
            return false;
        keys.add(key);
        return true;
    }
    grow() {
        this.cap *= 2;
        const f64 = new Float64Array(this.cap * F);
        f64.set(this.f64);
        this.f64 = f64;
        const u32 = new Uint32Array(this.cap * U);
        u32.set(this.u32);
        this.u32 = u32;
        const by = new Uint8Array(this.cap * NT);
        by.set(this.by);
        this.by = by;
        const gen = new Uint32Array(this.cap);
        gen.set(this.gen);
        this.gen = gen;
    }
}
//# sourceMappingURL=open-orders.js.map