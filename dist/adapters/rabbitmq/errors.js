import { BenchError, TimeoutError, UnreachableError } from '../../src/contract/errors.js';
import { secretSource, tlsFailure, tlsSummary } from '../../src/contract/secrets.js';
/** `host:port` of an AMQP URL, without credentials. */
export function addressOf(url) {
    try {
        const u = new URL(url);
        const port = u.port || (u.protocol === 'amqps:' ? '5671' : '5672');
        return `${u.hostname}:${port}`;
    }
    catch {
        return '(invalid url)';
    }
}
const SOCKET_CAUSES = {
    ECONNREFUSED: 'connection refused',
    ECONNRESET: 'connection reset',
    EHOSTUNREACH: 'host unreachable',
    ENETUNREACH: 'network unreachable',
    ENOTFOUND: 'host not found',
    EAI_AGAIN: 'host lookup failed',
    ETIMEDOUT: 'connect timed out',
};
/** Wraps an error from connecting or talking to the broker; `doing` says what was attempted. */
export function rabbitError(address, doing, err) {
    if (err instanceof BenchError)
        return err;
    const e = err;
    const message = typeof e?.message === 'string' ? e.message : String(err);
    const code = typeof e?.code === 'string' ? e.code : undefined;
    if (code && SOCKET_CAUSES[code]) {
        return new UnreachableError(address, `rabbitmq at ${address} unreachable: ${SOCKET_CAUSES[code]}`, { cause: err });
    }
    if (/ETIMEDOUT/.test(message))
        return new TimeoutError(`rabbitmq at ${address} unreachable: connect timed out`, { cause: err });
    if (/ACCESS_REFUSED|403/.test(message)) {
        return new BenchError('TRANSPORT', `rabbitmq at ${address} refused the login (check user, password and vhost)`, { cause: err });
    }
    // amqplib's channel errors read `Channel closed by server: 404 (NOT-FOUND) with message "..."`.
    const firstLine = message.split('\n')[0];
    return new BenchError('TRANSPORT', `rabbitmq at ${address}: ${doing} failed: ${firstLine}`, { cause: err, retriable: false });
}
/** How the endpoint connects, without secrets: `amqps, user bench, TLS (CA /x/ca.pem)`. */
export function securitySummary(e) {
    let tlsOn = false;
    let user = 'guest';
    try {
        const u = new URL(e.url);
        tlsOn = u.protocol === 'amqps:';
        if (u.username)
            user = decodeURIComponent(u.username);
    }
    catch {
        /* described as plain */
    }
    if (e.username !== undefined)
        user = e.username;
    return [tlsOn ? 'amqps' : 'amqp', `user ${user}`, ...(tlsOn ? [tlsSummary(e.tls)] : [])].join(', ');
}
/**
 * A failed connect as one line: refused login, untrusted certificate, a plaintext client
 * at a TLS port, or the socket causes of rabbitError. Login and TLS failures are not
 * retriable: trying again cannot fix a password or a certificate.
 */
export function connectError(e, err) {
    if (err instanceof BenchError)
        return err;
    const address = addressOf(e.url);
    const how = securitySummary(e);
    const message = String(err?.message ?? err);
    if (/ACCESS[-_]REFUSED|403/.test(message)) {
        const from = e.password ? ` (password from ${secretSource(e.password)})` : '';
        return new UnreachableError(address, `rabbitmq at ${address} (${how}): the login was refused${from}; check the user, its password and its access to the vhost`, { cause: err, retriable: false });
    }
    const tls = tlsFailure(err);
    if (tls)
        return new UnreachableError(address, `rabbitmq at ${address} (${how}): ${tls}`, { cause: err, retriable: false });
    if (!how.startsWith('amqps') && /closed abruptly|ECONNRESET|socket hang up/i.test(`${message} ${String(err?.code ?? '')}`)) {
        return new UnreachableError(address, `rabbitmq at ${address} (${how}): the server closed the connection during the AMQP handshake; a TLS port? (use amqps://)`, { cause: err, retriable: false });
    }
    return rabbitError(address, 'connecting', err);
}
//# sourceMappingURL=errors.js.map