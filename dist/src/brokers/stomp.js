import stompit from 'stompit';
import { guardStompit } from '../../adapters/activemq/stompit-guard.js';
import { withTimeout } from './process.js';
/** The guard lives with the adapter that owns stompit; re-exported for callers of this module. */
export { guardStompit };
/** Connects with the guard on, Nagle off and a timeout; rejects instead of crashing. */
export function stompConnect(opts) {
    guardStompit();
    const timeoutMs = opts.timeoutMs ?? 5000;
    let client;
    const connecting = new Promise((resolve, reject) => {
        client = stompit.connect({
            host: opts.host,
            port: opts.port,
            timeout: timeoutMs,
            ...(opts.tlsCa ? { ssl: true, ca: opts.tlsCa, rejectUnauthorized: true } : {}),
            connectHeaders: {
                ...(opts.vhost ? { host: opts.vhost } : {}),
                'heart-beat': '0,0',
                ...(opts.login ? { login: opts.login.username, passcode: opts.login.password } : {}),
            },
        }, (err, c) => (err ? reject(err) : resolve(c)));
        client.on('error', () => undefined);
        const socket = client.getTransportSocket?.();
        socket?.setNoDelay?.(true);
    });
    return withTimeout(connecting, timeoutMs, `STOMP connect to ${opts.host}:${opts.port}`).catch((err) => {
        if (client)
            stompDestroy(client);
        throw err;
    });
}
/** Closes the connection at once (no DISCONNECT receipt to wait for). */
export function stompDestroy(client) {
    client.destroy();
}
//# sourceMappingURL=stomp.js.map