/**
 * ActiveMQ Classic over STOMP (stompit). One queue per channel (`/queue/<prefix>.<channel>`);
 * persistent SENDs that resolve on their RECEIPT; message groups (JMSXGroupID = customer id)
 * so the broker pins each customer to one consumer; client-individual acks after the handler.
 * README.md beside this file states every setting and what it costs.
 */
import { BenchError } from '../../src/contract/errors.js';
import type { Channel, OrderEvent } from '../../src/contract/events.js';
import type {
  ActiveMqSettings, BacklogSample, BrokerEndpoints, EventHandler, MessagingAdapter, MessagingConnection, MessagingRunSpec, Subscription,
  TransportDescription,
} from '../../src/contract/transport.js';
import { BROKER_RETRY, describePolicy, GaveUpNotice, HANDLER_RETRY, retry } from '../../src/contract/retry.js';
import { drainQueues, queueStats, waitGone } from './admin.js';
import { ChannelConsumer } from './consumer.js';
import { ALL_CHANNELS, deadLetterQueueName, destinationOf, queueName } from './names.js';
import { securitySummary, StompSession, stompitVersion } from './stomp.js';

export interface ActivemqAdapterOptions {
  /** connect deadline for run connections, ms */
  connectTimeoutMs?: number;
  /** how long deprovision/cleanupStale wait for the broker to garbage-collect emptied queues, ms */
  gcWaitMs?: number;
}

/** A run of this adapter: its settings arrive parsed and checked (prefetch). */
type ActivemqRunSpec = MessagingRunSpec<ActiveMqSettings>;

/** The SEND headers of one event: persistent, grouped by customer, receipted by the session. */
export function sendHeaders(prefix: string, channel: Channel, event: OrderEvent): Record<string, string> {
  return {
    destination: destinationOf(prefix, channel),
    persistent: 'true',
    JMSXGroupID: event.customerId,
    'content-type': 'application/json',
    'event-id': event.eventId,
  };
}

/**
 * The most sessions one publish is sent on. A broker restart costs a pending SEND one
 * session (two or three if the broker flaps); every reconnection succeeding and every send
 * dropping is a broker refusing that message, which no waiting mends.
 */
const MAX_SENDS = BROKER_RETRY.retries + 1;

/**
 * One process's STOMP session, kept alive: when the broker drops it (a restart), the
 * connection reconnects under the shared BROKER_RETRY policy, its consumers subscribe
 * again, and publishes wait for the new session and are sent again if their receipt
 * never came. When the policy gives up, the connection gives up (`onGaveUp`).
 */
class ActivemqConnection implements MessagingConnection {
  private readonly consumers = new Set<ChannelConsumer>();
  private readonly gaveUp = new GaveUpNotice();
  private readonly closed = new AbortController();
  /** set while reconnecting: resolves with the new session */
  private reconnecting: Promise<StompSession> | undefined;

  constructor(
    private session: StompSession,
    private readonly spec: ActivemqRunSpec,
    private readonly prefetch: number,
    private readonly open: () => Promise<StompSession>,
  ) {
    this.watch(session);
  }

  onGaveUp(listener: (err: BenchError) => void): void {
    this.gaveUp.listen(listener);
  }

  private watch(session: StompSession): void {
    session.onFailure((err) => {
      if (this.closed.signal.aborted || this.gaveUp.given) return;
      process.stderr.write(`${err.message}; reconnecting (${describePolicy(BROKER_RETRY)})\n`);
      const t0 = Date.now();
      const attempt = retry(`reconnecting to activemq at ${session.address}`, () => this.open(), { policy: BROKER_RETRY, signal: this.closed.signal });
      this.reconnecting = attempt.then(
        async (next) => {
          if (this.closed.signal.aborted) {
            await next.close().catch(() => undefined);
            throw new BenchError('TRANSPORT', `activemq at ${session.address}: connection closed`);
          }
          this.session = next;
          this.reconnecting = undefined;
          this.watch(next);
          process.stderr.write(`activemq at ${next.address}: reconnected after ${((Date.now() - t0) / 1000).toFixed(1)} s; consumers subscribe again\n`);
          for (const c of this.consumers) void c.rebind(next);
          return next;
        },
        (e: unknown) => {
          if (!this.closed.signal.aborted) this.gaveUp.give(e);
          throw e;
        },
      );
      this.reconnecting.catch(() => undefined);
    });
  }

