import type { Consumer, EachMessagePayload, Kafka as KafkaClient } from 'kafkajs';
import { IntervalCommitter } from './offsets.js';
import type { OrderEvent } from '../../src/contract/events.js';
import type { EventHandler, Subscription } from '../../src/contract/transport.js';
import { TimeoutError } from '../../src/contract/errors.js';
import { isRetriable, maxTotalDelayMs } from '../../src/contract/retry.js';
import { KAFKA_BROKER_RETRY, KAFKA_CONSUMER_RETRY, kafkajsRetry } from './client.js';
import { reDiscoverCoordinators } from './coordinator.js';
import { CONSUMER_TIMING } from './names.js';
import type { RequestCounts } from './request-counts.js';

export interface SubscriberOptions {
  topic: string;
  groupId: string;
  /** partitions handled at once by this member (one message at a time per partition) */
  partitionsConsumedConcurrently: number;
  handler: EventHandler;
  /** told when the consumer crashed and kafkajs will not restart it */
  onGaveUp: (err: unknown) => void;
  /** where the consumer's broker requests are counted */
  requests?: RequestCounts;
  /**
   * ms between commits of handled offsets (one request for every partition handled
   * meanwhile, and at once when a rebalance begins or the member stops); 0: kafkajs
   * commits after every fetched batch
   */
  commitIntervalMs: number;
}

/** how long close() waits for handlers still running before it commits and leaves */
const CLOSE_WAIT_MS = 5_000;

/**
 * One member of a channel's consumer group. Each partition is handled one message
 * at a time, so one customer's events (one key, one partition) are never handled
 * concurrently and never out of order. kafkajs commits an offset only after the
 * handler of that message resolved. A handler that throws stops the partition at
 * that offset: kafkajs fetches again from it after a backoff, so the same record is
 * handled again before anything behind it. Kafka has no redelivered flag: this member
 * remembers the offsets whose handling failed and flags their next delivery.
 *
 * Retries follow KAFKA_CONSUMER_RETRY (HANDLER_RETRY's bound), handed to kafkajs (it re-fetches the
 * failed offset with that backoff). A handler error that is not retriable is marked
 * `retriable: false`, which kafkajs respects: the consumer crashes without a restart,
 * and that is reported through `onGaveUp`, as when the retries run out.
 */
