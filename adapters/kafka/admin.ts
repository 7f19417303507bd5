import type { Admin } from 'kafkajs';
import type { BacklogSample, MessagingRunSpec } from '../../src/contract/transport.js';
import { createClient, wrapError } from './client.js';
import { KAFKA_CHANNELS, groupName, topicName, topicSettings } from './names.js';

/** Runs `fn` with a fresh admin client and always disconnects it. */
export async function withAdmin<T>(spec: MessagingRunSpec, action: string, fn: (admin: Admin) => Promise<T>): Promise<T> {
  const brokers = spec.endpoints.kafka.brokers;
  const admin = createClient(brokers, `${spec.prefix}.admin`).admin();
  try {
    await admin.connect();
    return await fn(admin);
  } catch (e) {
    throw wrapError(e, brokers, action);
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

/** One topic per channel with the scenario's partitions, replication and min.insync.replicas. */
export async function provisionTopics(spec: MessagingRunSpec): Promise<void> {
  const s = topicSettings(spec);
  await withAdmin(spec, `creating topics under ${spec.prefix}`, async (admin) => {
    await admin.createTopics({
      waitForLeaders: true,
      topics: KAFKA_CHANNELS.map((c) => ({
        topic: topicName(spec.prefix, c),
        numPartitions: s.partitions,
        replicationFactor: s.replicationFactor,
        configEntries: [{ name: 'min.insync.replicas', value: String(s.minInsyncReplicas) }],
      })),
    });
  });
}

async function deleteGroupsQuietly(admin: Admin, groups: string[]): Promise<string[]> {
  if (groups.length === 0) return [];
  try {
    await admin.deleteGroups(groups);
    return groups;
  } catch (e) {
    // KafkaJSDeleteGroupsError lists each group's outcome; a group that is already gone is fine.
    const results = (e as { groups?: Array<{ groupId: string; errorCode: number; error?: { type?: string } }> }).groups;
    if (!results) throw e;
    const failed = results.filter((g) => g.errorCode !== 0 && g.error?.type !== 'GROUP_ID_NOT_FOUND');
    if (failed.length > 0) throw e;
    return results.filter((g) => g.errorCode === 0).map((g) => g.groupId);
  }
}

/** Deletes the named topics and groups that exist; returns what it removed. */
async function removeObjects(admin: Admin, keep: (name: string) => boolean): Promise<string[]> {
  const topics = (await admin.listTopics()).filter(keep);
  const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter(keep);
  if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 10_000 });
  const removedGroups = await deleteGroupsQuietly(admin, groups);
  return [...topics.map((t) => `topic ${t}`), ...removedGroups.map((g) => `group ${g}`)];
}

export async function deprovisionRun(spec: MessagingRunSpec): Promise<string[]> {
  const names = new Set(KAFKA_CHANNELS.flatMap((c) => [topicName(spec.prefix, c), groupName(spec.prefix, c)]));
  return withAdmin(spec, `removing topics and groups of ${spec.prefix}`, (admin) => removeObjects(admin, (n) => names.has(n)));
}

/** Topics and groups of earlier runs: named `<stem>...`, not under this run's own prefix. */
export async function removeStale(spec: MessagingRunSpec, stem: string): Promise<string[]> {
  const own = `${spec.prefix}.`;
  return withAdmin(spec, `removing stale objects named ${stem}*`, (admin) =>
    removeObjects(admin, (n) => n.startsWith(stem) && !n.startsWith(own)),
  );
}

/**
 * Consumer-group lag of each channel: the topic's end offsets minus the group's
 * committed offsets (the start offset where the group has committed nothing yet).
 */
export async function channelLag(spec: MessagingRunSpec): Promise<BacklogSample[]> {
  return withAdmin(spec, `reading consumer-group lag of ${spec.prefix}`, async (admin) =>
    Promise.all(
      KAFKA_CHANNELS.map(async (channel) => {
        const topic = topicName(spec.prefix, channel);
        const groupId = groupName(spec.prefix, channel);
        const [ends, committed] = await Promise.all([admin.fetchTopicOffsets(topic), admin.fetchOffsets({ groupId, topics: [topic] })]);
        const committedBy = new Map((committed[0]?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
        let depth = 0;
        for (const p of ends) {
          const c = committedBy.get(p.partition) ?? -1;
          const from = c >= 0 ? c : Number(p.low);
          depth += Math.max(0, Number(p.high) - from);
        }
        return { channel, name: groupId, depth };
      }),
    ),
  );
}
