/** One partition's offset to commit: the next record to read, as Kafka stores it. */
export interface PartitionOffset {
  partition: number;
  /** the offset after the last handled record */
  offset: string;
}

export interface IntervalCommitterOptions {
  /** ms between commits of the offsets handled meanwhile */
  intervalMs: number;
  /** commits offsets of the member's topic (kafkajs `consumer.commitOffsets`) */
  commit: (offsets: PartitionOffset[]) => Promise<void>;
  /** told when a commit failed; its offsets stay pending for the next one (same generation only) */
  onError?: (err: unknown) => void;
}

/**
 * Commits a consumer's handled offsets on a timer instead of after every fetched batch:
 * one OffsetCommit request per interval carries every partition handled meanwhile.
 *
 * An offset becomes pending only after its handler resolved (`handled`), so nothing
 * unhandled is ever committed. `revoke()` (a rebalance began) commits what is pending
 * at once and starts a new generation: handlers that began before it and finish after
 * it no longer count, as their partitions may have moved. Commits run one after another,
 * so a later commit never lands before an earlier one of the same partition.
 */
export class IntervalCommitter {
  private readonly pending = new Map<number, bigint>();
  private generation = 0;
  private chain: Promise<void> = Promise.resolve();
  private committing = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly o: IntervalCommitterOptions) {}

  /** Starts the timer (unref'd: it never keeps the process alive). */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      // a slow commit is not stacked up behind: the next tick takes everything handled meanwhile
      if (this.committing === 0) void this.flush();
    }, this.o.intervalMs);
    this.timer.unref();
  }

  /** The generation a handler starts in; pass it to `handled`. */
  get current(): number {
    return this.generation;
  }

  /** The record at `offset` of `partition` was handled, by a handler that began in generation `generation`. */
  handled(generation: number, partition: number, offset: string): void {
    if (generation !== this.generation) return;
    const next = BigInt(offset) + 1n;
    const known = this.pending.get(partition);
    if (known === undefined || next > known) this.pending.set(partition, next);
  }

  /** Offsets handled and not yet handed to a commit. */
  get uncommitted(): PartitionOffset[] {
    return [...this.pending].map(([partition, next]) => ({ partition, offset: String(next) }));
  }

  /**
   * Commits what is pending now, after any commit already under way; resolves when it
   * is done (a failure goes to onError and keeps the offsets pending in this generation).
   */
  flush(): Promise<void> {
    const offsets = this.uncommitted;
    this.pending.clear();
    if (offsets.length === 0) return this.chain;
    const generation = this.generation;
    this.committing++;
    this.chain = this.chain.then(async () => {
      try {
        await this.o.commit(offsets);
      } catch (e) {
        if (generation === this.generation) {
          for (const { partition, offset } of offsets) if (!this.pending.has(partition)) this.pending.set(partition, BigInt(offset));
        }
        this.o.onError?.(e);
      } finally {
        this.committing--;
      }
    });
    return this.chain;
  }

  /** A rebalance began: commit what is pending now, and forget handlers still running. */
  revoke(): Promise<void> {
    const done = this.flush();
    this.generation++;
    return done;
  }

  /** A new assignment: nothing pending from before it can be committed any more. */
  reset(): void {
    this.pending.clear();
    this.generation++;
  }

  /** Stops the timer, then commits what is pending. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }
}
