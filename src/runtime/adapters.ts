import { ConfigError } from '../contract/errors.js';
import type { MessagingAdapter, TransportName } from '../contract/transport.js';

/** Loads a messaging adapter by name (adapters/<name>/index.ts exports `createAdapter`), only when used. */
export async function loadMessagingAdapter(name: TransportName): Promise<MessagingAdapter> {
  switch (name) {
    case 'kafka':
      return (await import('../../adapters/kafka/index.js')).createAdapter();
    case 'rabbitmq':
      return (await import('../../adapters/rabbitmq/index.js')).createAdapter();
    case 'activemq':
      return (await import('../../adapters/activemq/index.js')).createAdapter();
    default:
      throw new ConfigError(`transport "${name}" is not a messaging transport`);
  }
}
