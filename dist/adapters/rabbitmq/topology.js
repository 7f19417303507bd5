/** Every channel a run carries; a Record so that a new Channel fails to compile here. */
const CHANNEL_SET = { inventory: true, payment: true, shipment: true, order: true, observer: true };
export const RUN_CHANNELS = Object.keys(CHANNEL_SET);
/** Points on the hash ring per shard queue (the binding key of an x-consistent-hash binding). */
export const CONSISTENT_HASH_WEIGHT = 20;
export function exchangeType(sharding) {
    return sharding === 'consistent-hash' ? 'x-consistent-hash' : 'direct';
}
/** Binding key of a shard queue on its channel's exchange. */
export function bindingKey(sharding, shard) {
    return sharding === 'consistent-hash' ? String(CONSISTENT_HASH_WEIGHT) : String(shard);
}
/** Routing key of an event: what the exchange routes on. */
export function routingKey(sharding, customerId, shards) {
    return sharding === 'consistent-hash' ? customerId : String(shardOf(customerId, shards));
}
export function exchangeName(prefix, channel) {
    return `${prefix}.${channel}`;
}
export function queueName(prefix, channel, shard) {
    return `${prefix}.${channel}.${shard}`;
}
/** Arguments every shard queue is declared with (a redeclare must use the same ones). */
export function queueArguments(queueType) {
    return { 'x-queue-type': queueType, 'x-single-active-consumer': true };
}
/** FNV-1a, 32 bit, over the UTF-8 bytes: stable across processes, runs and machines. */
export function fnv1a32(text) {
    let hash = 0x811c9dc5;
    for (const byte of Buffer.from(text, 'utf8')) {
        hash ^= byte;
        hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return hash >>> 0;
}
/** The shard queue a customer's events go to: every event of one customer, always the same one. */
export function shardOf(customerId, shards) {
    return fnv1a32(customerId) % shards;
}
/**
 * The shards a member consumes first; it joins the others later, as a standby.
 * Single active consumer makes the first consumer registered on a queue its active
 * one, so without this the first member to start would own every shard.
 */
export function preferredShards(instance, instancesPerService, shards) {
    const members = Math.max(1, instancesPerService);
    const all = Array.from({ length: shards }, (_, shard) => shard);
    return members === 1 ? all : all.filter((shard) => shard % members === instance % members);
}
/** True when `name` is one of the objects of a run whose prefix starts with `stem`. */
export function isRunObject(name, stem) {
    if (!name.startsWith(stem))
        return false;
    return RUN_CHANNELS.some((channel) => name.endsWith(`.${channel}`) || new RegExp(`\\.${channel}\\.\\d+$`).test(name));
}
//# sourceMappingURL=topology.js.map