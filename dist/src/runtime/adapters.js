/** Loads a messaging adapter by name (adapters/<name>/index.ts exports `createAdapter`), only when used. */
export async function loadMessagingAdapter(name) {
    const adapters = {
        kafka: async () => (await import('../../adapters/kafka/index.js')).createAdapter(),
        rabbitmq: async () => (await import('../../adapters/rabbitmq/index.js')).createAdapter(),
        activemq: async () => (await import('../../adapters/activemq/index.js')).createAdapter(),
        nats: async () => (await import('../../adapters/nats/index.js')).createAdapter(),
        redis: async () => (await import('../../adapters/redis/index.js')).createAdapter(),
        mqtt: async () => (await import('../../adapters/mqtt/index.js')).createAdapter(),
    };
    return adapters[name]();
}
//# sourceMappingURL=adapters.js.map