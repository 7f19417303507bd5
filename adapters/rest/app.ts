import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { Pool } from 'undici';
import { downstreamErrorOf, errorAnswer, type AnsweredErrorCode } from '../../src/contract/error-catalogue.js';
import type { OrderEvent, OrderRequest, ServiceName } from '../../src/contract/events.js';
import type { HandleResult, RouteOf, ServiceLogic } from '../../src/contract/transport.js';

export interface RestServiceOptions {
  logic: ServiceLogic;
  route: RouteOf;
  /** order service only: base URLs of each downstream service's instances (`http://127.0.0.1:port`), called round-robin */
  downstream?: Partial<Record<ServiceName, string[]>>;
  /** keep-alive connections per downstream service */
  downstreamConnections?: number;
  /** deadline of one downstream call, ms */
  requestTimeoutMs?: number;
  /** the harness's clock, epoch µs: `POST /calibrate` says when it was handled by it */
  nowUs?: () => number;
}

/** A downstream call that failed for a technical reason; its code and answer come from the catalogue. */
export class DownstreamError extends Error {
  constructor(
    readonly code: 'DOWNSTREAM_TIMEOUT' | 'DOWNSTREAM_UNREACHABLE' | 'DOWNSTREAM_STATUS',
    readonly service: string,
    message: string,
  ) {
    super(message);
    this.name = 'DownstreamError';
  }
}

/** Answers with a catalogued error: its status, and `{ error, message, ...extra }`. */
function answerError(reply: FastifyReply, code: AnsweredErrorCode, message: string, extra?: Record<string, unknown>): FastifyReply {
  const { status, body } = errorAnswer(code, message, extra);
  return reply.code(status).send(body);
}

/**
 * One service as a fastify app. Inventory, payment and shipment answer `POST /events`
 * with what they emitted. The order service answers `POST /orders` only when the order
 * is terminal, calling the others in turn (synchronous orchestration): it follows the
 * workflow's routing table from event to event, so the same nine or seven events are
 * recorded as in a choreographed run.
 */
export function buildServiceApp(opts: RestServiceOptions): FastifyInstance {
  const app = Fastify({ logger: false, keepAliveTimeout: 60_000, bodyLimit: 64 * 1024 });
  const { logic } = opts;

  app.get('/health', async () => ({ service: logic.service, ok: true }));

  // the harness's floor (src/runtime/calibration.ts): the same stack as /events, no work;
  // the time the handler was entered, as a hop's `handled` time is taken in /events
  app.post('/calibrate', async (_request, reply) => {
    const atUs = opts.nowUs?.();
    if (atUs !== undefined) reply.header('x-handled-at-us', String(atUs));
    return reply.code(204).send();
  });

  app.post('/events', async (request, reply) => {
    try {
      return await logic.handle(request.body as OrderEvent);
    } catch (err) {
      return answerError(reply, 'UNEXPECTED_EVENT', (err as Error).message);
    }
  });

  if (logic.service === 'order') {
    const pools = new Map<string, Pool[]>();
    for (const [service, urls] of Object.entries(opts.downstream ?? {})) {
      pools.set(service, urls.map((url) => new Pool(url, { connections: opts.downstreamConnections ?? 16, keepAliveTimeout: 60_000 })));
    }
    /** round-robin position per downstream service */
    const turns = new Map<string, number>();
    app.addHook('onClose', async () => {
      await Promise.all([...pools.values()].flat().map((p) => p.close()));
    });
    const timeoutMs = opts.requestTimeoutMs ?? 5_000;

    const call = async (service: string, event: OrderEvent): Promise<HandleResult> => {
      const list = pools.get(service);
      const turn = turns.get(service) ?? 0;
      turns.set(service, turn + 1);
      const pool = list?.[turn % list.length];
      if (!pool) throw new DownstreamError('DOWNSTREAM_UNREACHABLE', service, `no address for service ${service}`);
      try {
        const res = await pool.request({
          method: 'POST',
          path: '/events',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(event),
          signal: AbortSignal.timeout(timeoutMs),
        });
        const text = await res.body.text();
        if (res.statusCode !== 200) throw new DownstreamError('DOWNSTREAM_STATUS', service, `${service} answered ${res.statusCode}`);
        return JSON.parse(text) as HandleResult;
      } catch (err) {
        if (err instanceof DownstreamError) throw err;
        const code = downstreamErrorOf(err);
        throw new DownstreamError(code, service, code === 'DOWNSTREAM_TIMEOUT' ? `${service} did not answer within ${timeoutMs} ms` : `${service} unreachable: ${(err as Error).message}`);
      }
    };

    app.post('/orders', async (request, reply) => {
      const order = request.body as OrderRequest;
      let result = await logic.startOrder(order);
      let failure: DownstreamError | undefined;
      for (;;) {
        const next = result.emitted.find((e) => opts.route(e.type) !== 'local');
        if (!next) return answerError(reply, 'WORKFLOW_ENDED_EARLY', `no event after ${result.emitted.at(-1)?.type ?? 'the start'}`, { orderId: order.orderId });
        const to = opts.route(next.type);
        if (to === 'observer') {
          const outcome = next.type === 'order_completed' ? 'completed' : 'failed';
          if (failure) return answerError(reply, failure.code, failure.message, { outcome, compensated: true, orderId: order.orderId });
          return { outcome, orderId: order.orderId };
        }
        if (to === 'order') {
          result = await logic.handle(next);
          continue;
        }
        try {
          result = await call(to, next);
        } catch (err) {
          const e = err as DownstreamError;
          const compensation = await logic.compensate(next);
          if (!compensation) return answerError(reply, e.code, e.message, { orderId: order.orderId });
          failure = e;
          result = compensation;
        }
      }
    });
  }
  return app;
}
