import { Kafka, logLevel } from 'kafkajs';
/**
 * The node id leading the busiest partition of a run's topics (`<prefix>.*`): the partition
 * with the highest end offset, i.e. the most records written so far. Asked through the
 * admin API at the moment a failover fault begins, so the fault hits the leader that
 * actually carries the load then.
 */
export async function kafkaBusiestLeader(brokers, topicPrefix, timeoutMs = 5000) {
    const admin = new Kafka({ clientId: 'bench-faults', brokers, logLevel: logLevel.NOTHING, requestTimeout: timeoutMs, retry: { retries: 2 } }).admin();
    await admin.connect();
    try {
        const topics = (await admin.listTopics()).filter((t) => t.startsWith(`${topicPrefix}.`));
        if (topics.length === 0)
            throw new Error(`no topic under ${topicPrefix}`);
        const meta = await admin.fetchTopicMetadata({ topics });
        let best;
        for (const topic of topics) {
            const offsets = await admin.fetchTopicOffsets(topic);
            const partitions = meta.topics.find((t) => t.name === topic)?.partitions ?? [];
            for (const o of offsets) {
                const leader = partitions.find((p) => p.partitionId === o.partition)?.leader;
                const endOffset = Number(o.high);
                if (leader === undefined || leader < 0)
                    continue;
                if (!best || endOffset > best.endOffset)
                    best = { node: leader, topic, partition: o.partition, endOffset };
            }
        }
        if (!best)
            throw new Error(`no partition of ${topicPrefix}.* has a leader`);
        return best;
    }
    finally {
        await admin.disconnect().catch(() => undefined);
    }
}
//# sourceMappingURL=kafka-leader.js.map