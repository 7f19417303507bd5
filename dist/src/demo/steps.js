import { displayName, num } from '../findings/words.js';
const fig = (t, k) => (typeof t.figures[k] === 'number' ? t.figures[k] : undefined);
const dn = (t) => displayName(t.label ?? t.name);
/** One order as a terminal sequence diagram: `  +12.3 ms  order → inventory  order_created`. */
export function sequenceLines(t) {
    return t.sample.map((e) => `    +${e.atMs.toFixed(1).padStart(7)} ms  ${`${e.from} → ${e.to}`.padEnd(24)} ${e.type}`);
}
export const DEMO_STEPS = [
    {
        name: 'happy-path',
        title: 'One order, nine events — or seven when payment is declined',
        scenario: 'order-payment-failures',
        transports: ['rest', 'kafka'],
        watch: [
            'An order travels order → inventory → payment → shipment. On the happy path that is nine events, from order_initiated to order_completed.',
            'One payment in five is declined: then inventory releases the stock and the order fails — seven events, with compensation.',
            'REST carries it as one orchestrator calling each service; Kafka as services reacting to each other’s events. Watch the lane of recent orders: green completed, orange compensated.',
        ],
        shorten: (s) => {
            s.workload.rate = 10;
            s.workload.duration = 8000;
            s.workload.warmup = 2000;
        },
        told: (r) => r.transports.flatMap((t) => [
            `${dn(t)}: ${num(t.counts.completed)} orders completed, ${num(t.counts.failed)} failed with compensation; one order, step by step:`,
            ...sequenceLines(t),
        ]),
    },
    {
        name: 'sequential',
        title: 'Priya and Neeraj: one customer’s events stay in order',
        scenario: 'sequential-processing',
        transports: ['kafka', 'rabbitmq', 'activemq'],
        watch: [
            'Priya and Neeraj each place orders in bursts of five, and three consumer instances per service compete for the events.',
            'Kafka keeps a customer’s events in order by keying records by customer id (one partition per key); RabbitMQ by hashing customers onto queues with one active consumer; ActiveMQ with message groups.',
            'The checker reads every service’s records afterwards and counts events handled out of order: watch “reordered”.',
        ],
        shorten: (s) => {
            s.workload.duration = 6000;
            s.steps = s.steps.slice(-1);
        },
        told: (r) => r.transports.map((t) => `${dn(t)}: ${num(t.check?.reordered ?? 0)} events out of order, ${num(t.check?.lost ?? 0)} lost, over ${num(t.counts.accepted)} orders.`),
    },
    {
        name: 'payment-outage',
        title: 'Payment goes down: REST answers errors, the broker keeps the orders',
        scenario: 'payment-outage',
        transports: ['rest', 'kafka'],
        watch: [
            'Four seconds into the measured window the payment service is killed, and restarted six seconds later. The shaded band on the charts is the outage.',
            'REST cannot reach payment: the orchestrator compensates and answers errors at once. Kafka keeps accepting orders; payment’s events wait in the broker.',
            'After the restart, watch the backlog drain and the late orders complete — nothing lost, at the cost of latency. Press a kill button yourself to do it again.',
        ],
        shorten: (s) => {
            s.workload.duration = 16000;
            s.workload.drain = 15000;
            s.faults = s.faults.map((f) => ({ ...f, at: 4000, duration: 6000 }));
        },
        told: (r) => r.transports.map((t) => {
            const rate = fig(t, 'errorRateInFaultWindowPct') ?? 0;
            const drained = fig(t, 'restartToBacklogDrainedS');
            return `${dn(t)}: ${num(rate)} % of the orders placed during the outage failed; ${num(t.check?.lost ?? 0)} lost${drained !== undefined ? `; backlog drained ${num(drained)} s after the restart` : ''}.`;
        }),
    },
    {
        name: 'slow-consumer',
        title: 'A slow consumer: REST’s latency climbs, a broker’s backlog absorbs it',
        scenario: 'slow-consumer',
        transports: ['rest', 'kafka'],
        watch: [
            'Shipment now takes 30 ms per event, one at a time, while orders keep arriving at 40 a second — more than it can handle.',
            'With REST every request waits for shipment, so the caller feels it: latency climbs second by second.',
            'With Kafka the order is accepted at once and shipment’s events queue in the broker: the backlog chart grows instead, and the client is not held up.',
        ],
        shorten: (s) => {
            s.workload.duration = 10000;
            s.workload.drain = 20000;
        },
        told: (r) => r.transports.map((t) => `${dn(t)}: accepted in ${num(t.latency.acceptance.p50)} ms (median), finished in ${num(t.latency.endToEnd.p50)} ms median and ${num(t.latency.endToEnd.p99)} ms p99${fig(t, 'peakBacklog') !== undefined ? `; peak backlog ${num(fig(t, 'peakBacklog'))} messages` : ''}.`),
    },
];
//# sourceMappingURL=steps.js.map