export async function startSubscriber(client: KafkaClient, o: SubscriberOptions): Promise<Subscription> {
  reDiscoverCoordinators();
  const consumer: Consumer = client.consumer({
    groupId: o.groupId,
    sessionTimeout: CONSUMER_TIMING.sessionTimeoutMs,
    heartbeatInterval: CONSUMER_TIMING.heartbeatIntervalMs,
    rebalanceTimeout: CONSUMER_TIMING.rebalanceTimeoutMs,
    maxWaitTimeInMs: CONSUMER_TIMING.maxWaitTimeMs,
    allowAutoTopicCreation: false,
    retry: {
      ...kafkajsRetry(KAFKA_CONSUMER_RETRY),
      // a crashed consumer restarts (rejoins) while it has been failing for less than the
      // broker bound (KAFKA_BROKER_RETRY's); past it the connection gives up instead of retrying forever
      restartOnFailure: async () => {
        crashingSinceMs ??= Date.now();
        return Date.now() - crashingSinceMs < maxTotalDelayMs(KAFKA_BROKER_RETRY);
      },
    },
  });
  o.requests?.watch(consumer);
  const failedAttempts = new Map<string, number>();
  /** when the consumer began crashing without joining its group again since */
  let crashingSinceMs: number | undefined;
  consumer.on(consumer.events.GROUP_JOIN, () => (crashingSinceMs = undefined));

  const committer = o.commitIntervalMs > 0 ? intervalCommits(consumer, o.topic, o.commitIntervalMs) : undefined;
  let running = 0;
  // kafkajs heartbeats only between records: a handler whose publish waits out a leader
  // election (9 s until a killed broker is fenced, then the retry) would be dropped from
  // its group after sessionTimeout, and its records delivered again after a rebalance.
  // Heartbeating while handlers wait keeps the member, as the Java client's heartbeat
  // thread does (kafkajs sends one only when heartbeatInterval has passed since the last).
  let beat: (() => Promise<void>) | undefined;
  const beating = setInterval(() => {
    if (running > 0) void beat?.().catch(() => {});
  }, CONSUMER_TIMING.heartbeatIntervalMs);
  beating.unref();
  const eachMessage = async ({ topic, partition, message, heartbeat }: EachMessagePayload): Promise<void> => {
    const key = `${partition}@${message.offset}`;
    const redelivered = failedAttempts.has(key);
    const event = JSON.parse(message.value?.toString('utf8') ?? 'null') as OrderEvent;
    const generation = committer?.current ?? 0;
    running++;
    beat = heartbeat;
    try {
      await o.handler(event, { redelivered, source: `${topic}[${partition}]` });
    } catch (e) {
      failedAttempts.set(key, (failedAttempts.get(key) ?? 0) + 1);
      // kafkajs retries anything not marked otherwise; the shared rule retries only what says retriable
      if (!isRetriable(e) && e && typeof e === 'object') Object.assign(e, { retriable: false });
      throw e;
    } finally {
      running--;
    }
    committer?.handled(generation, partition, message.offset);
    if (redelivered) failedAttempts.delete(key);
  };

  let removeJoin: (() => void) | undefined;
  let removeCrash: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  const joined = new Promise<void>((resolve, reject) => {
    removeJoin = consumer.on(consumer.events.GROUP_JOIN, () => resolve());
    removeCrash = consumer.on(consumer.events.CRASH, (e) => {
      if (!e.payload.restart) reject(e.payload.error);
    });
    timer = setTimeout(
      () => reject(new TimeoutError(`consumer of ${o.topic} did not join group ${o.groupId} within ${CONSUMER_TIMING.joinTimeoutMs} ms`)),
      CONSUMER_TIMING.joinTimeoutMs,
    );
  });

  joined.catch(() => {}); // awaited below; this only keeps an early rejection from being reported as unhandled

  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [o.topic], fromBeginning: true });
    await consumer.run({ partitionsConsumedConcurrently: o.partitionsConsumedConcurrently, autoCommit: committer === undefined, eachMessage });
    await joined;
  } catch (e) {
    clearInterval(beating);
    await consumer.disconnect().catch(() => {});
    throw e;
  } finally {
    clearTimeout(timer);
    removeJoin?.();
    removeCrash?.();
  }

  let closing: Promise<void> | undefined;
  consumer.on(consumer.events.CRASH, (e) => {
    if (!e.payload.restart && !closing) o.onGaveUp(e.payload.error);
  });
  committer?.start();
  /** no new records; the handlers still running finish; what they handled is committed; then the member leaves */
  const close = async (): Promise<void> => {
    if (committer) {
      try {
        consumer.pause([{ topic: o.topic }]);
      } catch {
        // a consumer that crashed for good delivers nothing more: there is nothing to pause
      }
      const deadline = Date.now() + CLOSE_WAIT_MS;
      while (running > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      await committer.stop();
    }
    clearInterval(beating);
    await consumer.disconnect();
  };
  return {
    close: () => (closing ??= close()),
  };
}

/**
 * Offsets committed on a timer (autoCommit off): after its handler resolved, a record's
 * offset waits at most `intervalMs` to be committed with every other partition's. When a
 * rebalance begins (kafkajs `REBALANCING`, emitted just before it re-joins), what is
 * pending is committed at once: that request goes out on the coordinator connection
 * ahead of the JoinGroup, while the group still accepts the old generation's commits.
 */
function intervalCommits(consumer: Consumer, topic: string, intervalMs: number): IntervalCommitter {
  const committer = new IntervalCommitter({
    intervalMs,
    commit: (offsets) => consumer.commitOffsets(offsets.map((p) => ({ topic, ...p }))),
    // kafkajs retried it already (KAFKA_CONSUMER_RETRY); the offsets stay pending for the next commit
    onError: () => {},
  });
  consumer.on(consumer.events.REBALANCING, () => void committer.revoke());
  consumer.on(consumer.events.GROUP_JOIN, () => committer.reset());
  return committer;
}
