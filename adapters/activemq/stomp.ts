/**
 * A STOMP session on stompit 1.0.0, made safe for a harness:
 *  - stompit's ERROR-frame handler reads the body in a callback whose `this` is the
 *    frame, so a text/plain ERROR frame (a refused CONNECT, say) throws where nothing can
 *    catch it and kills the process. `guardStompit` swaps that handler for one that
 *    destroys the client with the error, which then reaches our listeners;
 *  - Nagle is switched off on the transport socket (heart-beats are off, and stompit only
 *    sets TCP_NODELAY when they are on);
 *  - receipts are tracked here, one map entry per SEND, instead of stompit's per-send
 *    `onError` listeners that pile up on the client;
 *  - connecting has one overall deadline (TCP connect and the CONNECTED frame).
 */
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import stompit from 'stompit';
import type { ActivemqEndpoint } from '../../src/contract/endpoints.js';
import { BenchError, TimeoutError, UnreachableError } from '../../src/contract/errors.js';
import { readSecret, secretSource, tlsConnectOptions, tlsFailure, tlsSummary } from '../../src/contract/secrets.js';
import { guardStompit } from './stompit-guard.js';

/** The version of the stompit package actually loaded. */
export function stompitVersion(): string {
  const require = createRequire(import.meta.url);
  return (require('stompit/package.json') as { version: string }).version;
}

/** How the endpoint connects, without secrets: `stomp+ssl, login bench, TLS (CA /x/ca.pem)`. */
export function securitySummary(e: ActivemqEndpoint): string {
  return [e.tls ? 'stomp+ssl' : 'stomp', ...(e.username !== undefined ? [`login ${e.username}`] : []), ...(e.tls ? [tlsSummary(e.tls)] : [])].join(', ');
}

/** One incoming MESSAGE: its headers and its body as text. */
export interface StompMessage {
  headers: Record<string, string>;
  body: string;
}

export interface StompSubscription {
  readonly id: string;
  /** sends UNSUBSCRIBE and waits for its receipt (unacknowledged messages go back to the broker) */
  unsubscribe(timeoutMs?: number): Promise<void>;
}

type Headers = Record<string, string>;

function describeCause(err: unknown): string {
  const e = err as { code?: string; message?: string; longMessage?: string };
  if (e?.code === 'ECONNREFUSED') return 'connection refused';
  if (e?.code === 'ECONNRESET') return 'connection reset';
  if (e?.code === 'EHOSTUNREACH' || e?.code === 'ENETUNREACH') return 'host unreachable';
  if (e?.code === 'ENOTFOUND') return 'host not found';
  return e?.message ?? String(err);
}

/** A connected STOMP client with receipts, subscriptions and a clean close. */
/** Addresses this process has had a plain (not TLS) STOMP CONNECTED from. */
const spokeStomp = new Set<string>();

export class StompSession {
  /** the CONNECTED frame's `server` header, e.g. `ActiveMQ/5.17.2` */
  readonly server: string | undefined;
  readonly address: string;
  private readonly client: stompit.Client;
  private readonly pending = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  private readonly failureListeners = new Set<(err: Error) => void>();
  private nextReceipt = 1;
  private failure: Error | undefined;
  private closed = false;

  private constructor(client: stompit.Client, address: string) {
    this.client = client;
    this.address = address;
    this.server = (client as unknown as { headers?: Headers }).headers?.server;
    client.on('error', (err: Error) => this.fail(err));
    client.on('end', () => this.fail(new Error('connection closed')));
  }

