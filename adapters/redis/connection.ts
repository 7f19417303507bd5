/**
 * One process's Redis connection: XADD to publish (auto-pipelined, so concurrent
 * publishes share round trips and keep their call order), and per subscription one
 * blocking connection that reads the member's shard streams with XREADGROUP, hands
 * events to per-customer lanes and XACKs each after its handler.
 */
import type { Redis } from 'ioredis';
import type { BenchError } from '../../src/contract/errors.js';
import { CustomerLanes, ownedPartitions, partitionOf } from '../../src/contract/customer-lanes.js';
import type { Channel, OrderEvent, ServiceName } from '../../src/contract/events.js';
import { GaveUpNotice } from '../../src/contract/retry.js';
import type { EventHandler, MessagingConnection, Subscription } from '../../src/contract/transport.js';
import { createClient, groupName, redisError, streamKey, type RedisRunSpec } from './names.js';

/** How long one XREADGROUP blocks, ms: also how soon a closing subscription notices. */
const BLOCK_MS = 500;

type Entries = Array<[id: string, fields: string[]]>;

export class RedisConnection implements MessagingConnection {
  private readonly gaveUp = new GaveUpNotice();
  private readonly subscriptions = new Set<RedisSubscription>();
  private closing = false;

  constructor(
    private readonly client: Redis,
    private readonly spec: RedisRunSpec,
    private readonly clientId: string,
    private readonly url: string,
    private readonly address: string,
  ) {
    client.on('end', () => this.lost('the connection'));
  }

  private lost(what: string): void {
    if (this.closing) return;
    const e = redisError(this.address, what, new Error('connection closed; reconnecting gave up'));
    process.stderr.write(`${e.message}; its consumers stopped, unacknowledged entries stay pending in their groups\n`);
    this.gaveUp.give(e);
  }

  onGaveUp(listener: (err: BenchError) => void): void {
    this.gaveUp.listen(listener);
  }

  async publish(channel: Channel, event: OrderEvent): Promise<void> {
    const key = streamKey(this.spec.prefix, channel, partitionOf(event.customerId, this.spec.settings.shards));
    try {
      // NOMKSTREAM: a stream that was never provisioned fails the publish instead of appearing
      const id = await this.client.xadd(key, 'NOMKSTREAM', '*', 'event', JSON.stringify(event));
      if (id === null) throw new Error(`${key} does not exist (not provisioned?); the event was not stored`);
    } catch (e) {
      throw redisError(this.address, `publishing ${event.eventId} to ${key}`, e);
    }
  }

  async subscribe(channel: Channel, member: { service: ServiceName | 'observer'; instance: number }, handler: EventHandler): Promise<Subscription> {
    const group = groupName(this.spec.prefix, channel);
    const keys = ownedPartitions(member, this.spec.instancesPerService, this.spec.settings.shards).map((s) => streamKey(this.spec.prefix, channel, s));
    // the consumer name is unique per process: a restarted member claims what its earlier life left pending
    const consumer = `${this.clientId}:${member.service}-${member.instance}`;
    const reader = createClient(this.url, consumer);
    const sub = new RedisSubscription(reader, this.client, group, consumer, keys, handler, this.spec.settings.prefetch, (err) => this.gaveUp.give(redisError(this.address, `handling ${group}`, err)));
    reader.on('end', () => {
      if (!sub.closed) this.lost(`reading ${group}`);
    });
    try {
      await reader.connect();
      await sub.start();
    } catch (e) {
      await sub.close();
      throw redisError(this.address, `consuming ${group} as ${member.service}-${member.instance}`, e);
    }
    this.subscriptions.add(sub);
    return { close: async () => (this.subscriptions.delete(sub), sub.close()) };
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    for (const sub of [...this.subscriptions]) await sub.close();
    await this.client.quit().catch(() => this.client.disconnect());
  }
}

/** One member's consumption of its shard streams of one channel. */
class RedisSubscription {
  private readonly lanes: CustomerLanes;
  private held = 0;
  closed = false;
  private loop: Promise<void> = Promise.resolve();

  constructor(
    private readonly reader: Redis,
    private readonly acker: Redis,
    private readonly group: string,
    private readonly consumer: string,
    private readonly keys: string[],
    handler: EventHandler,
    private readonly prefetch: number,
    onGaveUp: (err: unknown) => void,
  ) {
    this.lanes = new CustomerLanes(handler, onGaveUp);
  }

  /**
   * Takes over the shards: XAUTOCLAIM moves every entry an earlier member left pending
   * (it died, or gave up) to this consumer, then this consumer's own pending entries are
   * read first, in stream order, flagged redelivered; then new entries.
   */
  async start(): Promise<void> {
    for (const key of this.keys) {
      for (let cursor = '0-0'; ; ) {
        const [next] = (await this.reader.xautoclaim(key, this.group, this.consumer, 0, cursor, 'COUNT', 1000, 'JUSTID')) as [string, string[]];
        cursor = next;
        if (cursor === '0-0') break;
      }
    }
    // every pending entry at once: entries read with 0 stay pending until acknowledged, so they cannot be paged
    const pending = (await this.read('0', 0, 1_000_000)) ?? [];
    for (const [key, entries] of pending) this.dispatch(key, entries, true);
    this.loop = this.run();
  }

  /** XREADGROUP over every owned shard: `>` for new entries, `0` for this consumer's pending ones. */
  private async read(from: '>' | '0', blockMs: number, count = Math.max(1, this.prefetch - this.held)): Promise<Array<[string, Entries]> | null> {
    const block = blockMs > 0 ? ['BLOCK', blockMs] : [];
    const ids = this.keys.map(() => from);
    const reply = (await this.reader.call('XREADGROUP', 'GROUP', this.group, this.consumer, 'COUNT', count, ...block, 'STREAMS', ...this.keys, ...ids)) as unknown[] | null;
    if (!reply) return null;
    // RESP2 answers [[key, entries], …]; RESP3 (ioredis 6's default) a map, which arrives flat: [key, entries, …]
    if (Array.isArray(reply[0])) return reply as Array<[string, Entries]>;
    const out: Array<[string, Entries]> = [];
    for (let i = 0; i + 1 < reply.length; i += 2) out.push([reply[i] as string, reply[i + 1] as Entries]);
    return out;
  }

  private async run(): Promise<void> {
    while (!this.closed) {
      if (this.held >= this.prefetch) {
        await new Promise((r) => setTimeout(r, 2));
        continue;
      }
      try {
        const batch = await this.read('>', BLOCK_MS);
        for (const [key, entries] of batch ?? []) this.dispatch(key, entries, false);
      } catch {
        // connection lost: ioredis reconnects (BROKER_RETRY) or ends, which gives up the connection
        if (!this.closed) await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  private dispatch(key: string, entries: Entries, redelivered: boolean): void {
    for (const [id, fields] of entries) {
      let event: OrderEvent;
      try {
        event = JSON.parse(fields[fields.indexOf('event') + 1] ?? 'null') as OrderEvent;
        if (typeof event?.customerId !== 'string') throw new Error('no customerId');
      } catch (err) {
        process.stderr.write(`redis: dropping a malformed entry ${id} from ${key}: ${(err as Error).message}\n`);
        void this.acker.xack(key, this.group, id).catch(() => {});
        continue;
      }
      this.held++;
      this.lanes.add(event, { redelivered, source: key }, async () => {
        this.held--;
        await this.acker.xack(key, this.group, id);
      });
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.loop.catch(() => {});
    await this.lanes.close();
    this.reader.disconnect();
  }
}
