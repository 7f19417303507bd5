import kafkajs from 'kafkajs';
import type { Kafka as KafkaClient, KafkaConfig, LogEntry, logCreator, SASLOptions } from 'kafkajs';
import type { KafkaEndpoint } from '../../src/contract/endpoints.js';
import { BenchError, UnreachableError } from '../../src/contract/errors.js';
import type { RetryPolicy } from '../../src/contract/retry.js';
import { readSecret, tlsConnectOptions, tlsFailure, tlsSummary } from '../../src/contract/secrets.js';

const { Kafka, logLevel } = kafkajs;

/**
 * The shared retry policy (src/contract/retry.ts) in kafkajs's terms: kafkajs retries
 * requests itself, with the same shape (exponential, capped, ±factor jitter), so it is
 * given the same numbers as every other adapter's retries instead of its own defaults.
 */
export function kafkajsRetry(policy: RetryPolicy): { initialRetryTime: number; retries: number; maxRetryTime: number; multiplier: number; factor: number } {
  return { initialRetryTime: policy.initialDelayMs, retries: policy.retries, maxRetryTime: policy.maxDelayMs, multiplier: policy.multiplier, factor: policy.jitter };
}

/**
 * Reconnects, metadata refreshes and produce requests: the shared BROKER_RETRY's bound
 * (about 44 s), with the Java client's backoff (retry.backoff.ms 100, retry.backoff.max.ms
 * 1000) instead of waits growing to 5 s. kafkajs refreshes metadata only after a failed
 * attempt and then waits out its backoff before sending to the new leader: after a
 * leader was killed, a 5 s cap kept every producer idle for up to 5 s more once the
 * controller had moved the leadership (failover run: the send that found the new leader
 * went out 8.2 s after the fencing; 1 s cap: see adapters/kafka/README.md).
 */
export const KAFKA_BROKER_RETRY: RetryPolicy = { retries: 47, initialDelayMs: 100, maxDelayMs: 1_000, multiplier: 2, jitter: 0.2 };

/**
 * A consumer's retries: the shared HANDLER_RETRY's bound (about 53 s), with waits of at
 * most 1 s. kafkajs uses one policy for a handler that threw and for its whole fetch
 * loop: one fetcher failing on a dead broker stops every fetcher, and the loop starts
 * again after the next wait. With waits growing to 5 s, a member whose partitions had
 * already moved to live leaders sat out up to 5 s more (failover run: fetch loop
 * restarted 5 s after its last failure, 10 s after the fencing).
 */
export const KAFKA_CONSUMER_RETRY: RetryPolicy = { retries: 56, initialDelayMs: 50, maxDelayMs: 1_000, multiplier: 2, jitter: 0.2 };

/** Timeouts and retries of every client the adapter opens. */
export const CLIENT_TIMING = {
  connectionTimeoutMs: 3_000,
  requestTimeoutMs: 30_000,
  /** reconnects, metadata refreshes and produce requests */
  retry: kafkajsRetry(KAFKA_BROKER_RETRY),
} as const;

/**
 * kafkajs logs to the console by default. Keep only errors the adapter does not
 * handle itself: handler failures are rethrown on purpose (the partition is retried),
 * connection and produce failures are retried by kafkajs and, when retries run out,
 * reach the caller as a wrapped error. BENCH_KAFKAJS_LOG=debug|info|warn|error shows
 * everything from that level up instead.
 */
const RETRIED: ReadonlyArray<[namespace: string | RegExp, message: RegExp]> = [
  ['Connection', /./],
  ['BrokerPool', /Failed to connect to seed broker/],
  // a refused login or a closed handshake reaches the caller as one line naming the address
  [/^SaslAuthenticator/, /authentication failed/i],
  ['BrokerPool', /authentication failed|Closed connection/i],
  ['Producer', /Failed to send messages/],
  ['Runner', /Error when calling eachMessage/],
  ['Consumer', /Restarting the consumer/],
];
const VERBOSE: Record<string, number> = { debug: logLevel.DEBUG, info: logLevel.INFO, warn: logLevel.WARN, error: logLevel.ERROR };

const quietLogCreator: logCreator = () => (entry: LogEntry) => {
  const verbose = VERBOSE[process.env.BENCH_KAFKAJS_LOG ?? ''];
  if (verbose === undefined) {
    if (entry.level > logLevel.ERROR) return;
    if (RETRIED.some(([ns, re]) => (typeof ns === 'string' ? entry.namespace === ns : ns.test(entry.namespace)) && re.test(entry.log.message))) return;
  } else if (entry.level > verbose) return;
  const error = entry.log.error ? ` (${String(entry.log.error)})` : '';
  if (verbose === undefined) {
    process.stderr.write(`kafkajs ${entry.namespace}: ${entry.log.message}${error}\n`);
    return;
  }
  // asked for: the time and what the entry is about (broker, request, group, retry), never credentials
  const { timestamp, message: _m, error: _e, stack: _s, logger: _l, ...about } = entry.log as Record<string, unknown>;
  const fields = Object.entries(about)
    .filter(([k]) => !/sasl|password|secret|token/i.test(k))
    .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(' ');
  process.stderr.write(`${String(timestamp ?? new Date().toISOString())} kafkajs ${entry.namespace}: ${entry.log.message}${error}${fields ? ` ${fields}` : ''}\n`);
};

