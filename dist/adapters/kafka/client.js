import kafkajs from 'kafkajs';
import { BenchError, UnreachableError } from '../../src/contract/errors.js';
import { BROKER_RETRY } from '../../src/contract/retry.js';
const { Kafka, logLevel } = kafkajs;
/**
 * The shared retry policy (src/contract/retry.ts) in kafkajs's terms: kafkajs retries
 * requests itself, with the same shape (exponential, capped, ±factor jitter), so it is
 * given the same numbers as every other adapter's retries instead of its own defaults.
 */
export function kafkajsRetry(policy) {
    return { initialRetryTime: policy.initialDelayMs, retries: policy.retries, maxRetryTime: policy.maxDelayMs, multiplier: policy.multiplier, factor: policy.jitter };
}
/** Timeouts and retries of every client the adapter opens. */
export const CLIENT_TIMING = {
    connectionTimeoutMs: 3_000,
    requestTimeoutMs: 30_000,
    /** reconnects, metadata refreshes and produce requests: the shared BROKER_RETRY */
    retry: kafkajsRetry(BROKER_RETRY),
};
/**
 * kafkajs logs to the console by default. Keep only errors the adapter does not
 * handle itself: handler failures are rethrown on purpose (the partition is retried),
 * connection and produce failures are retried by kafkajs and, when retries run out,
 * reach the caller as a wrapped error. BENCH_KAFKAJS_LOG=debug|info|warn|error shows
 * everything from that level up instead.
 */
const RETRIED = [
    ['Connection', /./],
    ['BrokerPool', /Failed to connect to seed broker/],
    ['Producer', /Failed to send messages/],
    ['Runner', /Error when calling eachMessage/],
    ['Consumer', /Restarting the consumer/],
];
const VERBOSE = { debug: logLevel.DEBUG, info: logLevel.INFO, warn: logLevel.WARN, error: logLevel.ERROR };
const quietLogCreator = () => (entry) => {
    const verbose = VERBOSE[process.env.BENCH_KAFKAJS_LOG ?? ''];
    if (verbose === undefined) {
        if (entry.level > logLevel.ERROR)
            return;
        if (RETRIED.some(([ns, re]) => entry.namespace === ns && re.test(entry.log.message)))
            return;
    }
    else if (entry.level > verbose)
        return;
    const error = entry.log.error ? ` (${String(entry.log.error)})` : '';
    process.stderr.write(`kafkajs ${entry.namespace}: ${entry.log.message}${error}\n`);
};
export function createClient(brokers, clientId) {
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
export function addressOf(brokers) {
    return brokers.join(',');
}
function causeChain(err) {
    const out = [];
    let e = err;
    for (let i = 0; e && i < 8; i++) {
        out.push(e);
        const next = e.originalError ?? e.cause;
        e = next;
    }
    return out;
}
function isConnectionFailure(err) {
    return causeChain(err).some((e) => {
        const name = e.name;
        const code = e.code;
        return (name === 'KafkaJSConnectionError' ||
            name === 'KafkaJSBrokerNotFound' ||
            name === 'KafkaJSNoBrokerAvailableError' ||
            code === 'ECONNREFUSED' ||
            code === 'EHOSTUNREACH' ||
            code === 'ETIMEDOUT');
    });
}
function messageOf(err) {
    const m = err?.message;
    return typeof m === 'string' && m ? m : String(err);
}
/** One line naming the address: `kafka at 127.0.0.1:9092 unreachable: Connection refused`. */
export function wrapError(err, brokers, action) {
    if (err instanceof BenchError)
        return err;
    const address = addressOf(brokers);
    const detail = messageOf(err).replace(/\s+/g, ' ').trim();
    if (isConnectionFailure(err)) {
        return new UnreachableError(address, `kafka at ${address} unreachable (${action}): ${detail}`, { cause: err });
    }
    const retriable = Boolean(err?.retriable);
    return new BenchError('TRANSPORT', `kafka at ${address}: ${action} failed: ${detail}`, { cause: err, retriable });
}
//# sourceMappingURL=client.js.map