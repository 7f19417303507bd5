import { GaveUpNotice } from '../../src/contract/retry.js';
import { CLIENT_TIMING, createClient, wrapError } from './client.js';
import { probeAny } from './probe.js';
import { groupName, topicName } from './names.js';
import { BatchingPublisher } from './publisher.js';
import { startSubscriber } from './subscriber.js';
/** One process's connection: one idempotent producer, one consumer per subscription. */
export class KafkaConnection {
    spec;
    clientId;
    client;
    endpoint;
    publisher;
    subscriptions = new Set();
    closed = false;
    gaveUp = new GaveUpNotice();
    constructor(spec, clientId) {
        this.spec = spec;
        this.clientId = clientId;
        this.endpoint = spec.endpoints.kafka;
        this.client = createClient(this.endpoint, clientId);
        this.publisher = new BatchingPublisher(this.client);
    }
    /** Connects the producer now, so an unreachable broker fails connect() rather than the first publish. */
    async open() {
        // a broker that is not there at all fails at once, not after the shared retries (~44 s)
        try {
            await probeAny(this.endpoint, CLIENT_TIMING.connectionTimeoutMs);
        }
        catch (e) {
            throw wrapError(e, this.endpoint, `connecting producer ${this.clientId}`);
        }
        try {
            await this.publisher.connect();
        }
        catch (e) {
            await this.publisher.close().catch(() => { });
            throw wrapError(e, this.endpoint, `connecting producer ${this.clientId}`);
        }
    }
    onGaveUp(listener) {
        this.gaveUp.listen(listener);
    }
    async publish(channel, event) {
        const topic = topicName(this.spec.prefix, channel);
        try {
            await this.publisher.publish(topic, event.customerId, JSON.stringify(event));
        }
        catch (e) {
            throw wrapError(e, this.endpoint, `publishing to ${topic}`);
        }
    }
    async subscribe(channel, member, handler) {
        if (this.closed)
            throw new Error('connection closed');
        const topic = topicName(this.spec.prefix, channel);
        const groupId = groupName(this.spec.prefix, channel);
        // A member client of its own, so each member's id names its service and instance.
        const client = createClient(this.endpoint, `${this.clientId}.${member.service}.${member.instance}`);
        let sub;
        try {
            sub = await startSubscriber(client, {
                topic,
                groupId,
                partitionsConsumedConcurrently: this.spec.settings.partitions,
                handler,
                onGaveUp: (e) => this.gaveUp.give(wrapError(e, this.endpoint, `consuming ${topic} as ${member.service}-${member.instance}`)),
            });
        }
        catch (e) {
            throw wrapError(e, this.endpoint, `joining group ${groupId} on ${topic}`);
        }
        const tracked = {
            close: async () => {
                this.subscriptions.delete(tracked);
                await sub.close();
            },
        };
        this.subscriptions.add(tracked);
        return tracked;
    }
    async close() {
        if (this.closed)
            return;
        this.closed = true;
        const errors = [];
        await Promise.all([...this.subscriptions].map((s) => s.close().catch((e) => errors.push(e))));
        await this.publisher.close().catch((e) => errors.push(e));
        if (errors.length > 0)
            throw wrapError(errors[0], this.endpoint, `closing ${this.clientId}`);
    }
}
//# sourceMappingURL=connection.js.map