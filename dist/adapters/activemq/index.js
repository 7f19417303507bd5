/**
 * ActiveMQ Classic over STOMP (stompit). One queue per channel (`/queue/<prefix>.<channel>`);
 * persistent SENDs that resolve on their RECEIPT; message groups (JMSXGroupID = customer id)
 * so the broker pins each customer to one consumer; client-individual acks after the handler.
 * README.md beside this file states every setting and what it costs.
 */
import { BenchError } from '../../src/contract/errors.js';
import { describePolicy, GaveUpNotice, HANDLER_RETRY } from '../../src/contract/retry.js';
import { drainQueues, queueStats, waitGone } from './admin.js';
import { ChannelConsumer } from './consumer.js';
import { ALL_CHANNELS, deadLetterQueueName, destinationOf, queueName } from './names.js';
import { StompSession, stompitVersion } from './stomp.js';
/** The SEND headers of one event: persistent, grouped by customer, receipted by the session. */
export function sendHeaders(prefix, channel, event) {
    return {
        destination: destinationOf(prefix, channel),
        persistent: 'true',
        JMSXGroupID: event.customerId,
        'content-type': 'application/json',
        'event-id': event.eventId,
    };
}
class ActivemqConnection {
    session;
    spec;
    prefetch;
    consumers = new Set();
    gaveUp = new GaveUpNotice();
    constructor(session, spec, prefetch) {
        this.session = session;
        this.spec = spec;
        this.prefetch = prefetch;
        session.onFailure((err) => this.gaveUp.give(err));
    }
    onGaveUp(listener) {
        this.gaveUp.listen(listener);
    }
    publish(channel, event) {
        return this.session.send(sendHeaders(this.spec.prefix, channel, event), JSON.stringify(event));
    }
    async subscribe(channel, _member, handler) {
        const consumer = new ChannelConsumer(this.session, handler, {
            channel,
            destination: destinationOf(this.spec.prefix, channel),
            prefetch: this.prefetch,
            onGaveUp: (err) => this.gaveUp.give(err),
        });
        consumer.start();
        this.consumers.add(consumer);
        return {
            close: async () => {
                this.consumers.delete(consumer);
                await consumer.close();
            },
        };
    }
    async close() {
        await Promise.all([...this.consumers].map((c) => c.close()));
        this.consumers.clear();
        await this.session.close();
    }
}
export function createAdapter(options = {}) {
    const connectTimeoutMs = options.connectTimeoutMs ?? 5000;
    const gcWaitMs = options.gcWaitMs ?? 15_000;
    const open = (endpoints, timeoutMs = connectTimeoutMs) => StompSession.open(endpoints.activemq.host, endpoints.activemq.port, timeoutMs);
    async function withSession(spec, work) {
        const session = await open(spec.endpoints);
        try {
            return await work(session);
        }
        finally {
            await session.close();
        }
    }
    /** Empties the named queues, then waits for the broker to drop them; returns the names still there. */
    async function remove(session, names) {
        if (names.length === 0)
            return [];
        const existing = (await queueStats(session, '>')).filter((q) => names.includes(q.name));
        await drainQueues(session, existing.filter((q) => q.size > 0).map((q) => q.name));
        return waitGone(session, existing.map((q) => q.name), gcWaitMs);
    }
    const runQueues = (prefix) => ALL_CHANNELS.flatMap((c) => [queueName(prefix, c), deadLetterQueueName(queueName(prefix, c))]);
    return {
        name: 'activemq',
        async describe(spec) {
            const { host, port } = spec.endpoints.activemq;
            const description = {
                name: 'activemq',
                clients: [{ name: 'stompit', version: stompitVersion() }],
                delivery: {
                    protocol: 'STOMP 1.2',
                    persistent: true,
                    receiptPerSend: true,
                    ack: 'client-individual',
                    ackAfterHandler: true,
                    prefetch: spec.settings.prefetch,
                    messageGroups: 'JMSXGroupID=customerId',
                    perCustomerSerial: true,
                    failedHandler: 'local retry, redelivered=true, no NACK',
                    'retry.handler': `${describePolicy(HANDLER_RETRY)}; then the connection gives up`,
                    'retry.broker': 'none: a lost connection gives up at once',
                    redeliveryOnConsumerLoss: 'broker, to another group member',
                    tcpNoDelay: true,
                    heartBeats: '0,0',
                },
                address: `${host}:${port}`,
            };
            try {
                const session = await open(spec.endpoints, 1500);
                const server = session.server?.split('/');
                await session.close();
                if (server?.[0])
                    description.server = { name: server[0], version: server[1] ?? 'unknown' };
            }
            catch {
                /* unreachable: described without a server */
            }
            return description;
        },
        async provision(spec) {
            await withSession(spec, async (session) => {
                // a consumer makes ActiveMQ create the queue; the statistics query proves backlog() will work
                for (const channel of ALL_CHANNELS) {
                    const sub = session.subscribe({ destination: destinationOf(spec.prefix, channel), ack: 'client-individual', 'activemq.prefetchSize': '1' }, () => undefined);
                    await sub.unsubscribe();
                }
                await queueStats(session, `${spec.prefix}.>`);
            });
        },
        async deprovision(spec) {
            await withSession(spec, async (session) => {
                const left = await remove(session, runQueues(spec.prefix));
                if (left.length > 0) {
                    throw new BenchError('TRANSPORT', `activemq at ${session.address}: ${left.join(', ')} emptied but still present after ${gcWaitMs} ms ` +
                        '(STOMP cannot delete queues; the broker needs gcInactiveDestinations, or a consumer is still attached)');
                }
            });
        },
        async cleanupStale(spec, prefixStem, onLeft) {
            return withSession(spec, async (session) => {
                const mine = (n) => n.startsWith(`${spec.prefix}.`) || n.startsWith(`DLQ.${spec.prefix}.`);
                const stale = (await queueStats(session, '>'))
                    .filter((q) => (q.name.startsWith(prefixStem) || q.name.startsWith(`DLQ.${prefixStem}`)) && !mine(q.name))
                    // a queue with a consumer belongs to a run that is still going
                    .filter((q) => {
                    if (q.consumers > 0)
                        onLeft?.(q.name, `${q.consumers} consumer(s) attached: a run still going`);
                    return q.consumers === 0;
                })
                    .map((q) => q.name);
                const left = new Set(await remove(session, stale));
                return stale.filter((n) => !left.has(n));
            });
        },
        async connect(spec, _clientId) {
            const session = await open(spec.endpoints);
            return new ActivemqConnection(session, spec, spec.settings.prefetch);
        },
        async backlog(spec) {
            return withSession(spec, async (session) => {
                const sizes = new Map((await queueStats(session, `${spec.prefix}.>`)).map((q) => [q.name, q.size]));
                return ALL_CHANNELS.map((channel) => {
                    const name = queueName(spec.prefix, channel);
                    return { channel, name, depth: sizes.get(name) ?? 0 };
                });
            });
        },
        async ping(endpoints) {
            try {
                const session = await open(endpoints, 1000);
                await session.close(500);
                return true;
            }
            catch {
                return false;
            }
        },
    };
}
export default createAdapter;
//# sourceMappingURL=index.js.map