  /**
   * Connects within `timeoutMs` (over TLS and with a login when the endpoint says so);
   * rejects with an UnreachableError or a TRANSPORT BenchError, never crashes. A refused
   * login and a TLS failure are not retriable.
   */
  static open(endpoint: ActivemqEndpoint, timeoutMs = 5000): Promise<StompSession> {
    guardStompit();
    const { host, port } = endpoint;
    const address = `${host}:${port}`;
    const how = securitySummary(endpoint);
    const login = endpoint.username !== undefined
      ? { login: endpoint.username, passcode: endpoint.password ? readSecret(endpoint.password) : '' }
      : {};
    const tlsOptions = endpoint.tls ? { ssl: true, ...tlsConnectOptions(endpoint.tls) } : {};
    return new Promise<StompSession>((resolve, reject) => {
      let settled = false;
      let client: stompit.Client | undefined;
      const settle = (err: Error | undefined, session?: StompSession) => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        if (err) {
          if (client) destroyClient(client);
          reject(err);
        } else resolve(session!);
      };
      const deadline = setTimeout(
        () => settle(new TimeoutError(`activemq at ${address} (${how}) unreachable: no STOMP CONNECTED within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const failed = (err: unknown): Error => {
        const e = err as Error & { isApplicationError?: () => boolean; connectArgs?: unknown };
        // stompit hangs its connect options, passcode included, on the error: never let them reach a log
        if (e && typeof e === 'object') delete e.connectArgs;
        const tls = tlsFailure(err);
        if (tls) return new UnreachableError(address, `activemq at ${address} (${how}): ${tls}`, { cause: err, retriable: false });
        if (e.isApplicationError?.()) {
          if (/password|credential|login|authenticat|not authorized|security/i.test(e.message)) {
            const from = endpoint.password ? ` (password from ${secretSource(endpoint.password)})` : '';
            return new UnreachableError(address, `activemq at ${address} (${how}): the login was refused${from}: ${e.message}`, { cause: err, retriable: false });
          }
          return new BenchError('TRANSPORT', `activemq at ${address} refused the STOMP connection: ${e.message}`, { cause: err });
        }
        const cause = describeCause(err);
        // a port that spoke STOMP before is no TLS port: a broker still starting closes
        // connections before CONNECTED, and that is worth another attempt
        if (!endpoint.tls && !spokeStomp.has(`${address} plain`) && /connection (reset|closed)|unexpected end|socket hang up/i.test(cause)) {
          return new UnreachableError(address, `activemq at ${address} (${how}): the broker closed the connection before CONNECTED; a TLS port? (set tls in the target)`, { cause: err, retriable: false });
        }
        return new UnreachableError(address, `activemq at ${address} (${how}) unreachable: ${cause}`, { cause: err });
      };
      try {
        client = stompit.connect(
          { host, port, timeout: timeoutMs, ...tlsOptions, connectHeaders: { host: '/', 'heart-beat': '0,0', ...login } } as stompit.connect.ConnectOptions,
          (err, c) => {
            if (err) return settle(failed(err));
            if (!endpoint.tls) spokeStomp.add(`${address} plain`);
            settle(undefined, new StompSession(c, address));
          },
        );
        // stompit's own listener only lives until CONNECTED; keep one so nothing is unhandled
        client.on('error', () => undefined);
        (client.getTransportSocket() as Socket).setNoDelay?.(true);
      } catch (err) {
        settle(failed(err));
      }
    });
  }

  /** Called once when the connection fails or closes (not after `close()`). */
  onFailure(listener: (err: Error) => void): () => void {
    this.failureListeners.add(listener);
    return () => this.failureListeners.delete(listener);
  }

  get failed(): Error | undefined {
    return this.failure;
  }

  private fail(err: Error): void {
    if (this.failure) return;
    const wrapped =
      err instanceof BenchError
        ? err
        : new BenchError('TRANSPORT', `activemq at ${this.address}: ${describeCause(err)}`, { cause: err, retriable: true });
    this.failure = wrapped;
    for (const p of this.pending.values()) p.reject(wrapped);
    this.pending.clear();
    if (!this.closed) for (const l of this.failureListeners) l(wrapped);
  }

  private assertOpen(): void {
    if (this.failure) throw this.failure;
    if (this.closed) throw new BenchError('TRANSPORT', `activemq at ${this.address}: connection already closed`);
  }

  /** Sends a frame that asks for a receipt; resolves when the RECEIPT arrives. */
  private sendWithReceipt(command: string, headers: Headers, body?: string): Promise<void> {
    try {
      this.assertOpen();
    } catch (err) {
      return Promise.reject(err);
    }
    const id = this.nextReceipt++;
    return new Promise<void>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const onReceipt = () => {
        const p = this.pending.get(id);
        this.pending.delete(id);
        p?.resolve();
      };
      // stompit registers the receipt itself; no per-send onError (listeners would pile up)
      const frame = this.client.sendFrame(command, headers, { onReceipt } as unknown as stompit.Client.SendOptions);
      if (body !== undefined) frame.write(body);
      frame.end();
    });
  }

  /** SEND with a receipt: resolves once the broker has taken the message (persisted, for persistent ones). */
  async send(headers: Headers, body: string): Promise<void> {
    return this.sendWithReceipt('SEND', headers, body);
  }

  /** SUBSCRIBE; messages are delivered one at a time, in the order the broker sent them. */
  subscribe(headers: Headers, onMessage: (m: StompMessage) => void): StompSubscription {
    this.assertOpen();
    const sub = this.client.subscribe({ ...headers }, (err, message) => {
      if (err || !message) return; // the connection failed; `fail` has told the owner
      const msgHeaders = (message as unknown as { headers: Headers }).headers;
      message.readString('utf-8', (readErr, body) => {
        if (readErr) return;
        onMessage({ headers: msgHeaders, body: body ?? '' });
      });
    });
    const id = String(sub.getId());
    return {
      id,
      unsubscribe: async (timeoutMs = 5000) => {
        if (this.failure || this.closed) return;
        // stompit's Subscription.unsubscribe asks for a receipt we cannot await; send our own
        const internals = sub as unknown as { _unsubscribing: boolean };
        internals._unsubscribing = true;
        const receipted = await withDeadline(this.sendWithReceipt('UNSUBSCRIBE', { id }), timeoutMs).then(() => true, () => false);
        // only after the receipt: a MESSAGE for an id stompit no longer knows makes it drop the connection
        if (receipted) delete (this.client as unknown as { _subscriptions: Record<string, unknown> })._subscriptions[id];
      },
    };
  }

  /** ACK one message (STOMP 1.2 `id` header); no receipt, it is not awaited. */
  ack(message: StompMessage): void {
    if (this.failure || this.closed) return;
    const id = message.headers.ack ?? message.headers['message-id'] ?? '';
    this.client.sendFrame('ACK', { id, subscription: message.headers.subscription ?? '', 'message-id': message.headers['message-id'] ?? '' }).end();
  }

  /** NACK one message: ActiveMQ moves it to the dead-letter queue at once. Only for a body that is no event. */
  nack(message: StompMessage): void {
    if (this.failure || this.closed) return;
    const id = message.headers.ack ?? message.headers['message-id'] ?? '';
    this.client.sendFrame('NACK', { id, subscription: message.headers.subscription ?? '', 'message-id': message.headers['message-id'] ?? '' }).end();
  }

  /** DISCONNECT with a receipt (bounded), then destroys the socket. Idempotent. */
  async close(timeoutMs = 2000): Promise<void> {
    if (this.closed) return;
    if (!this.failure) {
      const bye = this.sendWithReceipt('DISCONNECT', {}).catch(() => undefined);
      this.closed = true;
      await withDeadline(bye, timeoutMs).catch(() => undefined);
    }
    this.closed = true;
    for (const p of this.pending.values()) p.reject(new BenchError('TRANSPORT', `activemq at ${this.address}: connection closed`));
    this.pending.clear();
    destroyClient(this.client);
  }
}

function destroyClient(client: stompit.Client): void {
  try {
    (client as unknown as { destroy(err?: Error): void }).destroy();
  } catch {
    /* already gone */
  }
  (client.getTransportSocket() as Socket).destroy?.();
}

/** Resolves or rejects with `p`, or rejects with a TimeoutError after `ms`; clears its timer either way. */
export function withDeadline<T>(p: Promise<T>, ms: number, what = 'operation'): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([p, deadline]).finally(() => clearTimeout(timer));
}
