/** Every channel of a run, each a topic and a consumer group of the same name. */
const CHANNEL_SET = { inventory: true, payment: true, shipment: true, order: true, observer: true };
export const KAFKA_CHANNELS = Object.keys(CHANNEL_SET);
/** Topic of a channel: `<prefix>.<channel>`. */
export function topicName(prefix, channel) {
    return `${prefix}.${channel}`;
}
/** Consumer group of a channel; every member of the channel joins it. Same name as the topic. */
export function groupName(prefix, channel) {
    return `${prefix}.${channel}`;
}
/** Consumer timing: small enough that a killed member's partitions move within seconds. */
export const CONSUMER_TIMING = {
    /** the broker's default group.min.session.timeout.ms is 6000 */
    sessionTimeoutMs: 6_000,
    heartbeatIntervalMs: 1_000,
    rebalanceTimeoutMs: 10_000,
    /** broker long-poll of an idle fetch; also how soon an idle member notices a rebalance */
    maxWaitTimeMs: 500,
    /** how long subscribe waits for the member to join the group */
    joinTimeoutMs: 60_000,
};
//# sourceMappingURL=names.js.map