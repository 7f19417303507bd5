import { BenchError } from '../../src/contract/errors.js';
import { BROKER_RETRY, describePolicy, GaveUpNotice, HANDLER_RETRY, retry } from '../../src/contract/retry.js';
import { CustomerLanes } from './customer-lanes.js';
import { rabbitError } from './errors.js';
import { exchangeName, preferredShards, queueName, routingKey } from './topology.js';
/** How long a member waits before joining its non-preferred shards as a standby consumer. */
export const STANDBY_DELAY_MS = 2_000;
/** How long closing a subscription waits for handler calls already running. */
const CLOSE_GRACE_MS = 5_000;
/**
 * Kept alive: when the broker drops the connection (a restart), it reconnects under the
 * shared BROKER_RETRY policy, subscriptions consume again on the new connection, and a
 * publish whose confirm never came is published again. When the policy gives up, the
 * connection gives up (`onGaveUp`).
 */
export class RabbitConnection {
    link;
    spec;
    settings;
    sharding;
    address;
    open;
    subscriptions = new Set();
    /** messageIds the broker returned as unroutable; their confirm then rejects the publish */
    returned = new Set();
    drained = null;
    closing = false;
    closed = new AbortController();
    gaveUp = new GaveUpNotice();
    /** set while reconnecting: resolves with the new link */
    reconnecting;
    constructor(link, spec, settings, sharding, address, open) {
        this.link = link;
        this.spec = spec;
        this.settings = settings;
        this.sharding = sharding;
        this.address = address;
        this.open = open;
        this.watch(link);
    }
    watch(link) {
        link.model.on('error', () => { });
        link.publisher.on('error', () => { });
        link.publisher.on('return', (msg) => {
            if (typeof msg.properties.messageId === 'string')
                this.returned.add(msg.properties.messageId);
        });
        link.model.on('close', () => {
            if (this.closing || this.gaveUp.given || this.link !== link)
                return;
            process.stderr.write(`rabbitmq at ${this.address}: connection closed unexpectedly; reconnecting (${describePolicy(BROKER_RETRY)})\n`);
            const t0 = Date.now();
            this.drained = null;
            this.reconnecting = retry(`reconnecting to rabbitmq at ${this.address}`, () => this.open(), { policy: BROKER_RETRY, signal: this.closed.signal }).then(async (next) => {
                if (this.closing) {
                    await next.model.close().catch(() => { });
                    throw new BenchError('TRANSPORT', `rabbitmq at ${this.address}: connection closed`);
                }
                this.link = next;
                this.reconnecting = undefined;
                this.watch(next);
                process.stderr.write(`rabbitmq at ${this.address}: reconnected after ${((Date.now() - t0) / 1000).toFixed(1)} s; consumers consume again\n`);
                for (const sub of this.subscriptions)
                    void sub.rebind().catch((e) => this.gaveUp.give(e));
                return next;
            }, (e) => {
                if (!this.closing)
                    this.gaveUp.give(e);
                throw e;
            });
            this.reconnecting.catch(() => undefined);
        });
    }
    /** The live link, waiting for a reconnection under way. */
    current() {
        return this.reconnecting ?? Promise.resolve(this.link);
    }
    onGaveUp(listener) {
        this.gaveUp.listen(listener);
    }
    publish(channel, event) {
        if (this.closing)
            return Promise.reject(new BenchError('TRANSPORT', `rabbitmq at ${this.address}: publish after close`));
        const exchange = exchangeName(this.spec.prefix, channel);
        return retry(`publishing ${event.eventId} to ${exchange}`, async () => {
            for (;;) {
                const link = await this.current();
                try {
                    return await this.publishOnce(link, exchange, event);
                }
                catch (err) {
                    // the connection died under this publish: publish again on the next one, at once and
                    // in the order the confirms failed (a jittered retry would reorder one customer's events)
                    if ((this.reconnecting || link !== this.link) && !this.closing && !this.gaveUp.given)
                        continue;
                    throw err;
                }
            }
        }, { policy: BROKER_RETRY, signal: this.closed.signal });
    }
    /** One publish on one link; a confirm that fails because the link went away is retriable. */
    async publishOnce(link, exchange, event) {
        // Calls wait for the socket buffer in call order, so one customer's events keep their order.
        while (this.drained)
            await this.drained;
        const key = routingKey(this.sharding, event.customerId, this.settings.shards);
        const body = Buffer.from(JSON.stringify(event));
        const lost = (err) => new BenchError('TRANSPORT', `rabbitmq at ${this.address}: no confirm for ${event.eventId} (${err instanceof Error ? err.message : String(err)})`, { cause: err, retriable: true });
        await new Promise((resolve, reject) => {
            const options = { persistent: true, mandatory: true, contentType: 'application/json', messageId: event.eventId, type: event.type };
            let flushed;
            try {
                flushed = link.publisher.publish(exchange, key, body, options, (err) => {
                    if (err)
                        return reject(lost(err));
                    if (this.returned.delete(event.eventId)) {
                        return reject(new BenchError('TRANSPORT', `rabbitmq at ${this.address}: ${exchange} routed ${event.eventId} to no queue (not provisioned?); it was not stored`));
                    }
                    resolve();
                });
            }
            catch (err) {
                // the channel closed under us (broker gone): try again on the next link
                return reject(lost(err));
            }
            if (!flushed && !this.drained) {
                this.drained = new Promise((done) => {
                    link.publisher.once('drain', done);
                    link.publisher.once('close', done);
                }).then(() => {
                    this.drained = null;
                });
            }
        });
    }
    async subscribe(channel, member, handler) {
        if (this.gaveUp.given)
            throw this.gaveUp.given;
        const shards = Array.from({ length: this.settings.shards }, (_, shard) => shard);
        const preferred = preferredShards(member.instance, this.spec.instancesPerService, this.settings.shards);
        const queues = (list) => list.map((shard) => queueName(this.spec.prefix, channel, shard));
        const subscription = new RabbitSubscription({
            label: `${member.service}-${member.instance}`,
            openChannel: async () => {
                const amqpChannel = await (await this.current()).model.createChannel();
                // Per consumer, i.e. per shard queue: quorum queues do not support a channel-wide (global) limit.
                await amqpChannel.prefetch(this.settings.prefetch, false);
                return amqpChannel;
            },
            preferred: queues(preferred),
            standby: queues(shards.filter((s) => !preferred.includes(s))),
            handler,
            address: this.address,
            reconnecting: () => this.reconnecting !== undefined,
            onClosed: () => this.subscriptions.delete(subscription),
            onGaveUp: (err) => this.gaveUp.give(err),
        });
        this.subscriptions.add(subscription);
        await subscription.start();
        return subscription;
    }
    async close() {
        if (this.closing)
            return;
        this.closing = true;
        this.closed.abort();
        for (const subscription of [...this.subscriptions])
            await subscription.close();
        try {
            await this.link.publisher.waitForConfirms();
        }
        catch {
            // the channel is already gone; pending publishes were rejected by it
        }
        try {
            await this.link.model.close();
        }
        catch {
            // already closed (broker gone, or closed by an error)
        }
    }
}
/** One member's consumption of every shard queue of one channel. */
class RabbitSubscription {
    o;
    lanes = new CustomerLanes();
    consumerTags = [];
    channel;
    /** channels that closed under this subscription */
    lost = new WeakSet();
    standbyTimer = null;
    closed = false;
    /** a handler's retries gave up: nothing more is handled or acknowledged */
    gaveUp = false;
    /** ends retry back-offs when the subscription closes */
    stop = new AbortController();
    constructor(o) {
        this.o = o;
    }
    get handler() {
        return this.o.handler;
    }
    get address() {
        return this.o.address;
    }
    /** Opens a channel, consumes the member's own shards now and the others later as a standby. */
    async start() {
        let channel;
        try {
            channel = await this.o.openChannel();
        }
        catch (err) {
            throw rabbitError(this.address, `opening a consumer channel for ${this.o.label}`, err);
        }
        this.channel = channel;
        this.consumerTags = [];
        // A channel error (e.g. the queue was deleted) must not crash the process.
        channel.on('error', () => { });
        channel.on('close', () => {
            // what it delivered can no longer be acknowledged: lanes skip it (the broker requeues it)
            this.lost.add(channel);
            if (this.standbyTimer)
                clearTimeout(this.standbyTimer);
            // a lost connection is reconnected by the owner, who then calls rebind(); anything else ends the subscription
            setImmediate(() => {
                if (this.channel === channel && !this.o.reconnecting())
                    void this.close();
            });
        });
        await this.consume(this.o.preferred);
        this.consumeLater(this.o.standby, STANDBY_DELAY_MS);
    }
    /**
     * Consumes again over a new connection. What the lost channel delivered and did not
     * acknowledge, the broker delivers again; handler calls still running for it may
     * finish first (up to the close grace), but are never acknowledged.
     */
    async rebind() {
        if (this.closed || this.gaveUp)
            return;
        if (this.standbyTimer)
            clearTimeout(this.standbyTimer);
        let grace;
        await Promise.race([this.lanes.idle(), new Promise((resolve) => (grace = setTimeout(resolve, CLOSE_GRACE_MS)))]);
        clearTimeout(grace);
        if (this.closed || this.gaveUp)
            return;
        await this.start();
    }
    async consume(queues) {
        for (const queue of queues) {
            if (this.closed)
                return;
            try {
                const { consumerTag } = await this.channel.consume(queue, (msg) => this.onMessage(queue, msg), { noAck: false });
                this.consumerTags.push(consumerTag);
            }
            catch (err) {
                throw rabbitError(this.address, `consuming ${queue}`, err);
            }
        }
    }
    /** Joins `queues` after `delayMs` as a standby consumer (the active one stays active). */
    consumeLater(queues, delayMs) {
        if (queues.length === 0)
            return;
        this.standbyTimer = setTimeout(() => {
            this.standbyTimer = null;
            this.consume(queues).catch((err) => process.stderr.write(`${err.message}\n`));
        }, delayMs);
    }
    onMessage(queue, msg) {
        if (msg === null)
            return; // cancelled by the broker (queue deleted): nothing to acknowledge
        let event;
        try {
            event = JSON.parse(msg.content.toString('utf8'));
            if (typeof event.customerId !== 'string')
                throw new Error('no customerId');
        }
        catch (err) {
            // Not an event of this harness: nothing can handle it; it is dropped, loudly.
            process.stderr.write(`rabbitmq: dropping a malformed message from ${queue}: ${err.message}\n`);
            this.settle(() => this.channel.reject(msg, false));
            return;
        }
        const channel = this.channel;
        this.lanes.add(event.customerId, () => this.handle(queue, msg, event, channel));
    }
    /**
     * Calls the handler until it succeeds, then acknowledges. A retriable failure is
     * retried here under the shared HANDLER_RETRY policy, flagged redelivered, while the
     * customer's later events wait in their lane; it stays unacknowledged, so if this
     * process dies the broker hands it to the next consumer. When the policy gives up the
     * connection gives up too (its owner stops; the broker requeues on close).
     */
    async handle(queue, msg, event, channel) {
        // left unacknowledged: the broker requeues it (gave up), or already has (its channel is gone)
        if (this.gaveUp || channel !== this.channel || this.lost.has(channel))
            return;
        const redelivered = msg.fields.redelivered;
        try {
            await retry(`handling ${event.eventId} from ${queue}`, async (attempt) => {
                if (this.closed || this.gaveUp || channel !== this.channel || this.lost.has(channel))
                    throw Object.assign(new Error('subscription closed'), { retriable: false });
                await this.handler(event, { redelivered: redelivered || attempt > 1, source: queue });
            }, { policy: HANDLER_RETRY, signal: this.stop.signal });
            if (channel === this.channel && !this.lost.has(channel))
                this.settle(() => channel.ack(msg));
        }
        catch (err) {
            // closed before it succeeded: left unacknowledged, the broker requeues it when the channel closes
            if (!this.closed && !this.gaveUp && channel === this.channel && !this.lost.has(channel)) {
                this.gaveUp = true;
                this.stop.abort();
                this.o.onGaveUp(err);
            }
        }
    }
    /** ack/reject on a channel that may have closed meanwhile (the broker then requeues). */
    settle(action) {
        try {
            action();
        }
        catch {
            // channel closed: the message goes back to the queue
        }
    }
    async close() {
        if (this.closed)
            return;
        this.closed = true;
        if (this.standbyTimer)
            clearTimeout(this.standbyTimer);
        this.stop.abort();
        for (const tag of this.consumerTags)
            await this.channel.cancel(tag).catch(() => { });
        // Let handler calls already running finish and be acknowledged; queued ones go back.
        let grace;
        await Promise.race([this.lanes.idle(), new Promise((resolve) => (grace = setTimeout(resolve, CLOSE_GRACE_MS)))]);
        clearTimeout(grace);
        await this.channel.close().catch(() => { });
        this.o.onClosed();
    }
}
//# sourceMappingURL=connection.js.map