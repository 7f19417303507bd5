/**
 * One member of a channel's consumer group: a STOMP subscription with client-individual
 * acks, and a queue per customer so that one customer's events are handled one at a time,
 * in the order the broker delivered them, while different customers run concurrently (at
 * most `prefetch` unacknowledged messages in all).
 *
 * A handler that throws a retriable error is called again locally, with `redelivered: true`,
 * under the shared handler policy (src/contract/retry.ts); the customer's later events wait
 * behind it. When the policy gives up (retries spent, or an error that is not retriable) the
 * member stops taking messages and says so through `onGaveUp`. No NACK is ever sent for a failed handler
 * (ActiveMQ would dead-letter the message). If the member goes away before the handler
 * succeeds (close, crash), the message is still unacknowledged and the broker redelivers
 * it to another member of the group.
 */
import type { Channel, OrderEvent } from '../../src/contract/events.js';
import type { BenchError } from '../../src/contract/errors.js';
import { HANDLER_RETRY, retry, type RetryPolicy } from '../../src/contract/retry.js';
import type { EventHandler, Subscription } from '../../src/contract/transport.js';
import type { StompMessage, StompSession, StompSubscription } from './stomp.js';

export interface ConsumerOptions {
  channel: Channel;
  /** `/queue/<prefix>.<channel>` */
  destination: string;
  prefetch: number;
  /** local retries of a failed handler (default: the shared HANDLER_RETRY) */
  retryPolicy?: RetryPolicy;
  /** told once when a handler's retries gave up; the member then takes no more messages */
  onGaveUp?: (err: BenchError) => void;
  /** how long close() waits for handlers that are running */
  drainMs?: number;
}

interface CustomerLane {
  /** each message with the session it came on: it can be acknowledged only there */
  items: { message: StompMessage; event: OrderEvent; session: StompSession }[];
  running: boolean;
}

export class ChannelConsumer implements Subscription {
  private readonly lanes = new Map<string, CustomerLane>();
  /** ends retry backoffs early when the member closes */
  private readonly stop = new AbortController();
  private readonly running = new Set<Promise<void>>();
  private sub: StompSubscription | undefined;
  private closing = false;
  /** a handler's retries gave up: nothing more is handled or acknowledged */
  private gaveUp = false;
  /** false once UNSUBSCRIBE is sent: an ACK after it would make ActiveMQ answer with an ERROR frame */
  private acksAllowed = true;

  constructor(
    private session: StompSession,
    private readonly handler: EventHandler,
    private readonly opts: ConsumerOptions,
  ) {}

  start(): void {
    this.sub = this.session.subscribe(
      {
        destination: this.opts.destination,
        ack: 'client-individual',
        'activemq.prefetchSize': String(this.opts.prefetch),
      },
      (m) => this.enqueue(m),
    );
  }

  /**
   * Carries on over a new session after the old one was lost (broker restart): what the
   * old one delivered and did not acknowledge, the broker delivers again; handlers still
   * running for it may finish (up to `drainMs`) but are never acknowledged; then the
   * member subscribes again.
   */
  async rebind(session: StompSession): Promise<void> {
    this.session = session;
    this.lanes.clear();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...this.running]), new Promise((r) => (timer = setTimeout(r, this.opts.drainMs ?? 5000)))]);
    clearTimeout(timer);
    if (this.closing || this.gaveUp || session.failed) return;
    this.start();
  }

  private enqueue(message: StompMessage): void {
    if (this.closing || this.gaveUp) return; // never handled, never acked: the broker redelivers it
    let event: OrderEvent;
    try {
      event = JSON.parse(message.body) as OrderEvent;
    } catch {
      // not an event at all: retrying cannot help; it goes to ActiveMQ's dead-letter queue
      this.session.nack(message);
      return;
    }
    const session = this.session;
    const key = event.customerId;
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = { items: [], running: false };
      this.lanes.set(key, lane);
    }
    lane.items.push({ message, event, session });
    if (!lane.running) {
      lane.running = true;
      const run = this.drainLane(key, lane).finally(() => this.running.delete(run));
      this.running.add(run);
    }
  }

  private async drainLane(key: string, lane: CustomerLane): Promise<void> {
    while (lane.items.length > 0 && !this.closing && !this.gaveUp) {
      const { message, event, session } = lane.items[0]!;
      const handled = await this.handleUntilDone(message, event, session);
      // a message of a lost session is not acknowledged: the broker delivers it again
      if (!handled || !this.acksAllowed || session !== this.session || session.failed) break;
      session.ack(message);
      lane.items.shift();
    }
    lane.running = false;
    if (lane.items.length === 0 && this.lanes.get(key) === lane) this.lanes.delete(key);
  }

  /** Calls the handler until it resolves; false when the member closed or gave up first (message left unacknowledged). */
  private async handleUntilDone(message: StompMessage, event: OrderEvent, session: StompSession): Promise<boolean> {
    const source = this.opts.destination;
    const redelivered = message.headers.redelivered === 'true';
    try {
      await retry(
        `handling ${event.eventId} from ${source}`,
        async (attempt) => {
          if (this.closing || this.gaveUp || session.failed) throw Object.assign(new Error('member closed'), { retriable: false });
          await this.handler(event, { redelivered: redelivered || attempt > 1, source });
        },
        { policy: this.opts.retryPolicy ?? HANDLER_RETRY, signal: this.stop.signal },
      );
      return !session.failed;
    } catch (err) {
      if (!this.closing && !this.gaveUp && !session.failed) {
        // retries spent or not retriable: stop here, loudly; the message stays unacknowledged
        this.gaveUp = true;
        this.stop.abort();
        this.opts.onGaveUp?.(err as BenchError);
      }
      return false;
    }
  }

  /**
   * Stops taking new messages, lets running handlers finish (up to `drainMs`) and acks
   * them, then unsubscribes: everything not acknowledged goes back to the broker.
   */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    this.stop.abort();
    const drained = Promise.allSettled([...this.running]);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([drained, new Promise((r) => (timer = setTimeout(r, this.opts.drainMs ?? 5000)))]);
    clearTimeout(timer);
    this.lanes.clear();
    this.acksAllowed = false;
    await this.sub?.unsubscribe();
  }
}
