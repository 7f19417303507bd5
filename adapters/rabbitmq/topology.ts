/**
 * Names and shapes of the broker objects a RabbitMQ run creates, and how a
 * customer is mapped onto a shard queue. Pure functions, no I/O.
 *
 *   exchange  <prefix>.<channel>            durable; x-consistent-hash when the server has
 *                                           the plugin, else direct
 *   queue     <prefix>.<channel>.<shard>    durable, single active consumer
 *   binding   exchange → queue: weight (consistent hash) or shard index (direct)
 */
import type { Channel } from '../../src/contract/events.js';
import type { MessagingRunSpec, RabbitMqSettings } from '../../src/contract/transport.js';

/** Every channel a run carries; a Record so that a new Channel fails to compile here. */
const CHANNEL_SET: Record<Channel, true> = { inventory: true, payment: true, shipment: true, order: true, observer: true };
export const RUN_CHANNELS = Object.keys(CHANNEL_SET) as Channel[];

export type QueueType = RabbitMqSettings['queueType'];

/** A run of this adapter: its settings arrive parsed and checked (prefetch, shards, queue type). */
export type RabbitRunSpec = MessagingRunSpec<RabbitMqSettings>;

/**
 * How customers are spread over a channel's shard queues:
 *  - `consistent-hash`: the broker hashes the routing key (the customer id) onto
 *    the queues bound to an x-consistent-hash exchange (plugin);
 *  - `adapter-hash`: the publisher computes `shardOf(customerId)` and routes to that
 *    queue through a direct exchange.
 */
export type Sharding = 'consistent-hash' | 'adapter-hash';

/** Points on the hash ring per shard queue (the binding key of an x-consistent-hash binding). */
export const CONSISTENT_HASH_WEIGHT = 20;

export function exchangeType(sharding: Sharding): string {
  return sharding === 'consistent-hash' ? 'x-consistent-hash' : 'direct';
}

/** Binding key of a shard queue on its channel's exchange. */
export function bindingKey(sharding: Sharding, shard: number): string {
  return sharding === 'consistent-hash' ? String(CONSISTENT_HASH_WEIGHT) : String(shard);
}

/** Routing key of an event: what the exchange routes on. */
export function routingKey(sharding: Sharding, customerId: string, shards: number): string {
  return sharding === 'consistent-hash' ? customerId : String(shardOf(customerId, shards));
}

export function exchangeName(prefix: string, channel: Channel): string {
  return `${prefix}.${channel}`;
}

export function queueName(prefix: string, channel: Channel, shard: number): string {
  return `${prefix}.${channel}.${shard}`;
}

/** Arguments every shard queue is declared with (a redeclare must use the same ones). */
export function queueArguments(queueType: QueueType): Record<string, unknown> {
  return { 'x-queue-type': queueType, 'x-single-active-consumer': true };
}

/** FNV-1a, 32 bit, over the UTF-8 bytes: stable across processes, runs and machines. */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** The shard queue a customer's events go to: every event of one customer, always the same one. */
export function shardOf(customerId: string, shards: number): number {
  return fnv1a32(customerId) % shards;
}

/**
 * The shards a member consumes first; it joins the others later, as a standby.
 * Single active consumer makes the first consumer registered on a queue its active
 * one, so without this the first member to start would own every shard.
 */
export function preferredShards(instance: number, instancesPerService: number, shards: number): number[] {
  const members = Math.max(1, instancesPerService);
  const all = Array.from({ length: shards }, (_, shard) => shard);
  return members === 1 ? all : all.filter((shard) => shard % members === instance % members);
}

/** True when `name` is one of the objects of a run whose prefix starts with `stem`. */
export function isRunObject(name: string, stem: string): boolean {
  if (!name.startsWith(stem)) return false;
  return RUN_CHANNELS.some((channel) => name.endsWith(`.${channel}`) || new RegExp(`\\.${channel}\\.\\d+$`).test(name));
}
