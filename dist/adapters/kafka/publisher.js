import kafkajs from 'kafkajs';
const { CompressionTypes, Partitioners } = kafkajs;
/** Producer settings: nothing acknowledged is lost, and one key's records keep their order. */
export const PRODUCER_SETTINGS = {
    /** acks=-1: every in-sync replica has the record before the send resolves */
    acks: -1,
    /** broker de-duplicates retried batches (producer id + sequence numbers) */
    idempotent: true,
    /** one produce request at a time per broker: with retries, nothing overtakes a retried batch */
    maxInFlightRequests: 1,
    compression: 'none',
};
/** keeps one produce request well under the broker's 1 MB message.max.bytes */
const MAX_RECORDS_PER_REQUEST = 1_000;
/**
 * Publishes many records concurrently over one idempotent producer. While a produce
 * request is in flight, new records wait in a queue; when it returns, everything
 * queued goes out in the next request (batching under load without a linger delay).
 * Records leave in the order publish() was called, so one key's records keep it.
 */
export class BatchingPublisher {
    producer;
    connected;
    queue = [];
    sending = false;
    closed = false;
    constructor(client) {
        this.producer = client.producer({
            idempotent: PRODUCER_SETTINGS.idempotent,
            maxInFlightRequests: PRODUCER_SETTINGS.maxInFlightRequests,
            allowAutoTopicCreation: false,
            createPartitioner: Partitioners.DefaultPartitioner,
        });
    }
    connect() {
        this.connected ??= this.producer.connect().catch((e) => {
            this.connected = undefined;
            throw e;
        });
        return this.connected;
    }
    publish(topic, key, value) {
        if (this.closed)
            return Promise.reject(new Error('connection closed'));
        return new Promise((resolve, reject) => {
            this.queue.push({ topic, message: { key, value }, resolve, reject });
            if (!this.sending)
                void this.drain();
        });
    }
    async drain() {
        this.sending = true;
        try {
            while (this.queue.length > 0) {
                const batch = this.queue.splice(0, MAX_RECORDS_PER_REQUEST);
                try {
                    await this.connect();
                    await this.producer.sendBatch({
                        acks: PRODUCER_SETTINGS.acks,
                        compression: CompressionTypes.None,
                        topicMessages: groupByTopic(batch),
                    });
                    for (const p of batch)
                        p.resolve();
                }
                catch (e) {
                    for (const p of batch)
                        p.reject(e);
                }
            }
        }
        finally {
            this.sending = false;
        }
    }
    /** Waits for queued records, then disconnects. */
    async close() {
        this.closed = true;
        while (this.sending)
            await new Promise((r) => setTimeout(r, 5));
        if (this.connected) {
            await this.connected.catch(() => { });
            await this.producer.disconnect();
        }
    }
}
function groupByTopic(batch) {
    const byTopic = new Map();
    for (const p of batch) {
        let list = byTopic.get(p.topic);
        if (!list)
            byTopic.set(p.topic, (list = []));
        list.push(p.message);
    }
    return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}
//# sourceMappingURL=publisher.js.map