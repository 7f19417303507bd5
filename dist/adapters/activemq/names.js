/** Every channel there is; the record makes the compiler notice a channel added to the contract. */
const CHANNEL_SET = { inventory: true, payment: true, shipment: true, order: true, observer: true };
export const ALL_CHANNELS = Object.keys(CHANNEL_SET);
/** Physical queue name of a channel, e.g. `bench-1a2b.inventory`. */
export function queueName(prefix, channel) {
    return `${prefix}.${channel}`;
}
/** STOMP destination of a channel, e.g. `/queue/bench-1a2b.inventory`. */
export function destinationOf(prefix, channel) {
    return `/queue/${queueName(prefix, channel)}`;
}
/** ActiveMQ's individual dead-letter queue for a queue (`DLQ.` prefix in the harness's broker config). */
export function deadLetterQueueName(queue) {
    return `DLQ.${queue}`;
}
/** The channel a physical queue name belongs to under `prefix`, if any. */
export function channelOf(prefix, queue, channels) {
    return channels.find((c) => queueName(prefix, c) === queue);
}
//# sourceMappingURL=names.js.map