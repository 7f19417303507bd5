import kafkajs from 'kafkajs';
import { BenchError, UnreachableError } from '../../src/contract/errors.js';
import { BROKER_RETRY } from '../../src/contract/retry.js';
import { readSecret, tlsConnectOptions, tlsFailure, tlsSummary } from '../../src/contract/secrets.js';
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
    // a refused login or a closed handshake reaches the caller as one line naming the address
    [/^SaslAuthenticator/, /authentication failed/i],
    ['BrokerPool', /authentication failed|Closed connection/i],
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
        if (RETRIED.some(([ns, re]) => (typeof ns === 'string' ? entry.namespace === ns : ns.test(entry.namespace)) && re.test(entry.log.message)))
            return;
    }
    else if (entry.level > verbose)
        return;
    const error = entry.log.error ? ` (${String(entry.log.error)})` : '';
    process.stderr.write(`kafkajs ${entry.namespace}: ${entry.log.message}${error}\n`);
};
/** kafkajs `ssl` and `sasl` options for an endpoint; the password is read now, from where the endpoint names it. */
export function securityOptions(e) {
    const security = e.security ?? 'PLAINTEXT';
    const out = {};
    if (security === 'SSL' || security === 'SASL_SSL')
        out.ssl = tlsConnectOptions(e.tls);
    if (security === 'SASL_PLAINTEXT' || security === 'SASL_SSL') {
        if (!e.sasl)
            throw new BenchError('INVALID_CONFIG', `kafka at ${addressOf(e.brokers)}: security ${security} needs a sasl mechanism, username and password`);
        out.sasl = { mechanism: e.sasl.mechanism, username: e.sasl.username, password: readSecret(e.sasl.password) };
    }
    return out;
}
/** How the endpoint connects, without secrets: `SASL_SSL, SCRAM-SHA-512 as bench, TLS (CA /x/ca.pem)`. */
export function securitySummary(e) {
    const security = e.security ?? 'PLAINTEXT';
    const parts = [security];
    if (e.sasl && security.startsWith('SASL'))
        parts.push(`${e.sasl.mechanism.toUpperCase()} as ${e.sasl.username}`);
    if (security.endsWith('SSL'))
        parts.push(tlsSummary(e.tls));
    return parts.join(', ');
}
export function createClient(endpoint, clientId, o = {}) {
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
function isAuthenticationFailure(err) {
    return causeChain(err).some((e) => e.name === 'KafkaJSSASLAuthenticationError' || e.type === 'SASL_AUTHENTICATION_FAILED');
}
/** A closed connection before any answer: what a TLS listener does to a plaintext client. */
function isClosedDuringHandshake(err) {
    return causeChain(err).some((e) => e.name === 'KafkaJSConnectionClosedError' || /Closed connection|Connection closed/i.test(messageOf(e)));
}
/**
 * One line naming the address (and, for a secure endpoint, how it connected):
 * `kafka at 127.0.0.1:9092 unreachable: Connection refused`. Authentication and TLS
 * failures are not retriable: trying again cannot fix a password or a certificate.
 */
export function wrapError(err, endpoint, action) {
    if (err instanceof BenchError)
        return err;
    const address = addressOf(endpoint.brokers);
    const detail = messageOf(err).replace(/\s+/g, ' ').trim();
    const how = securitySummary(endpoint);
    if (isAuthenticationFailure(err)) {
        return new UnreachableError(address, `kafka at ${address} (${how}): authentication failed (${action}): ${detail}`, { cause: err, retriable: false });
    }
    const tls = tlsFailure(err);
    if (tls)
        return new UnreachableError(address, `kafka at ${address} (${how}): ${tls}`, { cause: err, retriable: false });
    const security = endpoint.security ?? 'PLAINTEXT';
    if (!security.endsWith('SSL') && isClosedDuringHandshake(err)) {
        return new UnreachableError(address, `kafka at ${address} (${how}): the broker closed the connection before answering; a TLS listener? (set security: SSL or SASL_SSL)`, { cause: err, retriable: false });
    }
    if (isConnectionFailure(err)) {
        return new UnreachableError(address, `kafka at ${address} unreachable (${action}): ${detail}`, { cause: err });
    }
    const retriable = Boolean(err?.retriable);
    return new BenchError('TRANSPORT', `kafka at ${address}: ${action} failed: ${detail}`, { cause: err, retriable });
}
//# sourceMappingURL=client.js.map