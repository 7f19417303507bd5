import type { BrokerEndpoints } from '../contract/endpoints.js';
import { BenchError, ConfigError, UnreachableError } from '../contract/errors.js';
import type { TransportName } from '../contract/transport.js';
import { loadMessagingAdapter } from '../runtime/adapters.js';

/** `host:port` of a transport's endpoint, for messages (never the credentials a URL may carry). */
export function addressOf(t: Exclude<TransportName, 'rest'>, e: BrokerEndpoints): string {
  if (t === 'kafka') return e.kafka.brokers.join(',');
  if (t === 'activemq') return `${e.activemq.host}:${e.activemq.port}`;
  if (t === 'nats') return e.nats.servers.join(',');
  const url = t === 'rabbitmq' ? e.rabbitmq.url : t === 'redis' ? e.redis.url : e.mqtt.url;
  const defaultPort = { rabbitmq: '5672', redis: '6379', mqtt: '1883' }[t];
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || (u.protocol === 'amqps:' ? '5671' : u.protocol === 'mqtts:' ? '8883' : defaultPort)}`;
  } catch {
    return url.replace(/\/\/[^@]*@/, '//');
  }
}

/**
 * Connects to one transport's broker once (TLS and login included), without retrying.
 * Resolves when it answers; otherwise rejects with one line naming the address and
 * what failed: a ConfigError (exit 104) for a missing password variable or file, an
 * UnreachableError (exit 106) for everything else: refused, timed out, TLS, login.
 */
export async function checkTransport(t: Exclude<TransportName, 'rest'>, endpoints: BrokerEndpoints, timeoutMs = 5_000): Promise<void> {
  const adapter = await loadMessagingAdapter(t);
  const address = addressOf(t, endpoints);
  try {
    if (adapter.check) await adapter.check(endpoints, timeoutMs);
    else if (!(await adapter.ping(endpoints))) throw new UnreachableError(address, `${t} at ${address} is not answering`);
  } catch (err) {
    if (err instanceof ConfigError || err instanceof UnreachableError) throw err;
    const message = err instanceof Error ? err.message.split('\n')[0]! : String(err);
    throw new UnreachableError(address, message.includes(address) ? message : `${t} at ${address}: ${message}`, {
      cause: err,
      retriable: err instanceof BenchError ? err.retriable : false,
    });
  }
}
