import { Pool, type Dispatcher } from 'undici';
import { partitionOf } from '../contract/customer-lanes.js';
import { clientCodeOf, orderErrorOfAnswer, orderErrorOfFailure, type OrderErrorCode } from '../contract/error-catalogue.js';
import type { OrderRequest } from '../contract/events.js';
import type { OrderOutcome } from '../contract/transport.js';

export interface OrderClientOptions {
  /** order service base URLs; each customer's orders go to one of them */
  origins: string[];
  /** keep-alive connections per origin */
  connections: number;
  nowUs: () => number;
  /** told once per client code that the catalogue does not name (counted as CLIENT_ERROR) */
  onUnclassified?: (line: string) => void;
}

/** The terminal outcome of an accepted order, for transports that answer 202. */
export type AwaitTerminal = (orderId: string, signal: AbortSignal) => Promise<{ outcome: 'completed' | 'failed'; atUs: number }>;

/**
 * The load driver's side of order entry, the same for every transport: POST /orders
 * to the order service over a keep-alive pool. 200 means the order is terminal (REST);
 * 202 means accepted, and the terminal event is awaited (messaging). The time the
 * request actually reached the socket is kept for the uncorrected latency: with every
 * connection busy, undici queues a request, and that wait is the coordinated omission
 * that the corrected latency (from the intended start) includes.
 */
export class OrderClient {
  private readonly pools: Pool[];
  private readonly dispatchers: Dispatcher[];
  private readonly sentAt = new Map<string, number>();
  private readonly unclassified = new Set<string>();

  constructor(private readonly opts: OrderClientOptions) {
    this.pools = opts.origins.map((o) => new Pool(o, { connections: opts.connections, pipelining: 1, keepAliveTimeout: 60_000 }));
    this.dispatchers = this.pools.map((p) => p.compose((dispatch) => (o, handler) => dispatch(o, this.stampOnSend(o, handler))));
  }

  async submit(order: OrderRequest, signal: AbortSignal, awaitTerminal?: AwaitTerminal): Promise<OrderOutcome> {
    const dispatcher = this.dispatchers[this.instanceFor(order.customerId)]!;
    let acceptedAtUs: number | undefined;
    try {
      const res = await dispatcher.request({
        method: 'POST',
        path: '/orders',
        headers: { 'content-type': 'application/json', 'x-order-id': order.orderId },
        body: JSON.stringify(order),
        signal,
      });
      const text = await res.body.text();
      const now = this.opts.nowUs();
      const sentAtUs = this.takeSentAt(order.orderId, now);
      if (res.statusCode === 200) {
        const body = JSON.parse(text) as { outcome: 'completed' | 'failed' };
        return { outcome: body.outcome, sentAtUs, acceptedAtUs: now, endedAtUs: now };
      }
      if (res.statusCode === 202 && awaitTerminal) {
        acceptedAtUs = now;
        const t = await awaitTerminal(order.orderId, signal);
        return { outcome: t.outcome, sentAtUs, acceptedAtUs, endedAtUs: t.atUs };
      }
      return { outcome: 'error', sentAtUs, endedAtUs: now, errorCode: orderErrorOfAnswer(res.statusCode, text) };
    } catch (err) {
      const now = this.opts.nowUs();
      const sentAtUs = this.takeSentAt(order.orderId, now);
      if (signal.aborted) {
        const out: OrderOutcome = { outcome: 'timedOut', sentAtUs, endedAtUs: now };
        if (acceptedAtUs !== undefined) out.acceptedAtUs = acceptedAtUs;
        return out;
      }
      return { outcome: 'error', sentAtUs, endedAtUs: now, errorCode: this.codeOfFailure(err) };
    }
  }

  private codeOfFailure(err: unknown): OrderErrorCode {
    const code = orderErrorOfFailure(err);
    const own = clientCodeOf(err);
    if (code === 'CLIENT_ERROR' && !this.unclassified.has(own)) {
      this.unclassified.add(own);
      this.opts.onUnclassified?.(`order client: ${own} (${err instanceof Error ? err.message : String(err)}) counted as CLIENT_ERROR`);
    }
    return code;
  }

  /**
   * The order service instance for a customer: always the same one (as a gateway with
   * customer affinity would route), so one customer's orders leave through one producer
   * and keep their order. Round-robin would let two instances race each other's publishes.
   */
  private instanceFor(customerId: string): number {
    return this.dispatchers.length === 1 ? 0 : partitionOf(customerId, this.dispatchers.length);
  }

  async close(): Promise<void> {
    await Promise.all(this.pools.map((p) => p.close().catch(() => undefined)));
  }

  private takeSentAt(orderId: string, fallback: number): number {
    const at = this.sentAt.get(orderId);
    this.sentAt.delete(orderId);
    return at ?? fallback;
  }

  /** Wraps a dispatch handler so the moment the request is written to a socket is recorded. */
  private stampOnSend(o: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): Dispatcher.DispatchHandler {
    const headers = o.headers as Record<string, string> | undefined;
    const id = headers?.['x-order-id'];
    const h = handler as Required<Dispatcher.DispatchHandler>;
    return {
      onRequestStart: (controller, context) => {
        if (id) this.sentAt.set(id, this.opts.nowUs());
        return h.onRequestStart?.(controller, context);
      },
      onRequestUpgrade: (controller, statusCode, headers, socket) => h.onRequestUpgrade?.(controller, statusCode, headers, socket),
      onResponseStart: (controller, statusCode, headers, statusMessage) => h.onResponseStart?.(controller, statusCode, headers, statusMessage),
      onResponseData: (controller, chunk) => h.onResponseData?.(controller, chunk),
      onResponseEnd: (controller, trailers) => h.onResponseEnd?.(controller, trailers),
      onResponseError: (controller, error) => h.onResponseError?.(controller, error),
    };
  }
}
