/** Turns amqplib and socket errors into one clear line that names the broker's address. */
import { BenchError, TimeoutError, UnreachableError } from '../../src/contract/errors.js';
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
//# sourceMappingURL=errors.js.map