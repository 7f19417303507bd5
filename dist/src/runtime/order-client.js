import { Pool } from 'undici';
/**
 * The load driver's side of order entry, the same for every transport: POST /orders
 * to the order service over a keep-alive pool. 200 means the order is terminal (REST);
 * 202 means accepted, and the terminal event is awaited (messaging). The time the
 * request actually reached the socket is kept for the uncorrected latency: with every
 * connection busy, undici queues a request, and that wait is the coordinated omission
 * that the corrected latency (from the intended start) includes.
 */
export class OrderClient {
    opts;
    pools;
    dispatchers;
    sentAt = new Map();
    constructor(opts) {
        this.opts = opts;
        this.pools = opts.origins.map((o) => new Pool(o, { connections: opts.connections, pipelining: 1, keepAliveTimeout: 60_000 }));
        this.dispatchers = this.pools.map((p) => p.compose((dispatch) => (o, handler) => dispatch(o, this.stampOnSend(o, handler))));
    }
    async submit(order, signal, awaitTerminal) {
        const dispatcher = this.dispatchers[this.instanceFor(order.customerId)];
        let acceptedAtUs;
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
                const body = JSON.parse(text);
                return { outcome: body.outcome, sentAtUs, acceptedAtUs: now, endedAtUs: now };
            }
            if (res.statusCode === 202 && awaitTerminal) {
                acceptedAtUs = now;
                const t = await awaitTerminal(order.orderId, signal);
                return { outcome: t.outcome, sentAtUs, acceptedAtUs, endedAtUs: t.atUs };
            }
            let code = `HTTP_${res.statusCode}`;
            try {
                const body = JSON.parse(text);
                if (body.error)
                    code = body.error;
            }
            catch {
                // not JSON
            }
            return { outcome: 'error', sentAtUs, endedAtUs: now, errorCode: code };
        }
        catch (err) {
            const now = this.opts.nowUs();
            const sentAtUs = this.takeSentAt(order.orderId, now);
            if (signal.aborted) {
                const out = { outcome: 'timedOut', sentAtUs, endedAtUs: now };
                if (acceptedAtUs !== undefined)
                    out.acceptedAtUs = acceptedAtUs;
                return out;
            }
            return { outcome: 'error', sentAtUs, endedAtUs: now, errorCode: errorCodeOf(err) };
        }
    }
    /**
     * The order service instance for a customer: always the same one (as a gateway with
     * customer affinity would route), so one customer's orders leave through one producer
     * and keep their order. Round-robin would let two instances race each other's publishes.
     */
    instanceFor(customerId) {
        if (this.dispatchers.length === 1)
            return 0;
        let h = 0x811c9dc5;
        for (let i = 0; i < customerId.length; i++)
            h = Math.imul(h ^ customerId.charCodeAt(i), 0x01000193);
        return (h >>> 0) % this.dispatchers.length;
    }
    async close() {
        await Promise.all(this.pools.map((p) => p.close().catch(() => undefined)));
    }
    takeSentAt(orderId, fallback) {
        const at = this.sentAt.get(orderId);
        this.sentAt.delete(orderId);
        return at ?? fallback;
    }
    /** Wraps a dispatch handler so the moment the request is written to a socket is recorded. */
    stampOnSend(o, handler) {
        const headers = o.headers;
        const id = headers?.['x-order-id'];
        const h = handler;
        return {
            onRequestStart: (controller, context) => {
                if (id)
                    this.sentAt.set(id, this.opts.nowUs());
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
function errorCodeOf(err) {
    const e = err;
    if (e?.code === 'ECONNREFUSED' || e?.code === 'UND_ERR_CONNECT_TIMEOUT')
        return 'ORDER_SERVICE_UNREACHABLE';
    if (e?.code === 'UND_ERR_SOCKET' || e?.code === 'ECONNRESET')
        return 'CONNECTION_RESET';
    return e?.code ?? e?.name ?? 'UNKNOWN';
}
//# sourceMappingURL=order-client.js.map