/**
 * The one retry helper of the harness (in the manner of kafkajs's src/retry): capped
 * attempts, exponential backoff with jitter, and only errors that say `retriable: true`
 * are tried again. When it gives up it says on what, after how many attempts and how long.
 *
 * It lives in src/contract because every adapter must retry the same way (a transport
 * that retries longer or faster would be compared unfairly) and adapters may import only
 * src/contract and their client library. Like errors.ts beside it, it depends on nothing.
 */
import type { ErrorCode } from './error-catalogue.js';
import { BenchError } from './errors.js';

export interface RetryPolicy {
  /** attempts after the first one; the total is `retries + 1` */
  retries: number;
  /** wait before the first retry, ms (before jitter) */
  initialDelayMs: number;
  /** no wait is longer than this, ms (after jitter) */
  maxDelayMs: number;
  /** each wait is this many times the one before */
  multiplier: number;
  /** each wait is drawn uniformly from ±`jitter` of its nominal value (0.2 = ±20 %) */
  jitter: number;
}

/**
 * Reconnecting to a broker and re-sending what it did not acknowledge: 250 ms doubling to
 * 5 s, 12 retries, about 43 s in all, enough for a broker restart (Kafka answers ~25 s after
 * a SIGKILL here) and short enough that a broker that stays away fails the run.
 */
export const BROKER_RETRY: RetryPolicy = { retries: 12, initialDelayMs: 250, maxDelayMs: 5_000, multiplier: 2, jitter: 0.2 };

/**
 * Handling one consumed event again after its handler threw: 50 ms doubling to 5 s,
 * 16 retries (about 51 s), so a handler whose own publishes wait out a broker restart
 * is not given up on before the broker connection itself would be.
 */
export const HANDLER_RETRY: RetryPolicy = { retries: 16, initialDelayMs: 50, maxDelayMs: 5_000, multiplier: 2, jitter: 0.2 };

/** The nominal waits of a policy before jitter, ms; `delays[i]` precedes attempt `i + 2`. */
export function nominalDelaysMs(policy: RetryPolicy): number[] {
  return Array.from({ length: policy.retries }, (_, i) => Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.multiplier ** i));
}

/** The longest a policy can wait in all (every wait at its upper jitter bound, capped), ms. */
export function maxTotalDelayMs(policy: RetryPolicy): number {
  return nominalDelaysMs(policy).reduce((sum, d) => sum + Math.min(policy.maxDelayMs, d * (1 + policy.jitter)), 0);
}

/** One line for READMEs and a transport's `delivery`: `12 retries, 250 ms ×2 to 5000 ms, ±20 % jitter (≤ 51 s)`. */
export function describePolicy(policy: RetryPolicy): string {
  const jitter = Math.round(policy.jitter * 100);
  return `${policy.retries} retries, ${policy.initialDelayMs} ms ×${policy.multiplier} to ${policy.maxDelayMs} ms, ±${jitter} % jitter (≤ ${Math.round(maxTotalDelayMs(policy) / 1000)} s in all)`;
}

/** The wait before retry number `retry` (0-based), jittered with `random()` in [0, 1). */
export function delayMs(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  const nominal = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.multiplier ** retry);
  const spread = nominal * policy.jitter;
  return Math.max(0, Math.min(policy.maxDelayMs, Math.round(nominal - spread + random() * 2 * spread)));
}

/** Only errors that say so are retried: a BenchError built retriable, or a client error flagged `retriable: true`. */
export function isRetriable(err: unknown): boolean {
  return Boolean(err && typeof err === 'object' && (err as { retriable?: unknown }).retriable === true);
}

/** What a retry gave up on: the last error is its cause, its code is kept so results count it under the same code. */
export class RetryGaveUpError extends BenchError {
  readonly attempts: number;
  readonly elapsedMs: number;
  /** what was being attempted, e.g. `reconnecting to activemq at 127.0.0.1:61613` */
  readonly what: string;
  constructor(what: string, attempts: number, elapsedMs: number, last: unknown, why: 'exhausted' | 'not retriable' | 'stopped') {
    const code: ErrorCode = last instanceof BenchError ? last.code : 'TRANSPORT';
    const reason = why === 'exhausted' ? `after ${attempts} attempts in ${(elapsedMs / 1000).toFixed(1)} s` : why === 'stopped' ? `after ${attempts} attempts: stopped` : `after ${attempts} attempt${attempts > 1 ? 's' : ''}: not retriable`;
    const detail = last instanceof Error ? last.message : String(last);
    super(code, `gave up on ${what} ${reason}: ${detail}`, { cause: last, retriable: false });
    this.name = 'RetryGaveUpError';
    this.attempts = attempts;
    this.elapsedMs = elapsedMs;
    this.what = what;
  }
}

export interface RetryOptions {
  policy: RetryPolicy;
  /** stops waiting and gives up (close, shutdown) */
  signal?: AbortSignal;
  /** told before each wait: the error, the attempt that failed (1-based), the wait */
  onRetry?: (err: unknown, attempt: number, waitMs: number) => void;
  /** for tests: the jitter source and the clock's sleep */
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
}

function sleepMs(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Calls `attempt` until it resolves. A non-retriable error, running out of retries, or the
 * signal firing ends it with a RetryGaveUpError naming `what`. `attempt` receives its
 * 1-based number.
 */
export async function retry<T>(what: string, attempt: (n: number) => Promise<T>, o: RetryOptions): Promise<T> {
  const sleep = o.sleep ?? sleepMs;
  const now = o.now ?? Date.now;
  const started = now();
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (err) {
      if (o.signal?.aborted) throw new RetryGaveUpError(what, n, now() - started, err, 'stopped');
      if (!isRetriable(err)) throw new RetryGaveUpError(what, n, now() - started, err, 'not retriable');
      if (n > o.policy.retries) throw new RetryGaveUpError(what, n, now() - started, err, 'exhausted');
      const wait = delayMs(o.policy, n - 1, o.random);
      o.onRetry?.(err, n, wait);
      await sleep(wait, o.signal);
      if (o.signal?.aborted) throw new RetryGaveUpError(what, n, now() - started, err, 'stopped');
    }
  }
}

/** A connection's once-only "gave up" notice: listeners hear the first error; a late listener hears it at once. */
export class GaveUpNotice {
  private readonly listeners = new Set<(err: BenchError) => void>();
  private error: BenchError | undefined;

  get given(): BenchError | undefined {
    return this.error;
  }

  listen(listener: (err: BenchError) => void): void {
    this.listeners.add(listener);
    if (this.error) listener(this.error);
  }

  give(err: unknown): void {
    if (this.error) return;
    this.error = err instanceof BenchError ? err : new BenchError('TRANSPORT', err instanceof Error ? err.message : String(err), { cause: err });
    for (const l of this.listeners) l(this.error);
  }
}
