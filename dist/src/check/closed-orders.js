import { EVENT_TYPES } from '../contract/events.js';
const TYPES = EVENT_TYPES;
const WORDS = 5;
/** sequence codes: 1..12 an event type emitted by its own service, 13 payment_failed emitted by the order service */
const ORDER_PAYMENT_FAILED = TYPES.length + 1;
/**
 * Orders the checker has judged and let go of: 20 bytes each (in a typed array indexed
 * by the order's number), enough to tell a late record (a redelivery long after the
 * order finished) whether it is a duplicate and to judge the order again with it.
 * Orders that do not fit (unusual event ids, services or effects) are kept whole
 * instead: there are none in a healthy run.
 */
export class ClosedOrders {
    words = new Uint32Array(1024 * WORDS);
    whole = new Map();
    count = 0;
    get size() {
        return this.count;
    }
    has(orderId) {
        const i = indexOf(orderId);
        if (i !== undefined && i * WORDS < this.words.length && this.words[i * WORDS + 1] >>> 31 === 1)
            return true;
        return this.whole.has(orderId);
    }
    /** Keeps the summary if it packs, else the whole order. */
    add(orderId, s, whole) {
        this.count++;
        const packed = pack(s);
        const i = indexOf(orderId);
        if (!packed || i === undefined) {
            this.whole.set(orderId, whole);
            return;
        }
        while ((i + 1) * WORDS > this.words.length) {
            const grown = new Uint32Array(this.words.length * 2);
            grown.set(this.words);
            this.words = grown;
        }
        this.words.set(packed, i * WORDS);
    }
    /** Takes an order back out (a late record reopens it). */
    take(orderId) {
        const w = this.whole.get(orderId);
        if (w !== undefined) {
            this.whole.delete(orderId);
            this.count--;
            return { whole: w };
        }
        const i = indexOf(orderId);
        if (i === undefined || i * WORDS >= this.words.length || this.words[i * WORDS + 1] >>> 31 !== 1)
            return undefined;
        const summary = unpack(this.words.subarray(i * WORDS, (i + 1) * WORDS));
        this.words.fill(0, i * WORDS, (i + 1) * WORDS);
        this.count--;
        return { summary };
    }
}
/** The number in a harness order id (`o0000123` → 123), if it is one. */
function indexOf(orderId) {
    if (orderId.length < 2 || orderId.length > 10 || orderId[0] !== 'o')
        return undefined;
    const n = Number(orderId.slice(1));
    return Number.isInteger(n) && n >= 0 && String(n).padStart(orderId.length - 1, '0') === orderId.slice(1) ? n : undefined;
}
function pack(s) {
    if (s.sequence.length > 12 || s.invalid > 15 || s.odd)
        return undefined;
    let seqLo = 0;
    let seqHi = 0;
    for (let k = 0; k < s.sequence.length; k++) {
        const { type, emittedBy } = s.sequence[k];
        const t = TYPES.indexOf(type);
        let code;
        if (type === 'payment_failed' && emittedBy === 'order')
            code = ORDER_PAYMENT_FAILED;
        else if (t >= 0 && emittedBy === type.slice(0, type.indexOf('_')))
            code = t + 1;
        else
            return undefined;
        if (k < 8)
            seqLo |= code << (4 * k);
        else
            seqHi |= code << (4 * (k - 8));
    }
    seqHi |= (s.sequence.length << 16) | (Number(s.compensation) << 20) | (s.invalid << 21) | (1 << 31);
    // a Uint32Array stores each as its unsigned 32 bits
    return Uint32Array.of(seqLo, seqHi, s.deliveredLo, s.deliveredHi, s.effectBits);
}
function unpack(w) {
    const length = (w[1] >>> 16) & 0xf;
    const sequence = [];
    for (let k = 0; k < length; k++) {
        const code = k < 8 ? (w[0] >>> (4 * k)) & 0xf : (w[1] >>> (4 * (k - 8))) & 0xf;
        if (code === ORDER_PAYMENT_FAILED)
            sequence.push({ type: 'payment_failed', emittedBy: 'order' });
        else {
            const type = TYPES[code - 1];
            sequence.push({ type, emittedBy: type.slice(0, type.indexOf('_')) });
        }
    }
    return {
        sequence,
        deliveredLo: w[2] | 0,
        deliveredHi: w[3] | 0,
        effectBits: w[4] | 0,
        invalid: (w[1] >>> 21) & 0xf,
        compensation: ((w[1] >>> 20) & 1) === 1,
    };
}
//# sourceMappingURL=closed-orders.js.map