import kafkajs from 'kafkajs';
import type { Kafka as KafkaClient, Message, Producer } from 'kafkajs';
import type { RequestCounts } from './request-counts.js';

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
} as const;

/** keeps one produce request well under the broker's 1 MB message.max.bytes */
const MAX_RECORDS_PER_REQUEST = 1_000;

interface Pending {
  topic: string;
  message: Message;
  resolve: () => void;
  reject: (e: unknown) => void;
}

/**
 * Publishes many records concurrently over one idempotent producer. While a produce
 * request is in flight, new records wait in a queue; when it returns, everything
 * queued goes out in the next request (batching under load without a linger delay).
 * Records leave in the order publish() was called, so one key's records keep it.
 */
export class BatchingPublisher {
  private readonly producer: Producer;
  private connected: Promise<void> | undefined;
  private queue: Pending[] = [];
  private sending = false;
  private closed = false;

  constructor(client: KafkaClient, requests?: RequestCounts) {
    this.producer = client.producer({
      idempotent: PRODUCER_SETTINGS.idempotent,
      maxInFlightRequests: PRODUCER_SETTINGS.maxInFlightRequests,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    requests?.watch(this.producer);
  }

  connect(): Promise<void> {
    this.connected ??= this.producer.connect().catch((e: unknown) => {
      this.connected = undefined;
      throw e;
    });
    return this.connected;
  }

  publish(topic: string, key: string, value: string): Promise<void> {
    if (this.closed) return Promise.reject(new Error('connection closed'));
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ topic, message: { key, value }, resolve, reject });
      if (!this.sending) void this.drain();
    });
  }

  private async drain(): Promise<void> {
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
          for (const p of batch) p.resolve();
        } catch (e) {
          for (const p of batch) p.reject(e);
        }
      }
    } finally {
      this.sending = false;
    }
  }

  /** Waits for queued records, then disconnects. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.sending) await new Promise((r) => setTimeout(r, 5));
    if (this.connected) {
      await this.connected.catch(() => {});
      await this.producer.disconnect();
    }
  }
}

function groupByTopic(batch: Pending[]): Array<{ topic: string; messages: Message[] }> {
  const byTopic = new Map<string, Message[]>();
  for (const p of batch) {
    let list = byTopic.get(p.topic);
    if (!list) byTopic.set(p.topic, (list = []));
    list.push(p.message);
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}