  /** The live session, waiting for a reconnection under way. */
  private async current(): Promise<StompSession> {
    return this.reconnecting ?? this.session;
  }

  publish(channel: Channel, event: OrderEvent): Promise<void> {
    const headers = sendHeaders(this.spec.prefix, channel, event);
    const body = JSON.stringify(event);
    return retry(
      `publishing ${event.eventId} to ${headers.destination}`,
      async () => {
        for (let sends = 1; ; sends++) {
          const session = await this.current();
          try {
            return await session.send(headers, body);
          } catch (err) {
            if (!session.failed || this.closed.signal.aborted || this.gaveUp.given) throw err;
            // the session died under this send: send again on the next one, at once and in the
            // order the sends failed (a jittered retry would reorder one customer's events).
            // A broker that takes the connection back and drops it again on every send of this
            // message (a frame it refuses) would make that endless: past MAX_SENDS it is not
            // a restart any more, and the publish fails naming the broker.
            if (sends < MAX_SENDS) continue;
            throw new BenchError(
              'TRANSPORT',
              `activemq at ${session.address}: the connection dropped under each of ${sends} sends of ${event.eventId} to ${headers.destination}, reconnecting in between`,
              { cause: err, retriable: false },
            );
          }
        }
      },
      { policy: BROKER_RETRY, signal: this.closed.signal },
    );
  }

  async subscribe(channel: Channel, _member: { service: string; instance: number }, handler: EventHandler): Promise<Subscription> {
    const consumer = new ChannelConsumer(await this.current(), handler, {
      channel,
      destination: destinationOf(this.spec.prefix, channel),
      prefetch: this.prefetch,
      onGaveUp: (err) => this.gaveUp.give(err),
    });
    consumer.start();
    this.consumers.add(consumer);
    return {
      close: async () => {
        this.consumers.delete(consumer);
        await consumer.close();
      },
    };
  }

  async close(): Promise<void> {
    this.closed.abort();
    await Promise.all([...this.consumers].map((c) => c.close()));
    this.consumers.clear();
    await this.session.close();
  }
}

