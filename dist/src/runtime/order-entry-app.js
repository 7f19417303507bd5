import Fastify, {} from 'fastify';
/**
 * Order entry for messaging transports: `POST /orders` records the order and answers
 * 202 Accepted once order_created is durably published (the publish resolves on the
 * broker's acknowledgement).
 */
export function buildOrderEntryApp(opts) {
    const app = Fastify({ logger: false, keepAliveTimeout: 60_000, bodyLimit: 64 * 1024 });
    app.get('/health', async () => ({ service: 'order', ok: true }));
    app.post('/orders', async (request, reply) => {
        const order = request.body;
        const { emitted } = await opts.logic.startOrder(order);
        try {
            for (const e of emitted) {
                const to = opts.route(e.type);
                if (to !== 'local')
                    await opts.publish(to, e);
            }
        }
        catch (err) {
            return reply.code(503).send({ error: 'PUBLISH_FAILED', message: err.message, orderId: order.orderId });
        }
        return reply.code(202).send({ accepted: true, orderId: order.orderId });
    });
    return app;
}
//# sourceMappingURL=order-entry-app.js.map