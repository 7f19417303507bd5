import { createRequire } from 'node:module';
import stompit from 'stompit';
import { withTimeout } from './process.js';

/**
 * stompit 1.0.0 with its ERROR-frame bug guarded. Its ERROR handler reads the frame body
 * in a callback where `this` is the frame, not the client, so a text/plain ERROR frame
 * (a refused CONNECT, say) throws a TypeError nobody can catch and kills the process.
 * The guard replaces that handler with one that destroys the client with the error,
 * which reaches the connect callback or `client.on('error')` as usual.
 */

type Frame = NodeJS.ReadableStream & { headers: Record<string, string> };
interface ClientInternals {
  setCommandHandlers(handlers: Record<string, unknown>): void;
  createApplicationError(message: string): Error & { longMessage?: string };
  destroy(err?: Error): void;
}

const ERROR_BODY_MAX = 4096;

function onErrorFrame(this: ClientInternals, frame: Frame): void {
  const error = this.createApplicationError(frame.headers.message ?? 'server sent ERROR frame');
  const chunks: Buffer[] = [];
  let size = 0;
  frame.on('data', (c: Buffer) => {
    if (size < ERROR_BODY_MAX) chunks.push(c);
    size += c.length;
  });
  frame.on('end', () => {
    error.longMessage = Buffer.concat(chunks).toString('utf8').slice(0, ERROR_BODY_MAX);
    this.destroy(error);
  });
  frame.on('error', () => this.destroy(error));
}

let guarded = false;

/** Patches stompit's Client once per process (idempotent). */
export function guardStompit(): void {
  if (guarded) return;
  const require = createRequire(import.meta.url);
  const Client = require('stompit/lib/Client.js') as { prototype: ClientInternals };
  const original = Client.prototype.setCommandHandlers;
  Client.prototype.setCommandHandlers = function (this: ClientInternals, handlers: Record<string, unknown>) {
    const fixed = 'ERROR' in handlers ? { ...handlers, ERROR: onErrorFrame } : handlers;
    original.call(this, fixed);
  };
  guarded = true;
}

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
