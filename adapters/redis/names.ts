/** Names of a Redis run's keys, the client's options, and one-line errors. Pure, no I/O. */
import { Redis } from 'ioredis';
import { BenchError, UnreachableError } from '../../src/contract/errors.js';
import type { Channel } from '../../src/contract/events.js';
import { BROKER_RETRY, delayMs } from '../../src/contract/retry.js';
import type { MessagingRunSpec, RedisSettings } from '../../src/contract/transport.js';

/** A run of this adapter: its settings arrive parsed and checked. */
export type RedisRunSpec = MessagingRunSpec<RedisSettings>;

/** Every channel; a Record so that a new Channel fails to compile here. */
const CHANNEL_SET: Record<Channel, true> = { inventory: true, payment: true, shipment: true, order: true, observer: true };
export const REDIS_CHANNELS = Object.keys(CHANNEL_SET) as Channel[];

/** Stream of one shard of a channel: `<prefix>:<channel>:<shard>`. */
export const streamKey = (prefix: string, channel: Channel, shard: number): string => `${prefix}:${channel}:${shard}`;
/** Consumer group of a channel, on each of its shard streams. */
export const groupName = (prefix: string, channel: Channel): string => `${prefix}:${channel}`;
/** Every stream key of a run. */
export const runKeys = (spec: RedisRunSpec): string[] =>
  REDIS_CHANNELS.flatMap((c) => Array.from({ length: spec.settings.shards }, (_, s) => streamKey(spec.prefix, c, s)));

/** `host:port` of a redis:// URL, without credentials. */
export function addressOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '6379'}`;
  } catch {
    return '(invalid url)';
  }
}

/**
 * A client. Once connected, a lost connection is retried under the shared BROKER_RETRY
 * policy (commands wait in ioredis's offline queue meanwhile), then given up: `end` is
 * emitted. The first connect is not retried, so an unreachable server fails at once.
 */
export function createClient(url: string, name: string, connectTimeoutMs = 5_000): Redis {
  let connectedOnce = false;
  const client = new Redis(url, {
    lazyConnect: true,
    connectionName: name,
    connectTimeout: connectTimeoutMs,
    enableAutoPipelining: true,
    maxRetriesPerRequest: null,
    retryStrategy: (times) => (!connectedOnce || times > BROKER_RETRY.retries ? null : delayMs(BROKER_RETRY, times - 1)),
  });
  client.once('ready', () => (connectedOnce = true));
  client.on('error', () => {}); // reported through the rejected command or `end`
  return client;
}

function messageOf(err: unknown): string {
  const m = (err as { message?: unknown })?.message;
  return (typeof m === 'string' && m ? m : String(err)).split('\n')[0]!.trim();
}

/** `redis at 127.0.0.1:6379 unreachable (doing): ...` or `redis at ...: <doing> failed: ...` */
export function redisError(address: string, doing: string, err: unknown): BenchError {
  if (err instanceof BenchError) return err;
  const m = messageOf(err);
  if (/ECONNREFUSED|ETIMEDOUT|EHOSTUNREACH|Connection is closed|connect/i.test(m)) {
    return new UnreachableError(address, `redis at ${address} unreachable (${doing}): ${m}`, { cause: err });
  }
  return new BenchError('TRANSPORT', `redis at ${address}: ${doing} failed: ${m}`, { cause: err, retriable: /LOADING|BUSY|TRYAGAIN/.test(m) });
}
