/**
 * What STOMP cannot do by itself, done through ActiveMQ's statistics plugin
 * (`<statisticsBrokerPlugin/>`): a message sent to `ActiveMQ.Statistics.Destination.<pattern>`
 * with a `reply-to` makes the broker answer with one map message per matching queue;
 * `transformation: jms-map-json` turns each into JSON (the broker needs xstream and jettison
 * on its classpath for that).
 *
 * STOMP can neither purge nor delete a queue. Removing one is therefore: consume what is
 * left in it (auto ack), close the consumer, and let the broker's inactive-destination GC
 * (`gcInactiveDestinations`) drop the empty, unused queue; `waitGone` watches for that.
 */
import { randomBytes } from 'node:crypto';
import { BenchError } from '../../src/contract/errors.js';
import { withDeadline } from './stomp.js';
const STATS_PREFIX = '/queue/ActiveMQ.Statistics.Destination.';
const BROKER_STATS = '/queue/ActiveMQ.Statistics.Broker';
/** Decodes jms-map-json: `{"map":{"entry":[{"string":"size","long":3},{"string":["destinationName","queue://x"]}]}}`. */
export function parseMapJson(body) {
    const parsed = JSON.parse(body);
    const raw = parsed.map?.entry ?? [];
    const entries = Array.isArray(raw) ? raw : [raw];
    const out = {};
    for (const e of entries) {
        if (Array.isArray(e.string)) {
            out[e.string[0]] = e.string[1];
            continue;
        }
        const key = e.string;
        const valueKey = Object.keys(e).find((k) => k !== 'string');
        if (valueKey !== undefined)
            out[key] = Number(e[valueKey]);
    }
    return out;
}
/**
 * Statistics of every queue whose name matches an ActiveMQ wildcard (`.`-separated,
 * `*` one element, `>` the rest). Ends with a broker-statistics query on the same reply
 * queue: its answer comes last, so every destination reply has arrived by then.
 */
export async function queueStats(session, pattern, timeoutMs = 5000) {
    const replyTo = `/temp-queue/bench-stats-${randomBytes(4).toString('hex')}`;
    const found = [];
    let done;
    let failed;
    const complete = new Promise((resolve, reject) => {
        done = resolve;
        failed = reject;
    });
    const onReply = (m) => {
        try {
            const map = parseMapJson(m.body);
            const dest = map.destinationName;
            if (typeof dest !== 'string')
                return done();
            if (!dest.startsWith('queue://'))
                return;
            found.push({
                name: dest.slice('queue://'.length),
                size: Number(map.size ?? 0),
                inflight: Number(map.inflightCount ?? 0),
                consumers: Number(map.consumerCount ?? 0),
            });
        }
        catch (err) {
            failed(new BenchError('TRANSPORT', `activemq at ${session.address}: unreadable statistics reply (${String(err)}); is the broker's statisticsBrokerPlugin on, with xstream and jettison on its classpath?`, { cause: err }));
        }
    };
    const stopWatching = session.onFailure(failed);
    const sub = session.subscribe({ destination: replyTo, ack: 'auto', transformation: 'jms-map-json' }, onReply);
    try {
        await session.send({ destination: `${STATS_PREFIX}${pattern}`, 'reply-to': replyTo }, '');
        await session.send({ destination: BROKER_STATS, 'reply-to': replyTo }, '');
        await withDeadline(complete, timeoutMs, `activemq at ${session.address}: statistics query (is statisticsBrokerPlugin enabled?)`);
    }
    finally {
        stopWatching();
        await sub.unsubscribe().catch(() => undefined);
    }
    return found;
}
/** Consumes and discards everything left in the named queues (auto ack) until each reports size 0. */
export async function drainQueues(session, names, timeoutMs = 30_000) {
    if (names.length === 0)
        return;
    const subs = names.map((n) => session.subscribe({ destination: `/queue/${n}`, ack: 'auto', 'activemq.prefetchSize': '1000' }, () => undefined));
    try {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
            const left = (await Promise.all(names.map((n) => queueStats(session, n)))).flat().filter((q) => q.size > 0);
            if (left.length === 0)
                return;
            if (Date.now() > deadline) {
                throw new BenchError('TRANSPORT', `activemq at ${session.address}: could not empty ${left.map((q) => `${q.name} (${q.size} left)`).join(', ')} within ${timeoutMs} ms`);
            }
            await pause(100);
        }
    }
    finally {
        await Promise.all(subs.map((s) => s.unsubscribe().catch(() => undefined)));
    }
}
/** Waits until none of the named queues exists any more; returns the ones still there at the deadline. */
export async function waitGone(session, names, timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    let left = names;
    for (;;) {
        const existing = new Set((await queueStats(session, '>')).map((q) => q.name));
        left = names.filter((n) => existing.has(n));
        if (left.length === 0 || Date.now() > deadline)
            return left;
        await pause(250);
    }
}
function pause(ms) {
    return new Promise((r) => setTimeout(r, ms));
}
//# sourceMappingURL=admin.js.map