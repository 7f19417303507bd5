import { EVENT_TYPES, SERVICE_NAMES } from '../contract/events.js';
import { seqOf } from '../workflow/state-machine.js';
/**
 * The event log's line format (docs/result-schema.md, "Event logs"): one line per
 * handling — an order request, an event handled, or a compensation — with the events
 * it emitted, instead of one JSON object per record. What every record of a handling
 * shares (order, customer, intended start) is written once, times are microseconds
 * after the order's intended start, and what the workflow determines (event ids,
 * sequence numbers, the emitting service) is left out. About 0.65 KB per order over
 * the four services' logs, where one JSON object per record took 5.2 KB.
 *
 *   #bench-events 1 service=payment instance=0 baseUs=1718000000000000
 *   o0000123 c0012 3 41250000 inventory_initiated 2210 3410 payment_charged payment_initiated 3500 payment_completed 3520
 *
 * A handling the compact form cannot say exactly (an unusual event id, times that are
 * not whole microseconds) is written as one JSON object per record instead; readers
 * take both, so logs written before this format still read.
 */
export const LOG_MAGIC = '#bench-events';
const TYPES = new Set(EVENT_TYPES);
const SERVICES = new Set(SERVICE_NAMES);
/**
 * Tokens read from a line are slices of the chunk they were read in, and would keep the
 * whole chunk alive as long as a record's field is kept: the reader hands out these
 * constants instead.
 */
const TYPE_OF = new Map(EVENT_TYPES.map((t) => [t, t]));
const SERVICE_OF = new Map(SERVICE_NAMES.map((s) => [s, s]));
const internedEffects = new Map();
const effectOf = (token) => {
    let e = internedEffects.get(token);
    if (e === undefined) {
        // a copy of the token, not a slice of the line
        e = (' ' + token).slice(1);
        if (internedEffects.size < 64)
            internedEffects.set(e, e);
    }
    return e;
};
/** The header a writer puts before its lines: they are relative to `baseUs`. */
export function headerLine(service, instance, baseUs) {
    return `${LOG_MAGIC} 1 service=${service} instance=${instance} baseUs=${baseUs}`;
}
/** The service whose name prefixes an event type (`payment_failed` → `payment`). */
function ownerOf(type) {
    return type.slice(0, type.indexOf('_'));
}
const whole = (n) => Number.isSafeInteger(n);
/**
 * One handling's records as a line (without the newline), or undefined when the
 * compact form cannot hold them exactly. `records` are what one call of the service
 * wrote: the handled event (if any) first, then what it emitted, all of one order.
 */
