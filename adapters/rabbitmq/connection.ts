/**
 * One process's connection to RabbitMQ: a confirm channel for publishing and
 * one channel per subscription for consuming.
 */
import type { Channel as AmqpChannel, ChannelModel, ConfirmChannel, ConsumeMessage, Message } from 'amqplib';
import { BenchError } from '../../src/contract/errors.js';
import { GaveUpNotice, HANDLER_RETRY, retry } from '../../src/contract/retry.js';
import type { Channel, OrderEvent, ServiceName } from '../../src/contract/events.js';
import type { EventHandler, MessagingConnection, RabbitMqSettings, Subscription } from '../../src/contract/transport.js';
import { CustomerLanes } from './customer-lanes.js';
import { rabbitError } from './errors.js';
import { exchangeName, preferredShards, queueName, routingKey, type RabbitRunSpec, type Sharding } from './topology.js';

/** How long a member waits before joining its non-preferred shards as a standby consumer. */
export const STANDBY_DELAY_MS = 2_000;
/** How long closing a subscription waits for handler calls already running. */
const CLOSE_GRACE_MS = 5_000;

export class RabbitConnection implements MessagingConnection {
  private readonly subscriptions = new Set<RabbitSubscription>();
  /** messageIds the broker returned as unroutable; their confirm then rejects the publish */
  private readonly returned = new Set<string>();
  private drained: Promise<void> | null = null;
  private failure: BenchError | null = null;
  private closing = false;
  private readonly gaveUp = new GaveUpNotice();

  constructor(
    private readonly model: ChannelModel,
    private readonly publisher: ConfirmChannel,
    private readonly spec: RabbitRunSpec,
    private readonly settings: RabbitMqSettings,
    private readonly sharding: Sharding,
    private readonly address: string,
  ) {
    model.on('error', (err: Error) => (this.failure ??= rabbitError(address, 'the connection', err)));
    model.on('close', () => {
      if (this.closing) return;
      this.failure ??= new BenchError('TRANSPORT', `rabbitmq at ${address}: connection closed unexpectedly`);
      // Nothing else would notice that consumers stopped: say it once.
      process.stderr.write(`${this.failure.message}; its consumers stopped, unacknowledged events go back to their queues\n`);
      this.gaveUp.give(this.failure);
    });
    publisher.on('error', (err: Error) => (this.failure ??= rabbitError(address, 'the publish channel', err)));
    publisher.on('return', (msg: Message) => {
      if (typeof msg.properties.messageId === 'string') this.returned.add(msg.properties.messageId);
    });
  }

  onGaveUp(listener: (err: BenchError) => void): void {
    this.gaveUp.listen(listener);
  }

  async publish(channel: Channel, event: OrderEvent): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.closing) throw new BenchError('TRANSPORT', `rabbitmq at ${this.address}: publish after close`);
    // Calls wait for the socket buffer in call order, so one customer's events keep their order.
    while (this.drained) await this.drained;
    const key = routingKey(this.sharding, event.customerId, this.settings.shards);
    const exchange = exchangeName(this.spec.prefix, channel);
    const body = Buffer.from(JSON.stringify(event));
    await new Promise<void>((resolve, reject) => {
      const options = { persistent: true, mandatory: true, contentType: 'application/json', messageId: event.eventId, type: event.type };
      const flushed = this.publisher.publish(exchange, key, body, options, (err: unknown) => {
        if (err) return reject(rabbitError(this.address, `publishing ${event.eventId} to ${exchange}`, err));
        if (this.returned.delete(event.eventId)) {
          return reject(new BenchError('TRANSPORT', `rabbitmq at ${this.address}: ${exchange} routed ${event.eventId} to no queue (not provisioned?); it was not stored`));
        }
        resolve();
      });
      if (!flushed && !this.drained) {
        this.drained = new Promise<void>((done) => this.publisher.once('drain', done)).then(() => {
          this.drained = null;
        });
      }
    });
  }

  async subscribe(channel: Channel, member: { service: ServiceName | 'observer'; instance: number }, handler: EventHandler): Promise<Subscription> {
    if (this.failure) throw this.failure;
    const label = `${member.service}-${member.instance}`;
    let amqpChannel: AmqpChannel;
    try {
      amqpChannel = await this.model.createChannel();
      // Per consumer, i.e. per shard queue: quorum queues do not support a channel-wide (global) limit.
      await amqpChannel.prefetch(this.settings.prefetch, false);
    } catch (err) {
      throw rabbitError(this.address, `opening a consumer channel for ${label}`, err);
    }
    const subscription = new RabbitSubscription(amqpChannel, handler, this.address, () => this.subscriptions.delete(subscription), (err) => this.gaveUp.give(err));
    this.subscriptions.add(subscription);
    const shards = Array.from({ length: this.settings.shards }, (_, shard) => shard);
    const preferred = preferredShards(member.instance, this.spec.instancesPerService, this.settings.shards);
    const queues = (list: number[]) => list.map((shard) => queueName(this.spec.prefix, channel, shard));
    await subscription.consume(queues(preferred));
    subscription.consumeLater(queues(shards.filter((s) => !preferred.includes(s))), STANDBY_DELAY_MS);
    return subscription;
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    for (const subscription of [...this.subscriptions]) await subscription.close();
    try {
      await this.publisher.waitForConfirms();
    } catch {
      // the channel is already gone; pending publishes were rejected by it
    }
    try {
      await this.model.close();
    } catch {
      // already closed (broker gone, or closed by an error)
    }
  }
}

