/**
 * One process's connection to RabbitMQ: a confirm channel for publishing and
 * one channel per subscription for consuming.
 */
import type { Channel as AmqpChannel, ChannelModel, ConfirmChannel, ConsumeMessage, Message } from 'amqplib';
import { BenchError } from '../../src/contract/errors.js';
import { BROKER_RETRY, describePolicy, GaveUpNotice, HANDLER_RETRY, retry } from '../../src/contract/retry.js';
import type { Channel, OrderEvent, ServiceName } from '../../src/contract/events.js';
import type { EventHandler, MessagingConnection, RabbitMqSettings, Subscription } from '../../src/contract/transport.js';
import { CustomerLanes } from './customer-lanes.js';
import { rabbitError } from './errors.js';
import { exchangeName, preferredShards, queueName, routingKey, type RabbitRunSpec, type Sharding } from './topology.js';

/** How long a member waits before joining its non-preferred shards as a standby consumer. */
export const STANDBY_DELAY_MS = 2_000;
/** How long closing a subscription waits for handler calls already running. */
const CLOSE_GRACE_MS = 5_000;

/** A publish whose confirm never came because its channel went away: retriable. */
class LostConfirm extends BenchError {
  constructor(readonly channel: ConfirmChannel, message: string, cause: unknown) {
    super('TRANSPORT', message, { cause, retriable: true });
  }
}

/** An AMQP connection and its confirm channel for publishing. */
export interface RabbitLink {
  model: ChannelModel;
  publisher: ConfirmChannel;
}

/**
 * Kept alive: when the broker drops the connection (a restart), it reconnects under the
 * shared BROKER_RETRY policy, subscriptions consume again on the new connection, and a
 * publish whose confirm never came is published again. When the policy gives up, the
 * connection gives up (`onGaveUp`).
 */
export class RabbitConnection implements MessagingConnection {
  private readonly subscriptions = new Set<RabbitSubscription>();
  /** messageIds the broker returned as unroutable; their confirm then rejects the publish */
  private readonly returned = new Set<string>();
  private drained: Promise<void> | null = null;
  private closing = false;
  private readonly closed = new AbortController();
  private readonly gaveUp = new GaveUpNotice();
  /** set while reconnecting: resolves with the new link */
  private reconnecting: Promise<RabbitLink> | undefined;
  /** publish channels the server closed with a channel error (a 404 on a missing exchange), and that error */
  private readonly channelErrors = new WeakMap<ConfirmChannel, Error>();
  /** publish channels that closed while their connection lived on */
  private readonly closedPublishers = new WeakSet<ConfirmChannel>();
  /** set while a closed publish channel is replaced on the same connection */
  private reopening: Promise<void> | undefined;

  constructor(
    private link: RabbitLink,
    private readonly spec: RabbitRunSpec,
    private readonly settings: RabbitMqSettings,
    private readonly sharding: Sharding,
    private readonly address: string,
    private readonly open: () => Promise<RabbitLink>,
  ) {
    this.watch(link);
  }

  private watchPublisher(publisher: ConfirmChannel): void {
    // a channel error (publishing to an exchange that does not exist) closes this channel only:
    // the error comes first, then the close that fails the channel's unconfirmed publishes
    publisher.on('error', (err: Error) => this.channelErrors.set(publisher, err));
    publisher.on('close', () => this.closedPublishers.add(publisher));
    publisher.on('return', (msg: Message) => {
      if (typeof msg.properties.messageId === 'string') this.returned.add(msg.properties.messageId);
    });
  }

  private watch(link: RabbitLink): void {
    link.model.on('error', () => {});
    this.watchPublisher(link.publisher);
    link.model.on('close', () => {
      if (this.closing || this.gaveUp.given || this.link !== link) return;
      process.stderr.write(`rabbitmq at ${this.address}: connection closed unexpectedly; reconnecting (${describePolicy(BROKER_RETRY)})\n`);
      const t0 = Date.now();
      this.drained = null;
      this.reconnecting = retry(`reconnecting to rabbitmq at ${this.address}`, () => this.open(), { policy: BROKER_RETRY, signal: this.closed.signal }).then(
        async (next) => {
          if (this.closing) {
            await next.model.close().catch(() => {});
            throw new BenchError('TRANSPORT', `rabbitmq at ${this.address}: connection closed`);
          }
          this.link = next;
          this.reconnecting = undefined;
          this.watch(next);
          process.stderr.write(`rabbitmq at ${this.address}: reconnected after ${((Date.now() - t0) / 1000).toFixed(1)} s; consumers consume again\n`);
          for (const sub of this.subscriptions) void sub.rebind().catch((e: unknown) => this.gaveUp.give(e));
          return next;
        },
        (e: unknown) => {
          if (!this.closing) this.gaveUp.give(e);
          throw e;
        },
      );
      this.reconnecting.catch(() => undefined);
    });
  }

