import kafkajs from 'kafkajs';
import type { Kafka as KafkaClient, LogEntry, logCreator } from 'kafkajs';
import { BenchError, UnreachableError } from '../../src/contract/errors.js';
import { BROKER_RETRY, type RetryPolicy } from '../../src/contract/retry.js';

const { Kafka, logLevel } = kafkajs;

/**
 * The shared retry policy (src/contract/retry.ts) in kafkajs's terms: kafkajs retries
 * requests itself, with the same shape (exponential, capped, ±factor jitter), so it is
 * given the same numbers as every other adapter's retries instead of its own defaults.
 */
export function kafkajsRetry(policy: RetryPolicy): { initialRetryTime: number; retries: number; maxRetryTime: number; multiplier: number; factor: number } {
  return { initialRetryTime: policy.initialDelayMs, retries: policy.retries, maxRetryTime: policy.maxDelayMs, multiplier: policy.multiplier, factor: policy.jitter };
}

/** Timeouts and retries of every client the adapter opens. */
export const CLIENT_TIMING = {
  connectionTimeoutMs: 3_000,
  requestTimeoutMs: 30_000,
  /** reconnects, metadata refreshes and produce requests: the shared BROKER_RETRY */
  retry: kafkajsRetry(BROKER_RETRY),
} as const;

/**
 * kafkajs logs to the console by default. Keep only errors the adapter does not
 * handle itself: handler failures are rethrown on purpose (the partition is retried),
 * connection and produce failures are retried by kafkajs and, when retries run out,
 * reach the caller as a wrapped error. BENCH_KAFKAJS_LOG=debug|info|warn|error shows
 * everything from that level up instead.
 */
const RETRIED: ReadonlyArray<[namespace: string, message: RegExp]> = [
  ['Connection', /./],
  ['BrokerPool', /Failed to connect to seed broker/],
  ['Producer', /Failed to send messages/],
  ['Runner', /Error when calling eachMessage/],
  ['Consumer', /Restarting the consumer/],
];
const VERBOSE: Record<string, number> = { debug: logLevel.DEBUG, info: logLevel.INFO, warn: logLevel.WARN, error: logLevel.ERROR };

const quietLogCreator: logCreator = () => (entry: LogEntry) => {
  const verbose = VERBOSE[process.env.BENCH_KAFKAJS_LOG ?? ''];
  if (verbose === undefined) {
    if (entry.level > logLevel.ERROR) return;
    if (RETRIED.some(([ns, re]) => entry.namespace === ns && re.test(entry.log.message))) return;
  } else if (entry.level > verbose) return;
  const error = entry.log.error ? ` (${String(entry.log.error)})` : '';
  process.stderr.write(`kafkajs ${entry.namespace}: ${entry.log.message}${error}\n`);
};

export function createClient(brokers: string[], clientId: string): KafkaClient {
  return new Kafka({
    clientId,
    brokers,
    connectionTimeout: CLIENT_TIMING.connectionTimeoutMs,
    requestTimeout: CLIENT_TIMING.requestTimeoutMs,
    retry: { ...CLIENT_TIMING.retry },
    logLevel: VERBOSE[process.env.BENCH_KAFKAJS_LOG ?? ''] ?? logLevel.ERROR,
    logCreator: quietLogCreator,
  });
}

export function addressOf(brokers: string[]): string {
  return brokers.join(',');
}

function causeChain(err: unknown): unknown[] {
  const out: unknown[] = [];
  let e: unknown = err;
  for (let i = 0; e && i < 8; i++) {
    out.push(e);
    const next = (e as { originalError?: unknown; cause?: unknown }).originalError ?? (e as { cause?: unknown }).cause;
    e = next;
  }
  return out;
}

function isConnectionFailure(err: unknown): boolean {
  return causeChain(err).some((e) => {
    const name = (e as { name?: unknown }).name;
    const code = (e as { code?: unknown }).code;
    return (
      name === 'KafkaJSConnectionError' ||
      name === 'KafkaJSBrokerNotFound' ||
      name === 'KafkaJSNoBrokerAvailableError' ||
      code === 'ECONNREFUSED' ||
      code === 'EHOSTUNREACH' ||
      code === 'ETIMEDOUT'
    );
  });
}

function messageOf(err: unknown): string {
  const m = (err as { message?: unknown })?.message;
  return typeof m === 'string' && m ? m : String(err);
}

/** One line naming the address: `kafka at 127.0.0.1:9092 unreachable: Connection refused`. */
export function wrapError(err: unknown, brokers: string[], action: string): BenchError {
  if (err instanceof BenchError) return err;
  const address = addressOf(brokers);
  const detail = messageOf(err).replace(/\s+/g, ' ').trim();
  if (isConnectionFailure(err)) {
    return new UnreachableError(address, `kafka at ${address} unreachable (${action}): ${detail}`, { cause: err });
  }
  const retriable = Boolean((err as { retriable?: unknown })?.retriable);
  return new BenchError('TRANSPORT', `kafka at ${address}: ${action} failed: ${detail}`, { cause: err, retriable });
}