export function encodeHandling(records, baseUs) {
    const first = records[0];
    if (!first)
        return undefined;
    const { orderId, customerId, customerSeq, intendedAtUs, service, instance } = first;
    if (!whole(intendedAtUs) || !whole(customerSeq) || !orderId || !customerId || /\s/.test(orderId + customerId) || /^[#{]/.test(orderId))
        return undefined;
    for (const r of records) {
        if (r.orderId !== orderId || r.customerId !== customerId || r.customerSeq !== customerSeq || r.intendedAtUs !== intendedAtUs)
            return undefined;
        if (r.service !== service || r.instance !== instance || !TYPES.has(r.type) || r.seq !== seqOf(r.type) || r.eventId !== `${orderId}:${r.type}`)
            return undefined;
        if (!whole(r.emittedAtUs) || !whole(r.atUs))
            return undefined;
    }
    const parts = [orderId, customerId, customerSeq, intendedAtUs - baseUs];
    let emitted = records;
    let cause;
    if (first.role === 'handled') {
        if (first.cause !== undefined || (first.duplicate && first.effect !== undefined))
            return undefined;
        if (first.effect !== undefined && (!first.effect || /\s/.test(first.effect) || first.effect === 'dup' || first.effect === '-'))
            return undefined;
        const by = first.emittedBy === ownerOf(first.type) ? '' : `/${first.emittedBy}`;
        parts.push(first.type + by, first.emittedAtUs - intendedAtUs, first.atUs - intendedAtUs, first.duplicate ? 'dup' : (first.effect ?? '-'));
        cause = first.eventId;
        emitted = records.slice(1);
    }
    else {
        cause = first.cause ?? '';
        if (cause === `request:${orderId}`)
            parts.push('request');
        else if (cause.startsWith(`compensate:${orderId}:`) && TYPES.has(cause.slice(`compensate:${orderId}:`.length))) {
            parts.push(`compensate:${cause.slice(`compensate:${orderId}:`.length)}`);
        }
        else
            return undefined;
    }
    for (const r of emitted) {
        if (r.role !== 'emitted' || r.cause !== cause || r.emittedBy !== service || r.atUs !== r.emittedAtUs || r.duplicate !== undefined || r.effect !== undefined)
            return undefined;
        parts.push(r.type, r.emittedAtUs - intendedAtUs);
    }
    return parts.join(' ');
}
/** A token as a string of its own (short ones are copies already; a long one would be a slice of the line). */
const copy = (token) => (token === undefined || token.length < 13 ? token : (' ' + token).slice(1));
/** The context a header line sets, or undefined when the line is not a header. */
export function parseHeader(line) {
    if (!line.startsWith(LOG_MAGIC))
        return undefined;
    const ctx = {};
    for (const token of line.split(' ').slice(2)) {
        const [key, value = ''] = token.split('=');
        if (key === 'service' && SERVICES.has(value))
            ctx.service = value;
        else if (key === 'instance' && /^\d+$/.test(value))
            ctx.instance = Number(value);
        else if (key === 'baseUs' && /^-?\d+$/.test(value))
            ctx.baseUs = Number(value);
    }
    return ctx;
}
/** A whole number token (digits, maybe a leading `-`), or undefined. */
const int = (s) => {
    if (!s)
        return undefined;
    const neg = s.charCodeAt(0) === 45;
    let n = 0;
    for (let k = neg ? 1 : 0; k < s.length; k++) {
        const d = s.charCodeAt(k) - 48;
        if (d < 0 || d > 9)
            return undefined;
        n = n * 10 + d;
    }
    return (neg && s.length === 1) || !Number.isSafeInteger(n) ? undefined : neg ? -n : n;
};
/**
 * The records of one line (a compact handling or one JSON record), or undefined when
 * the line is not one (a header, a torn or foreign line). `ctx` comes from the file.
 */
export function decodeLine(line, ctx) {
    if (line.startsWith('{')) {
        try {
            const r = JSON.parse(line);
            return r && typeof r === 'object' && typeof r.orderId === 'string' ? [r] : undefined;
        }
        catch {
            return undefined;
        }
    }
    if (line.startsWith('#'))
        return undefined;
    const t = line.split(' ');
    const orderId = copy(t[0]);
    const customerId = copy(t[1]);
    const customerSeq = int(t[2]);
    const relIntended = int(t[3]);
    const what = t[4];
    if (!orderId || !customerId || customerSeq === undefined || relIntended === undefined || !what)
        return undefined;
    const intendedAtUs = ctx.baseUs + relIntended;
    const { service, instance } = ctx;
    const out = [];
    let cause;
    let i = 5;
    if (what === 'request')
        cause = `request:${orderId}`;
    else if (what.startsWith('compensate:')) {
        const type = what.slice('compensate:'.length);
        if (!TYPES.has(type))
            return undefined;
        cause = `compensate:${orderId}:${type}`;
    }
    else {
        const [typeName = '', byName] = what.split('/');
        const emittedRel = int(t[5]);
        const atRel = int(t[6]);
        const outcome = t[7];
        const type = TYPE_OF.get(typeName);
        const by = byName === undefined ? undefined : SERVICE_OF.get(byName);
        if (!type || (byName !== undefined && !by) || emittedRel === undefined || atRel === undefined || !outcome)
            return undefined;
        const handled = {
            eventId: `${orderId}:${type}`,
            orderId,
            customerId,
            customerSeq,
            intendedAtUs,
            service,
            instance,
            type,
            seq: seqOf(type),
            emittedAtUs: intendedAtUs + emittedRel,
            emittedBy: by ?? ownerOf(type),
            role: 'handled',
            atUs: intendedAtUs + atRel,
        };
        if (outcome === 'dup')
            handled.duplicate = true;
        else if (outcome !== '-')
            handled.effect = effectOf(outcome);
        out.push(handled);
        cause = handled.eventId;
        i = 8;
    }
    if ((t.length - i) % 2 !== 0)
        return undefined;
    for (; i < t.length; i += 2) {
        const type = TYPE_OF.get(t[i]);
        const rel = int(t[i + 1]);
        if (!type || rel === undefined)
            return undefined;
        const atUs = intendedAtUs + rel;
        out.push({
            eventId: `${orderId}:${type}`,
            orderId,
            customerId,
            customerSeq,
            intendedAtUs,
            service,
            instance,
            type,
            seq: seqOf(type),
            emittedAtUs: atUs,
            emittedBy: service,
            role: 'emitted',
            atUs,
            cause,
        });
    }
    return out;
}
/** The latest time a line's records carry (its write time, epoch µs): lines of one file never go back in it. */
export function lineTimeUs(records) {
    let t = -Infinity;
    for (const r of records)
        if (r.atUs > t)
            t = r.atUs;
    return t;
}
//# sourceMappingURL=event-line.js.map