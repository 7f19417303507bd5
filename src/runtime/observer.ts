import type { OrderEvent } from '../contract/events.js';
import type { MessagingAdapter, MessagingConnection, MessagingRunSpec, Subscription } from '../contract/transport.js';
import { nowUs } from '../metrics/clock.js';
import { isCalibrationEvent } from './calibration.js';
import type { AwaitTerminal } from './order-client.js';

export interface TerminalObserver {
  /** resolves when the order's terminal event arrives (or at once if it already did) */
  awaitTerminal: AwaitTerminal;
  /** true once every id was seen terminal, false at the timeout */
  waitForTerminals: (ids: Set<string>, timeoutMs: number) => Promise<boolean>;
  close: () => Promise<void>;
}

/** The harness's subscription to terminal events, resolving each order's waiter. */
export async function startObserver(adapter: MessagingAdapter, spec: MessagingRunSpec, onGaveUp: (err: Error) => void): Promise<TerminalObserver> {
  const conn: MessagingConnection = await adapter.connect(spec, `${spec.prefix}-observer`);
  conn.onGaveUp(onGaveUp);
  const waiters = new Map<string, (e: { outcome: 'completed' | 'failed'; atUs: number }) => void>();
  /** terminal events that arrived before their waiter (202 slower than the whole workflow) */
  const early = new Map<string, { outcome: 'completed' | 'failed'; atUs: number }>();
  /** every order seen terminal, for the post-run drain */
  const terminal = new Set<string>();
  const sub: Subscription = await conn.subscribe('observer', { service: 'observer', instance: 0 }, async (event: OrderEvent) => {
    // the calibration before the load consumes its own events; one left over is no order's
    if (isCalibrationEvent(event)) return;
    const t = { outcome: event.type === 'order_completed' ? ('completed' as const) : ('failed' as const), atUs: nowUs() };
    if (terminal.has(event.orderId)) return;
    terminal.add(event.orderId);
    const w = waiters.get(event.orderId);
    if (w) {
      waiters.delete(event.orderId);
      w(t);
    } else early.set(event.orderId, t);
  });
  const awaitTerminal: AwaitTerminal = (orderId, signal) => {
    const seen = early.get(orderId);
    if (seen) {
      early.delete(orderId);
      return Promise.resolve(seen);
    }
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        waiters.delete(orderId);
        reject(signal.reason ?? new Error('aborted'));
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      waiters.set(orderId, (t) => {
        signal.removeEventListener('abort', onAbort);
        resolve(t);
      });
    });
  };
  const waitForTerminals = async (ids: Set<string>, timeoutMs: number): Promise<boolean> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      let missing = 0;
      for (const id of ids) if (!terminal.has(id)) missing++;
      if (missing === 0) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  return {
    awaitTerminal,
    waitForTerminals,
    close: async () => {
      await sub.close();
      await conn.close();
    },
  };
}
