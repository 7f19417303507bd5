/**
 * REST transport (fastify + undici): synchronous orchestration. Each service is a
 * fastify app in its own process; the order service answers `POST /orders` once the
 * order is terminal, calling inventory, payment and shipment in turn over keep-alive
 * pools, one deadline per call, no retries. There is no broker, so unlike the
 * messaging adapters there is no `createAdapter()`: the harness starts the services
 * itself and describes the transport (src/runtime/transport-run.ts). `buildServiceApp`
 * is the factory, used by the service processes and, with `inject()`, by tests.
 * README.md beside this file states every setting and what it costs.
 */
export { buildServiceApp, DownstreamError } from './app.js';
//# sourceMappingURL=index.js.map