/** kafkajs `ssl` and `sasl` options for an endpoint; the password is read now, from where the endpoint names it. */
export function securityOptions(e: KafkaEndpoint): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  const security = e.security ?? 'PLAINTEXT';
  const out: Pick<KafkaConfig, 'ssl' | 'sasl'> = {};
  if (security === 'SSL' || security === 'SASL_SSL') out.ssl = tlsConnectOptions(e.tls);
  if (security === 'SASL_PLAINTEXT' || security === 'SASL_SSL') {
    if (!e.sasl) throw new BenchError('INVALID_CONFIG', `kafka at ${addressOf(e.brokers)}: security ${security} needs a sasl mechanism, username and password`);
    out.sasl = { mechanism: e.sasl.mechanism, username: e.sasl.username, password: readSecret(e.sasl.password) } as SASLOptions;
  }
  return out;
}

/** How the endpoint connects, without secrets: `SASL_SSL, SCRAM-SHA-512 as bench, TLS (CA /x/ca.pem)`. */
export function securitySummary(e: KafkaEndpoint): string {
  const security = e.security ?? 'PLAINTEXT';
  const parts: string[] = [security];
  if (e.sasl && security.startsWith('SASL')) parts.push(`${e.sasl.mechanism.toUpperCase()} as ${e.sasl.username}`);
  if (security.endsWith('SSL')) parts.push(tlsSummary(e.tls));
  return parts.join(', ');
}

export interface ClientOptions {
  /** kafkajs retries of a failed request or connection (default CLIENT_TIMING.retry) */
  retries?: number;
  connectionTimeoutMs?: number;
}

export function createClient(endpoint: KafkaEndpoint, clientId: string, o: ClientOptions = {}): KafkaClient {
  return new Kafka({
    clientId,
    brokers: endpoint.brokers,
    ...securityOptions(endpoint),
    connectionTimeout: o.connectionTimeoutMs ?? CLIENT_TIMING.connectionTimeoutMs,
    // a TLS handshake and a SASL exchange come before the first answer
    authenticationTimeout: CLIENT_TIMING.requestTimeoutMs,
    requestTimeout: CLIENT_TIMING.requestTimeoutMs,
    retry: { ...CLIENT_TIMING.retry, ...(o.retries !== undefined ? { retries: o.retries } : {}) },
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

function isAuthenticationFailure(err: unknown): boolean {
  return causeChain(err).some((e) => (e as { name?: unknown }).name === 'KafkaJSSASLAuthenticationError' || (e as { type?: unknown }).type === 'SASL_AUTHENTICATION_FAILED');
}

/** A closed connection before any answer: what a TLS listener does to a plaintext client. */
function isClosedDuringHandshake(err: unknown): boolean {
  return causeChain(err).some((e) => (e as { name?: unknown }).name === 'KafkaJSConnectionClosedError' || /Closed connection|Connection closed/i.test(messageOf(e)));
}

/**
 * One line naming the address (and, for a secure endpoint, how it connected):
 * `kafka at 127.0.0.1:9092 unreachable: Connection refused`. Authentication and TLS
 * failures are not retriable: trying again cannot fix a password or a certificate.
 */
export function wrapError(err: unknown, endpoint: KafkaEndpoint, action: string): BenchError {
  if (err instanceof BenchError) return err;
  const address = addressOf(endpoint.brokers);
  const detail = messageOf(err).replace(/\s+/g, ' ').trim();
  const how = securitySummary(endpoint);
  if (isAuthenticationFailure(err)) {
    return new UnreachableError(address, `kafka at ${address} (${how}): authentication failed (${action}): ${detail}`, { cause: err, retriable: false });
  }
  const tls = tlsFailure(err);
  if (tls) return new UnreachableError(address, `kafka at ${address} (${how}): ${tls}`, { cause: err, retriable: false });
  const security = endpoint.security ?? 'PLAINTEXT';
  if (!security.endsWith('SSL') && isClosedDuringHandshake(err)) {
    return new UnreachableError(address, `kafka at ${address} (${how}): the broker closed the connection before answering; a TLS listener? (set security: SSL or SASL_SSL)`, { cause: err, retriable: false });
  }
  if (isConnectionFailure(err)) {
    return new UnreachableError(address, `kafka at ${address} unreachable (${action}): ${detail}`, { cause: err });
  }
  const retriable = Boolean((err as { retriable?: unknown })?.retriable);
  return new BenchError('TRANSPORT', `kafka at ${address}: ${action} failed: ${detail}`, { cause: err, retriable });
}
