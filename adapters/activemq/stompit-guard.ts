/**
 * The one guard against stompit 1.0.0's ERROR-frame bug, for every STOMP client in the
 * process (the ActiveMQ adapter and the broker start-up check). Its ERROR handler reads
 * the frame body in a callback whose `this` is the frame, not the client, so a
 * text/plain ERROR frame (a refused CONNECT, say) throws where nothing can catch it and
 * kills the process. The guard swaps that handler for one that destroys the client with
 * the error, which then reaches the connect callback or `client.on('error')` as usual.
 * It lives with the adapter that owns the client library (adapters import only
 * src/contract and their client); src/brokers imports it from here.
 */
import { createRequire } from 'node:module';

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

/** Replaces stompit's ERROR-frame handler, once per process (idempotent). */
export function guardStompit(): void {
  if (guarded) return;
  const require = createRequire(import.meta.url);
  const Client = require('stompit/lib/Client.js') as { prototype: ClientInternals };
  const original = Client.prototype.setCommandHandlers;
  Client.prototype.setCommandHandlers = function (this: ClientInternals, handlers: Record<string, unknown>) {
    original.call(this, 'ERROR' in handlers ? { ...handlers, ERROR: onErrorFrame } : handlers);
  };
  guarded = true;
}
