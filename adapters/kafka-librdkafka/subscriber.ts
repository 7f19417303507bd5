import type { OrderEvent } from '../../src/contract/events.js';
import type { EventHandler, Subscription } from '../../src/contract/transport.js';
import { TimeoutError } from '../../src/contract/errors.js';
import { HANDLER_RETRY, maxTotalDelayMs, retry } from '../../src/contract/retry.js';
import { CONSUMER_TIMING } from '../kafka/names.js';
import type { RdConsumer, RdEachMessagePayload, RdKafka, RdTopicPartitionOffset } from './library.js';

/** librdkafka's rebalance codes (RdKafka.CODES.ERRORS) */
const ASSIGN_PARTITIONS = -175;
const REVOKE_PARTITIONS = -174;

/**
 * librdkafka leaves the group when a handler holds its partition longer than this: it
 * must outlast the handler's whole retry (HANDLER_RETRY, ~51 s). librdkafka also uses it
 * as the rebalance timeout.
 */
export const MAX_POLL_INTERVAL_MS = Math.ceil(maxTotalDelayMs(HANDLER_RETRY)) + 10_000;

export interface SubscriberOptions {
  topic: string;
  groupId: string;
  /** partitions handled at once by this member (one message at a time per partition) */
  partitionsConsumedConcurrently: number;
  /** ms between commits of handled offsets (transport.kafka.commitInterval); 0: as soon as the previous one returned */
  commitIntervalMs: number;
  handler: EventHandler;
  /** more librdkafka properties for this consumer (statistics) */
  clientConfig?: Record<string, unknown>;
  /** told when a handler's retries ran out or its error was not retriable */
  onGaveUp: (err: unknown) => void;
}

/**
 * Offsets of handled records, committed explicitly (no auto-commit), as the kafkajs
 * adapter does with `transport.kafka.commitInterval`: every `intervalMs` one OffsetCommit
 * for every partition handled meanwhile, and at once when partitions are revoked or the
 * member stops; with 0, as soon as the previous commit returned. One commit is in flight
 * at a time, and the next record never waits for one.
 */
class Committer {
  private readonly pending = new Map<number, string>();
  private running: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  constructor(
    private readonly consumer: RdConsumer,
    private readonly topic: string,
    private readonly intervalMs: number,
  ) {}

  handled(partition: number, offset: string): void {
    this.pending.set(partition, (BigInt(offset) + 1n).toString());
    if (this.intervalMs === 0) this.running ??= this.loop();
    else if (!this.timer) this.scheduleLater();
  }

  /** resolves when everything handled so far is committed (or its commit failed: redelivered later) */
  async flush(): Promise<void> {
    for (;;) {
      clearTimeout(this.timer);
      this.timer = undefined;
      if (this.running) await this.running;
      else if (this.pending.size > 0) this.running = this.loop();
      else return;
    }
  }

  private async loop(): Promise<void> {
    try {
      while (this.pending.size > 0) {
        const offsets: RdTopicPartitionOffset[] = [...this.pending].map(([partition, offset]) => ({ topic: this.topic, partition, offset }));
        this.pending.clear();
        // a failed commit is not fatal: the records are handled again by whoever owns the partition next
        await this.consumer.commitOffsets(offsets).catch(() => {});
        if (this.intervalMs > 0) break;
      }
    } finally {
      this.running = undefined;
      // records handled while that commit was in flight wait for the next interval
      if (this.intervalMs > 0 && this.pending.size > 0 && !this.timer) this.scheduleLater();
    }
  }

  private scheduleLater(): void {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running ??= this.loop();
    }, this.intervalMs);
  }
}

/**
 * One member of a channel's consumer group. Each partition is handled one record at a
 * time (so one customer's events never overlap or reorder) and its offset is committed
 * only after the handler resolved. A retriable handler error is retried in place under
 * HANDLER_RETRY, flagged redelivered; the partition waits meanwhile. A handler error that
 * is not retriable, or retries running out, pauses the partition at that record
 * (uncommitted, so the broker still has it) and is reported through `onGaveUp`.
 */
export async function startRdSubscriber(client: RdKafka, o: SubscriberOptions): Promise<Subscription> {
  let resolveJoined: () => void = () => {};
  const joined = new Promise<void>((resolve) => (resolveJoined = resolve));
  let committer: Committer | undefined;
  const consumer = client.consumer({
    kafkaJS: {
      groupId: o.groupId,
      fromBeginning: true,
      autoCommit: false,
      sessionTimeout: CONSUMER_TIMING.sessionTimeoutMs,
      heartbeatInterval: CONSUMER_TIMING.heartbeatIntervalMs,
      maxWaitTimeInMs: CONSUMER_TIMING.maxWaitTimeMs,
      allowAutoTopicCreation: false,
    },
    'max.poll.interval.ms': MAX_POLL_INTERVAL_MS,
    ...o.clientConfig,
    rebalance_cb: async (err: { code: number }) => {
      if (err.code === ASSIGN_PARTITIONS) resolveJoined();
      // what this member handled is committed before its partitions move on
      if (err.code === REVOKE_PARTITIONS) await committer?.flush();
    },
  });
  committer = new Committer(consumer, o.topic, o.commitIntervalMs);
  const commits = committer;
  let gaveUp = false;
  let closing: Promise<void> | undefined;

  const eachMessage = async ({ topic, partition, message }: RdEachMessagePayload): Promise<void> => {
    if (gaveUp) throw new Error('gave up');
    const event = JSON.parse(message.value?.toString('utf8') ?? 'null') as OrderEvent;
    const source = `${topic}[${partition}]`;
    try {
      await retry(`handling ${event.eventId} from ${source}`, (attempt) => o.handler(event, { redelivered: attempt > 1, source }), { policy: HANDLER_RETRY });
    } catch (e) {
      // the record stays uncommitted; the library seeks back to it when this throws
      consumer.pause([{ topic, partitions: [partition] }]);
      if (!gaveUp && !closing) {
        gaveUp = true;
        o.onGaveUp(e);
      }
      throw e;
    }
    commits.handled(partition, message.offset);
  };

  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`consumer of ${o.topic} did not join group ${o.groupId} within ${CONSUMER_TIMING.joinTimeoutMs} ms`)), CONSUMER_TIMING.joinTimeoutMs);
  });
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [o.topic] });
    await consumer.run({ partitionsConsumedConcurrently: o.partitionsConsumedConcurrently, eachMessage });
    await Promise.race([joined, deadline]);
  } catch (e) {
    await consumer.disconnect().catch(() => {});
    throw e;
  } finally {
    clearTimeout(timer);
  }
  return {
    close: () =>
      (closing ??= (async () => {
        await commits.flush();
        await consumer.disconnect();
      })()),
  };
}
