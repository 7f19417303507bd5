import Fastify, {} from 'fastify';
import { Pool } from 'undici';
/** A downstream call that failed for a technical reason. */
export class DownstreamError extends Error {
    code;
    service;
    constructor(code, service, message) {
        super(message);
        this.code = code;
        this.service = service;
        this.name = 'DownstreamError';
    }
}
/**
 * One service as a fastify app. Inventory, payment and shipment answer `POST /events`
 * with what they emitted. The order service answers `POST /orders` only when the order
 * is terminal, calling the others in turn (synchronous orchestration): it follows the
 * workflow's routing table from event to event, so the same nine or seven events are
 * recorded as in a choreographed run.
 */
export function buildServiceApp(opts) {
    const app = Fastify({ logger: false, keepAliveTimeout: 60_000, bodyLimit: 64 * 1024 });
    const { logic } = opts;
    app.get('/health', async () => ({ service: logic.service, ok: true }));
    app.post('/events', async (request, reply) => {
        try {
            return await logic.handle(request.body);
        }
        catch (err) {
            return reply.code(400).send({ error: 'UNEXPECTED_EVENT', message: err.message });
        }
    });
    if (logic.service === 'order') {
        const pools = new Map();
        for (const [service, urls] of Object.entries(opts.downstream ?? {})) {
            pools.set(service, urls.map((url) => new Pool(url, { connections: opts.downstreamConnections ?? 16, keepAliveTimeout: 60_000 })));
        }
        /** round-robin position per downstream service */
        const turns = new Map();
        app.addHook('onClose', async () => {
            await Promise.all([...pools.values()].flat().map((p) => p.close()));
        });
        const timeoutMs = opts.requestTimeoutMs ?? 5_000;
        const call = async (service, event) => {
            const list = pools.get(service);
            const turn = turns.get(service) ?? 0;
            turns.set(service, turn + 1);
            const pool = list?.[turn % list.length];
            if (!pool)
                throw new DownstreamError('DOWNSTREAM_UNREACHABLE', service, `no address for service ${service}`);
            try {
                const res = await pool.request({
                    method: 'POST',
                    path: '/events',
                    headers: { 'content-type': 'application/json' },
                    body: JSON.stringify(event),
                    signal: AbortSignal.timeout(timeoutMs),
                });
                const text = await res.body.text();
                if (res.statusCode !== 200)
                    throw new DownstreamError('DOWNSTREAM_STATUS', service, `${service} answered ${res.statusCode}`);
                return JSON.parse(text);
            }
            catch (err) {
                if (err instanceof DownstreamError)
                    throw err;
                const name = err.name;
                if (name === 'TimeoutError' || name === 'AbortError') {
                    throw new DownstreamError('DOWNSTREAM_TIMEOUT', service, `${service} did not answer within ${timeoutMs} ms`);
                }
                throw new DownstreamError('DOWNSTREAM_UNREACHABLE', service, `${service} unreachable: ${err.message}`);
            }
        };
        app.post('/orders', async (request, reply) => {
            const order = request.body;
            let result = await logic.startOrder(order);
            let failure;
            for (;;) {
                const next = result.emitted.find((e) => opts.route(e.type) !== 'local');
                if (!next)
                    return reply.code(500).send({ error: 'WORKFLOW_ENDED_EARLY', orderId: order.orderId });
                const to = opts.route(next.type);
                if (to === 'observer') {
                    const outcome = next.type === 'order_completed' ? 'completed' : 'failed';
                    if (failure) {
                        return reply
                            .code(failure.code === 'DOWNSTREAM_TIMEOUT' ? 504 : 502)
                            .send({ error: failure.code, message: failure.message, outcome, compensated: true, orderId: order.orderId });
                    }
                    return { outcome, orderId: order.orderId };
                }
                if (to === 'order') {
                    result = await logic.handle(next);
                    continue;
                }
                try {
                    result = await call(to, next);
                }
                catch (err) {
                    const e = err;
                    const compensation = await logic.compensate(next);
                    if (!compensation) {
                        return reply.code(e.code === 'DOWNSTREAM_TIMEOUT' ? 504 : 502).send({ error: e.code, message: e.message, orderId: order.orderId });
                    }
                    failure = e;
                    result = compensation;
                }
            }
        });
    }
    return app;
}
//# sourceMappingURL=app.js.map