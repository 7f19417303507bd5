/**
 * Ordered handling for adapters whose broker hands one member many customers' events
 * at once (NATS, Redis Streams, MQTT): one lane per customer, so a customer's events
 * are handled one after another in delivery order while different customers run
 * concurrently; each event is acknowledged only after its handler succeeded. A failed
 * handler is retried in its lane under the shared HANDLER_RETRY policy, flagged
 * redelivered, and the customer's later events wait behind it. When retrying gives up
 * (a non-retriable error, or retries ran out) the lanes stop and `onGaveUp` is told:
 * nothing more is acknowledged, so the broker keeps every unfinished event.
 *
 * It lives in src/contract beside retry.ts because every adapter must order and retry
 * the same way, and adapters may import only src/contract and their client library.
 */
import { HANDLER_RETRY, retry } from './retry.js';
import type { Delivery, EventHandler } from './transport.js';
import type { OrderEvent } from './events.js';

/** How long `close()` waits for handler calls already running. */
const CLOSE_GRACE_MS = 5_000;

/** FNV-1a, 32 bit, over the UTF-8 bytes: stable across processes, runs and machines. */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** The partition (shard, stream) a customer's events go to: always the same one. */
export function partitionOf(customerId: string, partitions: number): number {
  return fnv1a32(customerId) % partitions;
}

/**
 * The partitions a member owns: `p % members === instance % members`. The observer is
 * its channel's only member, so it owns every partition.
 */
export function ownedPartitions(member: { service: string; instance: number }, members: number, partitions: number): number[] {
  const all = Array.from({ length: partitions }, (_, p) => p);
  const n = member.service === 'observer' ? 1 : Math.max(1, members);
  return all.filter((p) => p % n === member.instance % n);
}

export class CustomerLanes {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly running = new Set<Promise<void>>();
  private readonly stop = new AbortController();
  /** no new event starts (closing, or gave up) */
  private stopped = false;
  /** a handler failed for good: nothing more is acknowledged */
  private gaveUp = false;

  constructor(
    private readonly handler: EventHandler,
    private readonly onGaveUp: (err: unknown) => void,
  ) {}

  /** customers with queued or running work */
  get size(): number {
    return this.tails.size;
  }

  /**
   * Queues `event` behind every earlier event of its customer; calls `ack` once its
   * handler resolved. `ack` is never called for an event whose handling did not finish.
   */
  add(event: OrderEvent, delivery: Delivery, ack: () => void | Promise<void>): void {
    const key = event.customerId;
    const previous = this.tails.get(key) ?? Promise.resolve();
    const next = previous.then(() => this.handle(event, delivery, ack));
    this.tails.set(key, next);
    this.running.add(next);
    void next.finally(() => {
      this.running.delete(next);
      if (this.tails.get(key) === next) this.tails.delete(key);
    });
  }

  private async handle(event: OrderEvent, delivery: Delivery, ack: () => void | Promise<void>): Promise<void> {
    if (this.stopped) return;
    try {
      await retry(
        `handling ${event.eventId} from ${delivery.source}`,
        async (attempt) => {
          if (this.stopped) throw Object.assign(new Error('subscription closed'), { retriable: false });
          await this.handler(event, { ...delivery, redelivered: delivery.redelivered || attempt > 1 });
        },
        { policy: HANDLER_RETRY, signal: this.stop.signal },
      );
    } catch (err) {
      if (!this.stopped) {
        this.gaveUp = true;
        this.halt();
        this.onGaveUp(err);
      }
      return;
    }
    // a handler that finished while the lanes were closing is still acknowledged
    if (this.gaveUp) return;
    try {
      await ack();
    } catch {
      // the connection went away meanwhile: unacknowledged, the broker delivers it again
    }
  }

  private halt(): void {
    this.stopped = true;
    this.stop.abort();
  }

  /**
   * Stops: retry waits end, no further event starts; handler calls already running get
   * up to `graceMs` to finish and be acknowledged. Unfinished events stay unacknowledged.
   */
  async close(graceMs = CLOSE_GRACE_MS): Promise<void> {
    const running = Promise.allSettled([...this.running]);
    // events queued behind a running one must not start: stop before waiting
    this.halt();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([running, new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
  }
}