export function createAdapter(options: ActivemqAdapterOptions = {}): MessagingAdapter<'activemq'> {
  const connectTimeoutMs = options.connectTimeoutMs ?? 5000;
  const gcWaitMs = options.gcWaitMs ?? 15_000;

  const open = (endpoints: BrokerEndpoints, timeoutMs = connectTimeoutMs) =>
    StompSession.open(endpoints.activemq, timeoutMs);

  async function withSession<T>(spec: ActivemqRunSpec, work: (s: StompSession) => Promise<T>): Promise<T> {
    const session = await open(spec.endpoints);
    try {
      return await work(session);
    } finally {
      await session.close();
    }
  }

  /** Empties the named queues, then waits for the broker to drop them; returns the names still there. */
  async function remove(session: StompSession, names: string[]): Promise<string[]> {
    if (names.length === 0) return [];
    const existing = (await queueStats(session, '>')).filter((q) => names.includes(q.name));
    await drainQueues(session, existing.filter((q) => q.size > 0).map((q) => q.name));
    return waitGone(session, existing.map((q) => q.name), gcWaitMs);
  }

  const runQueues = (prefix: string) => ALL_CHANNELS.flatMap((c) => [queueName(prefix, c), deadLetterQueueName(queueName(prefix, c))]);

  return {
    name: 'activemq',

    async describe(spec) {
      const { host, port } = spec.endpoints.activemq;
      const description: TransportDescription = {
        name: 'activemq',
        clients: [{ name: 'stompit', version: stompitVersion() }],
        delivery: {
          protocol: 'STOMP 1.2',
          persistent: true,
          receiptPerSend: true,
          ack: 'client-individual',
          ackAfterHandler: true,
          prefetch: spec.settings.prefetch,
          messageGroups: 'JMSXGroupID=customerId',
          perCustomerSerial: true,
          failedHandler: 'local retry, redelivered=true, no NACK',
          'retry.handler': `${describePolicy(HANDLER_RETRY)}; then the connection gives up`,
          'retry.broker': `${describePolicy(BROKER_RETRY)}: reconnect, subscribe again, re-send publishes without a receipt`,
          redeliveryOnConsumerLoss: 'broker, to another group member',
          tcpNoDelay: true,
          heartBeats: '0,0',
          connection: securitySummary(spec.endpoints.activemq),
        },
        address: `${host}:${port}`,
      };
      try {
        const session = await open(spec.endpoints, 1500);
        const server = session.server?.split('/');
        await session.close();
        if (server?.[0]) description.server = { name: server[0], version: server[1] ?? 'unknown' };
      } catch {
        /* unreachable: described without a server */
      }
      return description;
    },

    async provision(spec) {
      await withSession(spec, async (session) => {
        // a consumer makes ActiveMQ create the queue; the statistics query proves backlog() will work
        for (const channel of ALL_CHANNELS) {
          const sub = session.subscribe({ destination: destinationOf(spec.prefix, channel), ack: 'client-individual', 'activemq.prefetchSize': '1' }, () => undefined);
          await sub.unsubscribe();
        }
        await queueStats(session, `${spec.prefix}.>`);
      });
    },

    async deprovision(spec) {
      await withSession(spec, async (session) => {
        const left = await remove(session, runQueues(spec.prefix));
        if (left.length > 0) {
          throw new BenchError(
            'TRANSPORT',
            `activemq at ${session.address}: ${left.join(', ')} emptied but still present after ${gcWaitMs} ms ` +
              '(STOMP cannot delete queues; the broker needs gcInactiveDestinations, or a consumer is still attached)',
          );
        }
      });
    },

    async cleanupStale(spec, prefixStem, onLeft) {
      return withSession(spec, async (session) => {
        const mine = (n: string) => n.startsWith(`${spec.prefix}.`) || n.startsWith(`DLQ.${spec.prefix}.`);
        const stale = (await queueStats(session, '>'))
          .filter((q) => (q.name.startsWith(prefixStem) || q.name.startsWith(`DLQ.${prefixStem}`)) && !mine(q.name))
          // a queue with a consumer belongs to a run that is still going
          .filter((q) => {
            if (q.consumers > 0) onLeft?.(q.name, `${q.consumers} consumer(s) attached: a run still going`);
            return q.consumers === 0;
          })
          .map((q) => q.name);
        const left = new Set(await remove(session, stale));
        return stale.filter((n) => !left.has(n));
      });
    },

    async connect(spec, _clientId) {
      const session = await open(spec.endpoints);
      return new ActivemqConnection(session, spec, spec.settings.prefetch, () => open(spec.endpoints));
    },

    async backlog(spec): Promise<BacklogSample[]> {
      return withSession(spec, async (session) => {
        const sizes = new Map((await queueStats(session, `${spec.prefix}.>`)).map((q) => [q.name, q.size]));
        return ALL_CHANNELS.map((channel) => {
          const name = queueName(spec.prefix, channel);
          return { channel, name, depth: sizes.get(name) ?? 0 };
        });
      });
    },

    async check(endpoints, timeoutMs) {
      const session = await open(endpoints, timeoutMs);
      await session.close(500);
    },

    async ping(endpoints) {
      try {
        const session = await open(endpoints, 1000);
        await session.close(500);
        return true;
      } catch {
        return false;
      }
    },
  };
}

export default createAdapter;