  /** The live link, waiting for a reconnection under way. */
  private current(): Promise<RabbitLink> {
    return this.reconnecting ?? Promise.resolve(this.link);
  }

  onGaveUp(listener: (err: BenchError) => void): void {
    this.gaveUp.listen(listener);
  }

  publish(channel: Channel, event: OrderEvent): Promise<void> {
    if (this.closing) return Promise.reject(new BenchError('TRANSPORT', `rabbitmq at ${this.address}: publish after close`));
    const exchange = exchangeName(this.spec.prefix, channel);
    return retry(
      `publishing ${event.eventId} to ${exchange}`,
      async () => {
        for (;;) {
          const link = await this.current();
          try {
            return await this.publishOnce(link, exchange, event);
          } catch (err) {
            // the connection died under this publish, or another publish's channel error closed its
            // channel: publish again on the next one, at once and in the order the confirms failed
            // (a jittered retry would reorder one customer's events)
            const again = this.reconnecting || link !== this.link || (err instanceof LostConfirm && this.closedPublishers.has(err.channel));
            if (again && !this.closing && !this.gaveUp.given) continue;
            throw err;
          }
        }
      },
      { policy: BROKER_RETRY, signal: this.closed.signal },
    );
  }

  /**
   * The link's publish channel, replaced first if a channel error closed it while the
   * connection lived on (without this, one publish to a missing exchange would leave the
   * connection unable to publish at all).
   */
  private async publisherOf(link: RabbitLink): Promise<ConfirmChannel> {
    while (this.closedPublishers.has(link.publisher) && link === this.link && !this.closing) {
      this.reopening ??= link.model.createConfirmChannel().then(
        (next) => {
          this.watchPublisher(next);
          link.publisher = next;
        },
        (err: unknown) => {
          throw rabbitError(this.address, 'opening the publish channel again', err);
        },
      ).finally(() => {
        this.reopening = undefined;
      });
      await this.reopening;
    }
    return link.publisher;
  }

  /**
   * One publish on one link. A confirm that fails because the link went away is retriable;
   * one that fails because the server closed the channel over this very publish (its
   * exchange does not exist) is not, and names the exchange and the server's reason.
   */
  private async publishOnce(link: RabbitLink, exchange: string, event: OrderEvent): Promise<void> {
    // Calls wait for the socket buffer in call order, so one customer's events keep their order.
    while (this.drained) await this.drained;
    const publisher = await this.publisherOf(link);
    const key = routingKey(this.sharding, event.customerId, this.settings.shards);
    const body = Buffer.from(JSON.stringify(event));
    const lost = (err: unknown) => {
      const refused = this.channelErrors.get(publisher);
      if (refused && refused.message.includes(`'${exchange}'`)) return rabbitError(this.address, `publishing ${event.eventId} to ${exchange}`, refused);
      return new LostConfirm(publisher, `rabbitmq at ${this.address}: no confirm for ${event.eventId} (${err instanceof Error ? err.message : String(err)})`, err);
    };
    await new Promise<void>((resolve, reject) => {
      const options = { persistent: true, mandatory: true, contentType: 'application/json', messageId: event.eventId, type: event.type };
      let flushed: boolean;
      try {
        flushed = publisher.publish(exchange, key, body, options, (err: unknown) => {
          if (err) return reject(lost(err));
          if (this.returned.delete(event.eventId)) {
            return reject(new BenchError('TRANSPORT', `rabbitmq at ${this.address}: ${exchange} routed ${event.eventId} to no queue (not provisioned?); it was not stored`));
          }
          resolve();
        });
      } catch (err) {
        // the channel closed under us (broker gone): try again on the next link
        return reject(lost(err));
      }
      if (!flushed && !this.drained) {
        this.drained = new Promise<void>((done) => {
          publisher.once('drain', done);
          publisher.once('close', done);
        }).then(() => {
          this.drained = null;
        });
      }
    });
  }

