/**
 * Redis Streams adapter (ioredis): customers hashed onto shard streams per channel, one
 * consumer group per channel, XADD to publish, XREADGROUP by the shard's one member,
 * XACK after the handler, XAUTOCLAIM when a member takes over what another left
 * pending. README.md states every setting, and what "durable" means on this server.
 */
import { createRequire } from 'node:module';
import type { Redis } from 'ioredis';
import { BROKER_RETRY, describePolicy, HANDLER_RETRY } from '../../src/contract/retry.js';
import type { BacklogSample, MessagingAdapter, TransportDescription } from '../../src/contract/transport.js';
import { RedisConnection } from './connection.js';
import { addressOf, createClient, groupName, redisError, REDIS_CHANNELS, runKeys, streamKey, type RedisRunSpec } from './names.js';

const ioredisVersion = (createRequire(import.meta.url)('ioredis/package.json') as { version: string }).version;
const PING_TIMEOUT_MS = 1_000;

async function withClient<T>(url: string, name: string, doing: string, work: (c: Redis) => Promise<T>, timeoutMs = 5_000): Promise<T> {
  const client = createClient(url, name, timeoutMs);
  try {
    await client.connect();
    return await work(client);
  } catch (e) {
    throw redisError(addressOf(url), doing, e);
  } finally {
    client.disconnect();
  }
}

/** What the server's persistence settings mean for an acknowledged XADD, in one line. */
export function durabilityOf(appendonly: string, appendfsync: string, save: string): string {
  if (appendonly === 'yes') {
    const fsync = appendfsync === 'always' ? 'fsynced before the reply' : appendfsync === 'everysec' ? 'fsynced once a second: a machine crash loses up to ~1 s' : 'fsync left to the OS';
    return `append-only file (${fsync})`;
  }
  if (save.trim()) return `memory only between RDB snapshots (save ${save}): a Redis crash loses everything since the last snapshot`;
  return 'memory only (no AOF, no RDB snapshots): a Redis restart or crash loses every stream';
}

const asRecord = (flat: unknown[]): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[String(flat[i])] = flat[i + 1];
  return out;
};

export function createAdapter(): MessagingAdapter<'redis'> {
  return {
    name: 'redis',

    async describe(spec: RedisRunSpec): Promise<TransportDescription> {
      const { url } = spec.endpoints.redis;
      const s = spec.settings;
      const description: TransportDescription = {
        name: 'redis',
        clients: [{ name: 'ioredis', version: ioredisVersion }],
        address: addressOf(url),
        delivery: {
          publishAck: 'XADD reply: the entry is in the server’s memory',
          shards: s.shards,
          keyedBy: 'customerId (fnv1a32 % shards → stream <prefix>:<channel>:<shard>)',
          consumerGroup: 'one per channel, on each shard stream',
          partitionOwner: 'one member per shard (shard % instances); the observer reads all',
          perCustomerSerial: true,
          ackAfterHandler: true,
          prefetch: s.prefetch,
          takeover: 'XAUTOCLAIM moves what an earlier member left pending; pending entries are handled first, flagged redelivered',
          deduplication: 'none on XADD: a repeated publish is a second entry (services de-duplicate by event id)',
          replication: 'none (one server; WAIT not used)',
          'retry.handler': `${describePolicy(HANDLER_RETRY)}; then the connection gives up`,
          'retry.broker': `reconnect: ${describePolicy(BROKER_RETRY)}; then the connection gives up`,
        },
      };
      try {
        await withClient(url, 'bench-describe', 'describing the server', async (c) => {
          const [, appendonly] = (await c.config('GET', 'appendonly')) as string[];
          const [, appendfsync] = (await c.config('GET', 'appendfsync')) as string[];
          const [, save] = (await c.config('GET', 'save')) as string[];
          description.delivery.persistence = durabilityOf(appendonly ?? '', appendfsync ?? '', save ?? '');
          const version = /redis_version:([^\r\n]+)/.exec(await c.info('server'))?.[1];
          if (version) description.server = { name: 'Redis', version };
        }, PING_TIMEOUT_MS);
      } catch {
        description.delivery.persistence = 'not known: the server did not answer';
      }
      return description;
    },

    async provision(spec) {
      await withClient(spec.endpoints.redis.url, `${spec.prefix}.admin`, `creating streams under ${spec.prefix}`, async (c) => {
        for (const channel of REDIS_CHANNELS) {
          for (let shard = 0; shard < spec.settings.shards; shard++) {
            await c.xgroup('CREATE', streamKey(spec.prefix, channel, shard), groupName(spec.prefix, channel), '0', 'MKSTREAM');
          }
        }
      });
    },

    async deprovision(spec) {
      await withClient(spec.endpoints.redis.url, `${spec.prefix}.admin`, `removing streams of ${spec.prefix}`, (c) => c.del(...runKeys(spec)));
    },

    async cleanupStale(spec, stem) {
      return withClient(spec.endpoints.redis.url, 'bench-clean', `removing stale streams named ${stem}*`, async (c) => {
        const removed: string[] = [];
        let cursor = '0';
        do {
          const [next, keys] = (await c.call('SCAN', cursor, 'MATCH', `${stem}*`, 'COUNT', 1000, 'TYPE', 'stream')) as [string, string[]];
          cursor = next;
          for (const key of keys) {
            if (key.startsWith(`${spec.prefix}:`)) continue;
            // a member that read within the last 5 s belongs to a run that is still going
            const groups = ((await c.xinfo('GROUPS', key)) as unknown[][]).map(asRecord);
            const consumers = await Promise.all(groups.map(async (g) => ((await c.xinfo('CONSUMERS', key, String(g.name))) as unknown[][]).map(asRecord)));
            if (consumers.flat().some((m) => Number(m.idle) < 5_000)) continue;
            await c.del(key);
            removed.push(`stream ${key}`);
          }
        } while (cursor !== '0');
        return removed;
      });
    },

    async connect(spec, clientId) {
      const { url } = spec.endpoints.redis;
      const client = createClient(url, clientId);
      try {
        await client.connect();
      } catch (e) {
        client.disconnect();
        throw redisError(addressOf(url), `connecting ${clientId}`, e);
      }
      return new RedisConnection(client, spec, clientId, url, addressOf(url));
    },

    /** per channel: entries its group has not read yet (lag) plus those read and not yet acknowledged (pending) */
    async backlog(spec): Promise<BacklogSample[]> {
      return withClient(spec.endpoints.redis.url, `${spec.prefix}.backlog`, `reading the backlog of ${spec.prefix}`, (c) =>
        Promise.all(
          REDIS_CHANNELS.map(async (channel) => {
            const name = groupName(spec.prefix, channel);
            let depth = 0;
            for (let shard = 0; shard < spec.settings.shards; shard++) {
              const g = ((await c.xinfo('GROUPS', streamKey(spec.prefix, channel, shard))) as unknown[][]).map(asRecord).find((x) => x.name === name);
              depth += Number(g?.lag ?? 0) + Number(g?.pending ?? 0);
            }
            return { channel, name, depth };
          }),
        ),
      );
    },

    async ping(endpoints) {
      try {
        await withClient(endpoints.redis.url, 'bench-ping', 'ping', (c) => c.ping(), PING_TIMEOUT_MS);
        return true;
      } catch {
        return false;
      }
    },
  };
}
