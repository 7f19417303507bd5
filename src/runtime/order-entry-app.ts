import Fastify, { type FastifyInstance } from 'fastify';
import { errorAnswer } from '../contract/error-catalogue.js';
import type { OrderEvent, OrderRequest } from '../contract/events.js';
import type { RouteOf, ServiceLogic } from '../contract/transport.js';

/**
 * Order entry for messaging transports: `POST /orders` records the order and answers
 * 202 Accepted once order_created is durably published (the publish resolves on the
 * broker's acknowledgement).
 */
export function buildOrderEntryApp(opts: {
  logic: ServiceLogic;
  route: RouteOf;
  publish: (to: Exclude<ReturnType<RouteOf>, 'local'>, event: OrderEvent) => Promise<void>;
}): FastifyInstance {
  const app = Fastify({ logger: false, keepAliveTimeout: 60_000, bodyLimit: 64 * 1024 });
  app.get('/health', async () => ({ service: 'order', ok: true }));
  app.post('/orders', async (request, reply) => {
    const order = request.body as OrderRequest;
    const { emitted } = await opts.logic.startOrder(order);
    try {
      for (const e of emitted) {
        const to = opts.route(e.type);
        if (to !== 'local') await opts.publish(to, e);
      }
    } catch (err) {
      const answer = errorAnswer('PUBLISH_FAILED', (err as Error).message, { orderId: order.orderId });
      return reply.code(answer.status).send(answer.body);
    }
    return reply.code(202).send({ accepted: true, orderId: order.orderId });
  });
  return app;
}
