import { ConfigError } from '../contract/errors.js';
import type { MessagingAdapter, TransportName } from '../contract/transport.js';

const MESSAGING = ['kafka', 'rabbitmq', 'activemq'] as const;

/** Loads a messaging adapter by name: adapters/<name>/index.ts exports `createAdapter()`. */
export async function loadMessagingAdapter(name: TransportName): Promise<MessagingAdapter> {
  if (!(MESSAGING as readonly string[]).includes(name)) throw new ConfigError(`transport "${name}" is not a messaging transport`);
  const mod = (await import(`../../adapters/${name}/index.js`)) as { createAdapter: () => MessagingAdapter };
  return mod.createAdapter();
}
