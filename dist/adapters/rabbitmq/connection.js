import { BenchError } from '../../src/contract/errors.js';
import { GaveUpNotice, HANDLER_RETRY, retry } from '../../src/contract/retry.js';
import { CustomerLanes } from './customer-lanes.js';
import { rabbitError } from './errors.js';
import { exchangeName, preferredShards, queueName, routingKey } from './topology.js';
/** How long a member waits before joining its non-preferred shards as a standby consumer. */
export const STANDBY_DELAY_MS = 2_000;
/** How long closing a subscription waits for handler calls already running. */
const CLOSE_GRACE_MS = 5_000;
export class RabbitConnection {
    model;
    publisher;
    spec;
    settings;
    sharding;
    address;
    subscriptions = new Set();
    /** messageIds the broker returned as unroutable; their confirm then rejects the publish */
    returned = new Set();
    drained = null;
    failure = null;
    closing = false;
    gaveUp = new GaveUpNotice();
    constructor(model, publisher, spec, settings, sharding, address) {
        this.model = model;
        this.publisher = publisher;
        this.spec = spec;
        this.settings = settings;
        this.sharding = sharding;
        this.address = address;
        model.on('error', (err) => (this.failure ??= rabbitError(address, 'the connection', err)));
        model.on('close', () => {
            if (this.closing)
                return;
            this.failure ??= new BenchError('TRANSPORT', `rabbitmq at ${address}: connection closed unexpectedly`);
            // Nothing else would notice that consumers stopped: say it once.
            process.stderr.write(`${this.failure.message}; its consumers stopped, unacknowledged events go back to their queues\n`);
            this.gaveUp.give(this.failure);
        });
        publisher.on('error', (err) => (this.failure ??= rabbitError(address, 'the publish channel', err)));
        publisher.on('return', (msg) => {
            if (typeof msg.properties.messageId === 'string')
                this.returned.add(msg.properties.messageId);
        });
    }
    onGaveUp(listener) {
        this.gaveUp.listen(listener);
    }
    async publish(channel, event) {
        if (this.failure)
            throw this.failure;
        if (this.closing)
            throw new BenchError('TRANSPORT', `rabbitmq at ${this.address}: publish after close`);
        // Calls wait for the socket buffer in call order, so one customer's events keep their order.
        while (this.drained)
            await this.drained;
        const key = routingKey(this.sharding, event.customerId, this.settings.shards);
        const exchange = exchangeName(this.spec.prefix, channel);
        const body = Buffer.from(JSON.stringify(event));
        await new Promise((resolve, reject) => {
            const options = { persistent: true, mandatory: true, contentType: 'application/json', messageId: event.eventId, type: event.type };
            const flushed = this.publisher.publish(exchange, key, body, options, (err) => {
                if (err)
                    return reject(rabbitError(this.address, `publishing ${event.eventId} to ${exchange}`, err));
                if (this.returned.delete(event.eventId)) {
                    return reject(new BenchError('TRANSPORT', `rabbitmq at ${this.address}: ${exchange} routed ${event.eventId} to no queue (not provisioned?); it was not stored`));
                }
                resolve();
            });
            if (!flushed && !this.drained) {
                this.drained = new Promise((done) => this.publisher.once('drain', done)).then(() => {
                    this.drained = null;
                });
            }
        });
    }
    async subscribe(channel, member, handler) {
        if (this.failure)
            throw this.failure;
        const label = `${member.service}-${member.instance}`;
        let amqpChannel;
        try {
            amqpChannel = await this.model.createChannel();
            // Per consumer, i.e. per shard queue: quorum queues do not support a channel-wide (global) limit.
            await amqpChannel.prefetch(this.settings.prefetch, false);
        }
        catch (err) {
            throw rabbitError(this.address, `opening a consumer channel for ${label}`, err);
        }
        const subscription = new RabbitSubscription(amqpChannel, handler, this.address, () => this.subscriptions.delete(subscription), (err) => this.gaveUp.give(err));
        this.subscriptions.add(subscription);
        const shards = Array.from({ length: this.settings.shards }, (_, shard) => shard);
        const preferred = preferredShards(member.instance, this.spec.instancesPerService, this.settings.shards);
        const queues = (list) => list.map((shard) => queueName(this.spec.prefix, channel, shard));
        await subscription.consume(queues(preferred));
        subscription.consumeLater(queues(shards.filter((s) => !preferred.includes(s))), STANDBY_DELAY_MS);
        return subscription;
    }
    async close() {
        if (this.closing)
            return;
        this.closing = true;
        for (const subscription of [...this.subscriptions])
            await subscription.close();
        try {
            await this.publisher.waitForConfirms();
        }
        catch {
            // the channel is already gone; pending publishes were rejected by it
        }
        try {
            await this.model.close();
        }
        catch {
            // already closed (broker gone, or closed by an error)
        }
    }
}
/** One member's consumption of every shard queue of one channel. */
class RabbitSubscription {
    channel;
    handler;
    address;
    onClosed;
    onGaveUp;
    lanes = new CustomerLanes();
    consumerTags = [];
    standbyTimer = null;
    closed = false;
    /** a handler's retries gave up: nothing more is handled or acknowledged */
    gaveUp = false;
    /** ends retry back-offs when the subscription closes */
    stop = new AbortController();
    constructor(channel, handler, address, onClosed, onGaveUp) {
        this.channel = channel;
        this.handler = handler;
        this.address = address;
        this.onClosed = onClosed;
        this.onGaveUp = onGaveUp;
        // A channel error (e.g. the queue was deleted) must not crash the process.
        channel.on('error', () => { });
        channel.on('close', () => void this.close());
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
        this.lanes.add(event.customerId, () => this.handle(queue, msg, event));
    }
    /**
     * Calls the handler until it succeeds, then acknowledges. A retriable failure is
     * retried here under the shared HANDLER_RETRY policy, flagged redelivered, while the
     * customer's later events wait in their lane; it stays unacknowledged, so if this
     * process dies the broker hands it to the next consumer. When the policy gives up the
     * connection gives up too (its owner stops; the broker requeues on close).
     */
    async handle(queue, msg, event) {
        if (this.gaveUp)
            return; // left unacknowledged: the broker requeues it when the channel closes
        const redelivered = msg.fields.redelivered;
        try {
            await retry(`handling ${event.eventId} from ${queue}`, async (attempt) => {
                if (this.closed || this.gaveUp)
                    throw Object.assign(new Error('subscription closed'), { retriable: false });
                await this.handler(event, { redelivered: redelivered || attempt > 1, source: queue });
            }, { policy: HANDLER_RETRY, signal: this.stop.signal });
            this.settle(() => this.channel.ack(msg));
        }
        catch (err) {
            // closed before it succeeded: left unacknowledged, the broker requeues it when the channel closes
            if (!this.closed && !this.gaveUp) {
                this.gaveUp = true;
                this.stop.abort();
                this.onGaveUp(err);
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
        this.onClosed();
    }
}
//# sourceMappingURL=connection.js.map