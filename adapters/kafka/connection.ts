import type { Kafka as KafkaClient } from 'kafkajs';
import type { BenchError } from '../../src/contract/errors.js';
import { GaveUpNotice } from '../../src/contract/retry.js';
import type { KafkaEndpoint } from '../../src/contract/endpoints.js';
import type { Channel, OrderEvent, ServiceName } from '../../src/contract/events.js';
import type { EventHandler, MessagingConnection, Subscription } from '../../src/contract/transport.js';
import { CLIENT_TIMING, createClient, wrapError } from './client.js';
import { probeAny } from './probe.js';
import { groupName, topicName, type KafkaRunSpec } from './names.js';
import { BatchingPublisher } from './publisher.js';
import { RequestCounts } from './request-counts.js';
import { startSubscriber } from './subscriber.js';

/** One process's connection: one idempotent producer, one consumer per subscription. */
export class KafkaConnection implements MessagingConnection {
  private readonly client: KafkaClient;
  private readonly endpoint: KafkaEndpoint;
  private readonly publisher: BatchingPublisher;
  private readonly subscriptions = new Set<Subscription>();
  private closed = false;
  private readonly gaveUp = new GaveUpNotice();
  /** every request of the producer and the consumers, by API */
  private readonly requests = new RequestCounts();

  constructor(
    private readonly spec: KafkaRunSpec,
    private readonly clientId: string,
  ) {
    this.endpoint = spec.endpoints.kafka;
    this.client = createClient(this.endpoint, clientId);
    this.publisher = new BatchingPublisher(this.client, this.requests);
  }

  /** Connects the producer now, so an unreachable broker fails connect() rather than the first publish. */
  async open(): Promise<void> {
    // a broker that is not there at all fails at once, not after the shared retries (~44 s)
    try {
      await probeAny(this.endpoint, CLIENT_TIMING.connectionTimeoutMs);
    } catch (e) {
      throw wrapError(e, this.endpoint, `connecting producer ${this.clientId}`);
    }
    try {
      await this.publisher.connect();
    } catch (e) {
      await this.publisher.close().catch(() => {});
      throw wrapError(e, this.endpoint, `connecting producer ${this.clientId}`);
    }
  }

  onGaveUp(listener: (err: BenchError) => void): void {
    this.gaveUp.listen(listener);
  }

  async publish(channel: Channel, event: OrderEvent): Promise<void> {
    const topic = topicName(this.spec.prefix, channel);
    try {
      await this.publisher.publish(topic, event.customerId, JSON.stringify(event));
    } catch (e) {
      throw wrapError(e, this.endpoint, `publishing to ${topic}`);
    }
  }

  async subscribe(
    channel: Channel,
    member: { service: ServiceName | 'observer'; instance: number },
    handler: EventHandler,
  ): Promise<Subscription> {
    if (this.closed) throw new Error('connection closed');
    const topic = topicName(this.spec.prefix, channel);
    const groupId = groupName(this.spec.prefix, channel);
    // A member client of its own, so each member's id names its service and instance.
    const client = createClient(this.endpoint, `${this.clientId}.${member.service}.${member.instance}`);
    let sub: Subscription;
    try {
      sub = await startSubscriber(client, {
        topic,
        groupId,
        partitionsConsumedConcurrently: this.spec.settings.partitions,
        commitIntervalMs: this.spec.settings.commitInterval,
        handler,
        requests: this.requests,
        onGaveUp: (e) => this.gaveUp.give(wrapError(e, this.endpoint, `consuming ${topic} as ${member.service}-${member.instance}`)),
      });
    } catch (e) {
      throw wrapError(e, this.endpoint, `joining group ${groupId} on ${topic}`);
    }
    const tracked: Subscription = {
      close: async () => {
        this.subscriptions.delete(tracked);
        await sub.close();
      },
    };
    this.subscriptions.add(tracked);
    return tracked;
  }

  brokerRequests(): Record<string, number> {
    return this.requests.snapshot();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const errors: unknown[] = [];
    await Promise.all([...this.subscriptions].map((s) => s.close().catch((e: unknown) => errors.push(e))));
    await this.publisher.close().catch((e: unknown) => errors.push(e));
    if (errors.length > 0) throw wrapError(errors[0], this.endpoint, `closing ${this.clientId}`);
  }
}
