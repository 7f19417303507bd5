import type { BenchError } from '../../src/contract/errors.js';
import { GaveUpNotice } from '../../src/contract/retry.js';
import type { KafkaEndpoint } from '../../src/contract/endpoints.js';
import type { Channel, OrderEvent, ServiceName } from '../../src/contract/events.js';
import type { EventHandler, MessagingConnection, Subscription } from '../../src/contract/transport.js';
import { CLIENT_TIMING, wrapError } from '../kafka/client.js';
import { groupName, topicName, type KafkaRunSpec } from '../kafka/names.js';
import { probeAny } from '../kafka/probe.js';
import { createRdClient, PRODUCER_CONFIG } from './client.js';
import type { RdProducer } from './library.js';
import { RequestCounts } from './requests.js';
import { startRdSubscriber } from './subscriber.js';

/**
 * One process's connection: one idempotent librdkafka producer, one consumer per
 * subscription. Each publish is one send(); librdkafka batches whatever is queued while
 * a produce request is in flight, and keeps the order of send() calls per partition.
 */
export class RdKafkaConnection implements MessagingConnection {
  private readonly endpoint: KafkaEndpoint;
  private readonly producer: RdProducer;
  private readonly subscriptions = new Set<Subscription>();
  private readonly gaveUp = new GaveUpNotice();
  private readonly requests = new RequestCounts();
  private closed = false;

  constructor(
    private readonly spec: KafkaRunSpec,
    private readonly clientId: string,
  ) {
    this.endpoint = spec.endpoints.kafka;
    this.producer = createRdClient(this.endpoint, clientId).producer({
      kafkaJS: {
        acks: PRODUCER_CONFIG.acks,
        idempotent: PRODUCER_CONFIG.idempotent,
        maxInFlightRequests: PRODUCER_CONFIG.maxInFlightRequests,
        allowAutoTopicCreation: false,
      },
      'linger.ms': PRODUCER_CONFIG.lingerMs,
      'message.timeout.ms': PRODUCER_CONFIG.messageTimeoutMs,
      // murmur2 like the Java client and kafkajs, so a customer lands on the same partition under either client
      partitioner: 'murmur2_random',
      ...this.requests.configFor('producer'),
    });
  }

  /** Connects the producer now, so an unreachable broker fails connect() rather than the first publish. */
  async open(): Promise<void> {
    try {
      // a broker that is not there at all fails at once, not after librdkafka's retries
      await probeAny(this.endpoint, CLIENT_TIMING.connectionTimeoutMs);
      await this.producer.connect();
    } catch (e) {
      await this.producer.disconnect().catch(() => {});
      throw wrapError(e, this.endpoint, `connecting producer ${this.clientId}`);
    }
  }

  /** requests sent by this connection's producer and consumers, by API (librdkafka statistics, at most 500 ms old) */
  brokerRequests(): Record<string, number> {
    return this.requests.total();
  }

  onGaveUp(listener: (err: BenchError) => void): void {
    this.gaveUp.listen(listener);
  }

  async publish(channel: Channel, event: OrderEvent): Promise<void> {
    if (this.closed) throw new Error('connection closed');
    const topic = topicName(this.spec.prefix, channel);
    try {
      await this.producer.send({ topic, messages: [{ key: event.customerId, value: JSON.stringify(event) }] });
    } catch (e) {
      throw wrapError(e, this.endpoint, `publishing to ${topic}`);
    }
  }

  async subscribe(channel: Channel, member: { service: ServiceName | 'observer'; instance: number }, handler: EventHandler): Promise<Subscription> {
    if (this.closed) throw new Error('connection closed');
    const topic = topicName(this.spec.prefix, channel);
    const groupId = groupName(this.spec.prefix, channel);
    const client = createRdClient(this.endpoint, `${this.clientId}.${member.service}.${member.instance}`);
    let sub: Subscription;
    try {
      sub = await startRdSubscriber(client, {
        topic,
        groupId,
        partitionsConsumedConcurrently: this.spec.settings.partitions,
        commitIntervalMs: this.spec.settings.commitInterval,
        handler,
        clientConfig: this.requests.configFor(`consumer ${member.service}.${member.instance}`),
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

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const errors: unknown[] = [];
    await Promise.all([...this.subscriptions].map((s) => s.close().catch((e: unknown) => errors.push(e))));
    await this.producer.disconnect().catch((e: unknown) => errors.push(e));
    if (errors.length > 0) throw wrapError(errors[0], this.endpoint, `closing ${this.clientId}`);
  }
}
