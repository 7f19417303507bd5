import stompit from 'stompit';
import { guardStompit } from '../../adapters/activemq/stompit-guard.js';
import { withTimeout } from './process.js';

/** The guard lives with the adapter that owns stompit; re-exported for callers of this module. */
export { guardStompit };

export interface StompConnectOptions {
  host: string;
  port: number;
  /** STOMP `host` header: RabbitMQ reads it as the vhost and needs '/' */
  vhost?: string;
  timeoutMs?: number;
  /** stomp+ssl, trusting this CA (PEM) */
  tlsCa?: Buffer;
  login?: { username: string; password: string };
}

/** Connects with the guard on, Nagle off and a timeout; rejects instead of crashing. */
export function stompConnect(opts: StompConnectOptions): Promise<stompit.Client> {
  guardStompit();
  const timeoutMs = opts.timeoutMs ?? 5000;
  let client: stompit.Client | undefined;
  const connecting = new Promise<stompit.Client>((resolve, reject) => {
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
    } as stompit.connect.ConnectOptions, (err, c) => (err ? reject(err) : resolve(c)));
    client.on('error', () => undefined);
    const socket = (client as unknown as { getTransportSocket?: () => { setNoDelay?: (v: boolean) => void } }).getTransportSocket?.();
    socket?.setNoDelay?.(true);
  });
  return withTimeout(connecting, timeoutMs, `STOMP connect to ${opts.host}:${opts.port}`).catch((err: unknown) => {
    if (client) stompDestroy(client);
    throw err;
  });
}

/** Closes the connection at once (no DISCONNECT receipt to wait for). */
export function stompDestroy(client: stompit.Client): void {
  (client as unknown as { destroy(err?: Error): void }).destroy();
}