/** One member's consumption of every shard queue of one channel. */
class RabbitSubscription implements Subscription {
  private readonly lanes = new CustomerLanes();
  private readonly consumerTags: string[] = [];
  private standbyTimer: NodeJS.Timeout | null = null;
  private closed = false;
  /** a handler's retries gave up: nothing more is handled or acknowledged */
  private gaveUp = false;
  /** ends retry back-offs when the subscription closes */
  private readonly stop = new AbortController();

  constructor(
    private readonly channel: AmqpChannel,
    private readonly handler: EventHandler,
    private readonly address: string,
    private readonly onClosed: () => void,
    private readonly onGaveUp: (err: unknown) => void,
  ) {
    // A channel error (e.g. the queue was deleted) must not crash the process.
    channel.on('error', () => {});
    channel.on('close', () => void this.close());
  }

  async consume(queues: string[]): Promise<void> {
    for (const queue of queues) {
      if (this.closed) return;
      try {
        const { consumerTag } = await this.channel.consume(queue, (msg) => this.onMessage(queue, msg), { noAck: false });
        this.consumerTags.push(consumerTag);
      } catch (err) {
        throw rabbitError(this.address, `consuming ${queue}`, err);
      }
    }
  }

  /** Joins `queues` after `delayMs` as a standby consumer (the active one stays active). */
  consumeLater(queues: string[], delayMs: number): void {
    if (queues.length === 0) return;
    this.standbyTimer = setTimeout(() => {
      this.standbyTimer = null;
      this.consume(queues).catch((err: unknown) => process.stderr.write(`${(err as Error).message}\n`));
    }, delayMs);
  }

  private onMessage(queue: string, msg: ConsumeMessage | null): void {
    if (msg === null) return; // cancelled by the broker (queue deleted): nothing to acknowledge
    let event: OrderEvent;
    try {
      event = JSON.parse(msg.content.toString('utf8')) as OrderEvent;
      if (typeof event.customerId !== 'string') throw new Error('no customerId');
    } catch (err) {
      // Not an event of this harness: nothing can handle it; it is dropped, loudly.
      process.stderr.write(`rabbitmq: dropping a malformed message from ${queue}: ${(err as Error).message}\n`);
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
  private async handle(queue: string, msg: ConsumeMessage, event: OrderEvent): Promise<void> {
    if (this.gaveUp) return; // left unacknowledged: the broker requeues it when the channel closes
    const redelivered = msg.fields.redelivered;
    try {
      await retry(
        `handling ${event.eventId} from ${queue}`,
        async (attempt) => {
          if (this.closed || this.gaveUp) throw Object.assign(new Error('subscription closed'), { retriable: false });
          await this.handler(event, { redelivered: redelivered || attempt > 1, source: queue });
        },
        { policy: HANDLER_RETRY, signal: this.stop.signal },
      );
      this.settle(() => this.channel.ack(msg));
    } catch (err) {
      // closed before it succeeded: left unacknowledged, the broker requeues it when the channel closes
      if (!this.closed && !this.gaveUp) {
        this.gaveUp = true;
        this.stop.abort();
        this.onGaveUp(err);
      }
    }
  }

  /** ack/reject on a channel that may have closed meanwhile (the broker then requeues). */
  private settle(action: () => void): void {
    try {
      action();
    } catch {
      // channel closed: the message goes back to the queue
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.standbyTimer) clearTimeout(this.standbyTimer);
    this.stop.abort();
    for (const tag of this.consumerTags) await this.channel.cancel(tag).catch(() => {});
    // Let handler calls already running finish and be acknowledged; queued ones go back.
    let grace: NodeJS.Timeout | undefined;
    await Promise.race([this.lanes.idle(), new Promise((resolve) => (grace = setTimeout(resolve, CLOSE_GRACE_MS)))]);
    clearTimeout(grace);
    await this.channel.close().catch(() => {});
    this.onClosed();
  }
}
