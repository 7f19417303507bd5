/**
 * One process's NATS connection: JetStream publishes acknowledged by the stream, and
 * per subscription one durable pull consumer per owned partition, handled in
 * per-customer lanes and acknowledged after the handler.
 */
import { AckPolicy, DeliverPolicy, jetstream, type ConsumerMessages, type JetStreamClient, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import type { NatsConnection as NatsClient } from '@nats-io/transport-node';
import type { BenchError } from '../../src/contract/errors.js';
import { CustomerLanes, ownedPartitions, partitionOf } from '../../src/contract/customer-lanes.js';
import type { Channel, OrderEvent, ServiceName } from '../../src/contract/events.js';
import { GaveUpNotice } from '../../src/contract/retry.js';
import type { EventHandler, MessagingConnection, NatsSettings, Subscription } from '../../src/contract/transport.js';
import { natsError } from './errors.js';
import { consumerName, streamName, subjectOf, type NatsRunSpec } from './names.js';

/** The durable pull consumer of one partition: explicit acks, from the first message the stream still holds. */
export function consumerConfig(durable: string, subject: string, s: NatsSettings) {
  return {
    durable_name: durable,
    filter_subject: subject,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    max_ack_pending: s.maxAckPending,
    ack_wait: s.ackWait * 1_000_000,
    max_deliver: -1,
  };
}

/**
 * Makes this member the partition consumer's only reader. If an earlier member left
 * messages unacknowledged (it died, or gave up), the consumer is recreated: the stream
 * (work-queue retention) still holds exactly the unacknowledged messages and those
 * behind them, and the new consumer delivers them at once, in stream order, instead of
 * after their ack wait and behind newer ones. Returns the last stream sequence the old
 * consumer had delivered: messages up to it were delivered before.
 */
async function takeOver(jsm: JetStreamManager, stream: string, durable: string, subject: string, s: NatsSettings): Promise<number> {
  try {
    const info = await jsm.consumers.info(stream, durable);
    if (info.num_ack_pending === 0) return 0;
    await jsm.consumers.delete(stream, durable);
    await jsm.consumers.add(stream, consumerConfig(durable, subject, s));
    return info.delivered.stream_seq;
  } catch (e) {
    if (!/not found/i.test((e as Error)?.message ?? '')) throw e;
    await jsm.consumers.add(stream, consumerConfig(durable, subject, s));
    return 0;
  }
}

export class NatsConnection implements MessagingConnection {
  private readonly js: JetStreamClient;
  private readonly gaveUp = new GaveUpNotice();
  private readonly subscriptions = new Set<NatsSubscription>();
  private closing = false;

  constructor(
    private readonly nc: NatsClient,
    private readonly jsm: JetStreamManager,
    private readonly spec: NatsRunSpec,
    private readonly address: string,
  ) {
    this.js = jetstream(nc);
    void nc.closed().then((err) => {
      if (this.closing) return;
      // the client gave up reconnecting (BROKER_RETRY) or the server closed it
      const e = natsError(address, 'the connection', err ?? new Error('connection closed'));
      process.stderr.write(`${e.message}; its consumers stopped, unacknowledged events stay in their streams\n`);
      this.gaveUp.give(e);
    });
  }

  onGaveUp(listener: (err: BenchError) => void): void {
    this.gaveUp.listen(listener);
  }

  async publish(channel: Channel, event: OrderEvent): Promise<void> {
    const subject = subjectOf(this.spec.prefix, channel, partitionOf(event.customerId, this.spec.settings.partitions));
    try {
      // msgID: a publish repeated within the stream's duplicate window is stored once
      await this.js.publish(subject, JSON.stringify(event), { msgID: event.eventId, expect: { streamName: streamName(this.spec.prefix, channel) } });
    } catch (e) {
      throw natsError(this.address, `publishing ${event.eventId} to ${subject}`, e);
    }
  }

  async subscribe(channel: Channel, member: { service: ServiceName | 'observer'; instance: number }, handler: EventHandler): Promise<Subscription> {
    const s = this.spec.settings;
    const stream = streamName(this.spec.prefix, channel);
    const sub = new NatsSubscription(handler, s.ackWait, (err) => this.gaveUp.give(natsError(this.address, `handling ${stream}`, err)), () => this.subscriptions.delete(sub));
    this.subscriptions.add(sub);
    try {
      for (const p of ownedPartitions(member, this.spec.instancesPerService, s.partitions)) {
        const durable = consumerName(p);
        const deliveredBefore = await takeOver(this.jsm, stream, durable, subjectOf(this.spec.prefix, channel, p), s);
        const consumer = await this.js.consumers.get(stream, durable);
        const messages = await consumer.consume({ max_messages: s.maxAckPending, callback: (m) => sub.receive(m, `${stream}/${durable}`, deliveredBefore) });
        sub.add(messages);
      }
    } catch (e) {
      await sub.close();
      throw natsError(this.address, `consuming ${stream} as ${member.service}-${member.instance}`, e);
    }
    return sub;
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    for (const sub of [...this.subscriptions]) await sub.close();
    await this.nc.drain().catch(() => this.nc.close());
  }
}

/** One member's consumption of its partitions of one channel. */
class NatsSubscription implements Subscription {
  private readonly lanes: CustomerLanes;
  private readonly pulls: ConsumerMessages[] = [];
  /** delivered, not yet acknowledged: kept alive with `working()` so the server does not redeliver them meanwhile */
  private readonly held = new Set<JsMsg>();
  private readonly heartbeat: NodeJS.Timeout;
  private closed = false;

  constructor(handler: EventHandler, ackWaitMs: number, onGaveUp: (err: unknown) => void, private readonly onClosed: () => void) {
    this.lanes = new CustomerLanes(handler, onGaveUp);
    this.heartbeat = setInterval(() => {
      for (const m of this.held) m.working();
    }, Math.max(100, Math.floor(ackWaitMs / 3)));
    this.heartbeat.unref();
  }

  add(messages: ConsumerMessages): void {
    this.pulls.push(messages);
  }

  receive(m: JsMsg, source: string, deliveredBefore: number): void {
    if (this.closed) return; // never acknowledged: redelivered to the partition's next reader
    let event: OrderEvent;
    try {
      event = m.json<OrderEvent>();
      if (typeof event.customerId !== 'string') throw new Error('no customerId');
    } catch (err) {
      // not an event of this harness: nothing can handle it; it is dropped, loudly
      process.stderr.write(`nats: dropping a malformed message from ${source}: ${(err as Error).message}\n`);
      m.term();
      return;
    }
    this.held.add(m);
    this.lanes.add(event, { redelivered: m.redelivered || m.seq <= deliveredBefore, source }, () => {
      this.held.delete(m);
      m.ack();
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const p of this.pulls) await p.close().catch(() => {});
    await this.lanes.close();
    clearInterval(this.heartbeat);
    this.held.clear();
    this.onClosed();
  }
}
