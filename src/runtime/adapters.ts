import type { MessagingAdapter, MessagingSettings, MessagingTransportName } from '../contract/transport.js';

/**
 * Loads a messaging adapter by name (adapters/<name>/index.ts exports `createAdapter`), only
 * when used. `settings` picks among an adapter's clients: Kafka with `client: librdkafka` is
 * adapters/kafka-librdkafka (the optional @confluentinc/kafka-javascript).
 */
export async function loadMessagingAdapter<N extends MessagingTransportName>(name: N, settings?: MessagingSettings[N]): Promise<MessagingAdapter<N>> {
  const adapters: { [K in MessagingTransportName]: () => Promise<MessagingAdapter<K>> } = {
    kafka: async () =>
      (settings as MessagingSettings['kafka'] | undefined)?.client === 'librdkafka'
        ? (await import('../../adapters/kafka-librdkafka/index.js')).createAdapter()
        : (await import('../../adapters/kafka/index.js')).createAdapter(),
    rabbitmq: async () => (await import('../../adapters/rabbitmq/index.js')).createAdapter(),
    activemq: async () => (await import('../../adapters/activemq/index.js')).createAdapter(),
    nats: async () => (await import('../../adapters/nats/index.js')).createAdapter(),
    redis: async () => (await import('../../adapters/redis/index.js')).createAdapter(),
    mqtt: async () => (await import('../../adapters/mqtt/index.js')).createAdapter(),
  };
  return adapters[name]();
}

/**
 * Before anything starts: a scenario that asks for librdkafka on a run that includes Kafka
 * needs the optional package; without it, one line (BenchError INSTALL).
 */
export async function assertClientsInstalled(kafkaClients: ReadonlyArray<string | undefined>): Promise<void> {
  if (!kafkaClients.includes('librdkafka')) return;
  const { loadLibrary } = await import('../../adapters/kafka-librdkafka/library.js');
  loadLibrary();
}