  async subscribe(channel: Channel, member: { service: ServiceName | 'observer'; instance: number }, handler: EventHandler): Promise<Subscription> {
    if (this.gaveUp.given) throw this.gaveUp.given;
    const shards = Array.from({ length: this.settings.shards }, (_, shard) => shard);
    const preferred = preferredShards(member.instance, this.spec.instancesPerService, this.settings.shards);
    const queues = (list: number[]) => list.map((shard) => queueName(this.spec.prefix, channel, shard));
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

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    this.closed.abort();
    for (const subscription of [...this.subscriptions]) await subscription.close();
    try {
      await this.link.publisher.waitForConfirms();
    } catch {
      // the channel is already gone; pending publishes were rejected by it
    }
    try {
      await this.link.model.close();
    } catch {
      // already closed (broker gone, or closed by an error)
    }
  }
}

interface SubscriptionOptions {
  label: string;
  /** a new consumer channel on the connection's current link */
  openChannel: () => Promise<AmqpChannel>;
  /** shard queues this member consumes first, and those it joins later as a standby */
  preferred: string[];
  standby: string[];
  handler: EventHandler;
  address: string;
  /** true while the owner is reconnecting (a closed channel is then expected) */
  reconnecting: () => boolean;
  onClosed: () => void;
  onGaveUp: (err: unknown) => void;
}

/** One member's consumption of every shard queue of one channel. */
class RabbitSubscription implements Subscription {
  private readonly lanes = new CustomerLanes();
  private consumerTags: string[] = [];
  private channel!: AmqpChannel;
  /** channels that closed under this subscription */
  private readonly lost = new WeakSet<AmqpChannel>();
  private standbyTimer: NodeJS.Timeout | null = null;
  private closed = false;
  /** a handler's retries gave up: nothing more is handled or acknowledged */
  private gaveUp = false;
  /** ends retry back-offs when the subscription closes */
  private readonly stop = new AbortController();

  constructor(private readonly o: SubscriptionOptions) {}

  private get handler(): EventHandler {
    return this.o.handler;
  }

  private get address(): string {
    return this.o.address;
  }

  /** Opens a channel, consumes the member's own shards now and the others later as a standby. */
  async start(): Promise<void> {
    let channel: AmqpChannel;
    try {
      channel = await this.o.openChannel();
    } catch (err) {
      throw rabbitError(this.address, `opening a consumer channel for ${this.o.label}`, err);
    }
    this.channel = channel;
    this.consumerTags = [];
    // A channel error (e.g. the queue was deleted) must not crash the process.
    channel.on('error', () => {});
    channel.on('close', () => {
      // what it delivered can no longer be acknowledged: lanes skip it (the broker requeues it)
      this.lost.add(channel);
      if (this.standbyTimer) clearTimeout(this.standbyTimer);
      // a lost connection is reconnected by the owner, who then calls rebind(); anything else ends the subscription
      setImmediate(() => {
        if (this.channel === channel && !this.o.reconnecting()) void this.close();
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
  async rebind(): Promise<void> {
    if (this.closed || this.gaveUp) return;
    if (this.standbyTimer) clearTimeout(this.standbyTimer);
    let grace: NodeJS.Timeout | undefined;
    await Promise.race([this.lanes.idle(), new Promise((resolve) => (grace = setTimeout(resolve, CLOSE_GRACE_MS)))]);
    clearTimeout(grace);
    if (this.closed || this.gaveUp) return;
    await this.start();
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
  private async handle(queue: string, msg: ConsumeMessage, event: OrderEvent, channel: AmqpChannel): Promise<void> {
    // left unacknowledged: the broker requeues it (gave up), or already has (its channel is gone)
    if (this.gaveUp || channel !== this.channel || this.lost.has(channel)) return;
    const redelivered = msg.fields.redelivered;
    try {
      await retry(
        `handling ${event.eventId} from ${queue}`,
        async (attempt) => {
          if (this.closed || this.gaveUp || channel !== this.channel || this.lost.has(channel)) throw Object.assign(new Error('subscription closed'), { retriable: false });
          await this.handler(event, { redelivered: redelivered || attempt > 1, source: queue });
        },
        { policy: HANDLER_RETRY, signal: this.stop.signal },
      );
      if (channel === this.channel && !this.lost.has(channel)) this.settle(() => channel.ack(msg));
    } catch (err) {
      // closed before it succeeded: left unacknowledged, the broker requeues it when the channel closes
      if (!this.closed && !this.gaveUp && channel === this.channel && !this.lost.has(channel)) {
        this.gaveUp = true;
        this.stop.abort();
        this.o.onGaveUp(err);
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
    this.o.onClosed();
  }
}
