import type { Admin } from 'kafkajs';
import { BenchError, ConfigError } from '../../src/contract/errors.js';
import type { BacklogSample } from '../../src/contract/transport.js';
import { createClient, wrapError } from './client.js';
import { CONSUMER_TIMING, KAFKA_CHANNELS, groupName, topicName, type KafkaRunSpec } from './names.js';

/** Runs `fn` with a fresh admin client and always disconnects it. */
export async function withAdmin<T>(spec: KafkaRunSpec, action: string, fn: (admin: Admin) => Promise<T>): Promise<T> {
  const endpoint = spec.endpoints.kafka;
  const admin = createClient(endpoint, `${spec.prefix}.admin`).admin();
  try {
    await admin.connect();
    return await fn(admin);
  } catch (e) {
    throw wrapError(e, endpoint, action);
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

/** how long a kept admin client stays connected after its last use */
const KEPT_IDLE_MS = 3_000;

interface Kept {
  admin: Admin;
  connected: Promise<void>;
  idle: NodeJS.Timeout | undefined;
  /** calls still running on it: a kafkajs admin disconnected under a call reconnects for it */
  pending: Set<Promise<unknown>>;
}

/**
 * One admin client per run, kept connected between calls (backlog sampling asks every
 * second: connecting each time costs the broker ApiVersions and Metadata requests and a
 * new connection). It disconnects after KEPT_IDLE_MS without a call, on an error, and at
 * deprovision.
 */
const kept = new Map<string, Kept>();

async function withKeptAdmin<T>(spec: KafkaRunSpec, action: string, fn: (admin: Admin) => Promise<T>): Promise<T> {
  let k = kept.get(spec.prefix);
  if (!k) {
    const admin = createClient(spec.endpoints.kafka, `${spec.prefix}.admin`).admin();
    k = { admin, connected: admin.connect(), idle: undefined, pending: new Set() };
    kept.set(spec.prefix, k);
  }
  clearTimeout(k.idle);
  const kk = k;
  const call = k.connected.then(() => fn(kk.admin));
  k.pending.add(call);
  try {
    return await call;
  } catch (e) {
    await closeKeptAdmin(spec.prefix);
    throw wrapError(e, spec.endpoints.kafka, action);
  } finally {
    k.pending.delete(call);
    if (kept.get(spec.prefix) === k) {
      clearTimeout(k.idle);
      k.idle = setTimeout(() => void closeKeptAdmin(spec.prefix), KEPT_IDLE_MS);
      k.idle.unref();
    }
  }
}

/** Disconnects the run's kept admin client, if there is one. */
export async function closeKeptAdmin(prefix: string): Promise<void> {
  const k = kept.get(prefix);
  if (!k) return;
  kept.delete(prefix);
  clearTimeout(k.idle);
  await k.connected.catch(() => {});
  await k.admin.disconnect().catch(() => {});
  // a call still retrying reconnects the client it runs on (each retry opens new broker
  // connections after a broker was killed): disconnect again once those calls have ended
  if (k.pending.size > 0) void Promise.allSettled([...k.pending]).then(() => k.admin.disconnect().catch(() => {}));
}

/** True when a kafkajs error (or one it wraps) is an authorization refusal. */
function isAuthorizationFailure(err: unknown): boolean {
  const seen = new Set<unknown>();
  const visit = (e: unknown): boolean => {
    if (!e || typeof e !== 'object' || seen.has(e)) return false;
    seen.add(e);
    const x = e as { type?: unknown; originalError?: unknown; cause?: unknown; errors?: unknown };
    if (typeof x.type === 'string' && x.type.endsWith('AUTHORIZATION_FAILED')) return true;
    return visit(x.originalError) || visit(x.cause) || (Array.isArray(x.errors) && x.errors.some(visit));
  };
  return visit(err);
}

/** What a run needs on a cluster, for errors where it cannot create or use it. */
export function kafkaNeeds(spec: KafkaRunSpec): string {
  const s = spec.settings;
  const topics = KAFKA_CHANNELS.map((c) => topicName(spec.prefix, c)).join(', ');
  return `topics ${topics} (${s.partitions} partitions, replication factor ${s.replicationFactor}), ` +
    `with Describe, Read and Write on them, Create and Delete on topics and Read and Delete on groups named ${spec.prefix}.*`;
}

/**
 * One topic per channel with the scenario's partitions, replication and
 * min.insync.replicas. The replication factor is checked against the cluster's
 * broker count first: Kafka's own refusal does not say how many brokers there are.
 */
export async function provisionTopics(spec: KafkaRunSpec): Promise<void> {
  const s = spec.settings;
  const address = spec.endpoints.kafka.brokers.join(',');
  await withAdmin(spec, `creating topics under ${spec.prefix}`, async (admin) => {
    const { brokers } = await admin.describeCluster();
    if (s.replicationFactor > brokers.length) {
      throw new ConfigError(
        `transport.kafka.replicationFactor ${s.replicationFactor} exceeds the ${brokers.length} broker${brokers.length === 1 ? '' : 's'} of the cluster at ${address}: ` +
          `use at most ${brokers.length} there (and minInsyncReplicas at most that)`,
      );
    }
    try {
      await admin.createTopics({
        waitForLeaders: true,
        topics: KAFKA_CHANNELS.map((c) => ({
          topic: topicName(spec.prefix, c),
          numPartitions: s.partitions,
          replicationFactor: s.replicationFactor,
          configEntries: [{ name: 'min.insync.replicas', value: String(s.minInsyncReplicas) }],
        })),
      });
    } catch (e) {
      if (!isAuthorizationFailure(e)) throw e;
      throw new BenchError('UNREACHABLE', `kafka at ${address}: not allowed to create the run's topics; it needs ${kafkaNeeds(spec)}; ` +
        'or create them beforehand and set provision: false in the target (docs/targets.md)', { cause: e });
    }
  });
}

/**
 * Existing topics (a target with `provision: false`): each channel's topic must be
 * there with the scenario's partition count. Creates nothing.
 */
export async function verifyTopics(spec: KafkaRunSpec): Promise<void> {
  const s = spec.settings;
  const address = spec.endpoints.kafka.brokers.join(',');
  await withAdmin(spec, `checking the topics of ${spec.prefix}`, async (admin) => {
    const listed = new Set(await admin.listTopics());
    const wanted = KAFKA_CHANNELS.map((c) => topicName(spec.prefix, c));
    const missing = wanted.filter((t) => !listed.has(t));
    if (missing.length > 0) {
      throw new BenchError('UNREACHABLE', `kafka at ${address}: provision is false but ${missing.join(', ')} ${missing.length === 1 ? 'does' : 'do'} not exist (or cannot be described); ` +
        `the run needs ${kafkaNeeds(spec).replace(/, Create and Delete on topics and/, ', and')}`);
    }
    const { topics } = await admin.fetchTopicMetadata({ topics: wanted });
    const off = topics.filter((t) => t.partitions.length !== s.partitions);
    if (off.length > 0) {
      throw new ConfigError(`kafka at ${address}: ${off.map((t) => `${t.name} has ${t.partitions.length} partitions`).join(', ')}; ` +
        `the scenario asks ${s.partitions}: set transport.kafka.partitions to match`);
    }
  });
}

interface GroupFailure {
  groupId: string;
  error?: { type?: string };
}

/** Deletes groups in one call; returns the groups it could not delete, each with its error. */
async function tryDeleteGroups(admin: Admin, groups: string[]): Promise<GroupFailure[]> {
  if (groups.length === 0) return [];
  try {
    await admin.deleteGroups(groups);
    return [];
  } catch (e) {
    // KafkaJSDeleteGroupsError lists the groups that could not be deleted.
    const failures = (e as { groups?: GroupFailure[] }).groups;
    if (!failures) throw e;
    return failures;
  }
}

/**
 * Deletes groups; one already gone is fine. A group that still has members
 * (NON_EMPTY_GROUP) is retried until `waitMs` has passed: a member of a killed process
 * stays until its session times out. `skipInUse` leaves such a group alone instead
 * (stale clean-up: the next clean-up removes it). Returns the groups it deleted.
 */
async function deleteGroups(admin: Admin, groups: string[], o: { skipInUse: boolean; waitMs: number }): Promise<string[]> {
  const deadline = Date.now() + o.waitMs;
  let pending = groups;
  const kept = new Set<string>();
  for (;;) {
    const failures = (await tryDeleteGroups(admin, pending)).filter((f) => f.error?.type !== 'GROUP_ID_NOT_FOUND');
    const inUse = failures.filter((f) => f.error?.type === 'NON_EMPTY_GROUP');
    const other = failures.filter((f) => f.error?.type !== 'NON_EMPTY_GROUP');
    const describe = (fs: GroupFailure[]): string => fs.map((f) => `${f.groupId} (${f.error?.type ?? 'unknown error'})`).join(', ');
    if (other.length > 0) throw new Error(`cannot delete consumer groups: ${describe(other)}`);
    if (inUse.length === 0) break;
    if (o.skipInUse) {
      for (const f of inUse) kept.add(f.groupId);
      break;
    }
    if (Date.now() > deadline) throw new Error(`cannot delete consumer groups: ${describe(inUse)}: members still joined after ${o.waitMs} ms`);
    pending = inUse.map((f) => f.groupId);
    await new Promise((r) => setTimeout(r, 500));
  }
  return groups.filter((g) => !kept.has(g));
}

function isUnknownTopic(err: unknown): boolean {
  for (let e: unknown = err; e; e = (e as { originalError?: unknown }).originalError) {
    if ((e as { type?: unknown }).type === 'UNKNOWN_TOPIC_OR_PARTITION') return true;
  }
  return false;
}

/**
 * Deletes topics one request each, so a topic already gone does not fail the others,
 * then waits until the broker's metadata no longer lists them (a KRaft broker's
 * metadata cache trails the controller by a moment). Returns the topics it deleted.
 */
async function deleteTopics(admin: Admin, topics: string[]): Promise<string[]> {
  const deleted: string[] = [];
  await Promise.all(
    topics.map(async (topic) => {
      try {
        await admin.deleteTopics({ topics: [topic], timeout: 10_000 });
        deleted.push(topic);
      } catch (e) {
        if (!isUnknownTopic(e)) throw e;
      }
    }),
  );
  const deadline = Date.now() + TOPIC_GONE_TIMEOUT_MS;
  for (;;) {
    const listed = new Set(await admin.listTopics());
    const left = topics.filter((t) => listed.has(t));
    if (left.length === 0) break;
    if (Date.now() > deadline) throw new Error(`topics still listed ${TOPIC_GONE_TIMEOUT_MS} ms after deletion: ${left.join(', ')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return topics.filter((t) => deleted.includes(t));
}

const TOPIC_GONE_TIMEOUT_MS = 10_000;
/** how long deprovision waits for members of killed processes to time out of their groups */
const GROUP_EMPTY_TIMEOUT_MS = CONSUMER_TIMING.sessionTimeoutMs + 2_000;

/**
 * Deletes the groups, then the topics, that exist and match; returns what it removed.
 * Groups go first so members have left before their topic disappears; a topic whose
 * group (same name) is still in use and was skipped is kept too.
 */
async function removeObjects(
  admin: Admin,
  keep: (name: string) => boolean,
  groupMode: { skipInUse: boolean; waitMs: number },
  onLeft?: (name: string, why: string) => void,
): Promise<string[]> {
  const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter(keep);
  const removedGroups = await deleteGroups(admin, groups, groupMode);
  const inUse = new Set(groups.filter((g) => !removedGroups.includes(g)));
  for (const g of inUse) onLeft?.(`group ${g}`, 'members still joined: a run still going (its topic stays too)');
  const topics = (await admin.listTopics()).filter((t) => keep(t) && !inUse.has(t));
  const removedTopics = await deleteTopics(admin, topics);
  return [...removedTopics.map((t) => `topic ${t}`), ...removedGroups.map((g) => `group ${g}`)];
}

export async function deprovisionRun(spec: KafkaRunSpec): Promise<string[]> {
  await closeKeptAdmin(spec.prefix);
  const names = new Set(KAFKA_CHANNELS.flatMap((c) => [topicName(spec.prefix, c), groupName(spec.prefix, c)]));
  return withAdmin(spec, `removing topics and groups of ${spec.prefix}`, (admin) =>
    removeObjects(admin, (n) => names.has(n), { skipInUse: false, waitMs: GROUP_EMPTY_TIMEOUT_MS }),
  );
}

/** Topics and groups of earlier runs: named `<stem>...`, not under this run's own prefix. */
export async function removeStale(spec: KafkaRunSpec, stem: string, onLeft?: (name: string, why: string) => void): Promise<string[]> {
  const own = `${spec.prefix}.`;
  return withAdmin(spec, `removing stale objects named ${stem}*`, (admin) =>
    removeObjects(admin, (n) => n.startsWith(stem) && !n.startsWith(own), { skipInUse: true, waitMs: 0 }, onLeft),
  );
}

/**
 * Like Promise.all, but it fails only once every promise has settled: the client must not
 * be closed on the first failure while the other requests still retry on it.
 */
async function settleAll<T>(promises: Array<Promise<T>>): Promise<T[]> {
  const settled = await Promise.allSettled(promises);
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((r) => (r as PromiseFulfilledResult<T>).value);
}

/**
 * Consumer-group lag of each channel: the topic's end offsets minus the group's
 * committed offsets (the start offset where the group has committed nothing yet),
 * through the run's kept admin client.
 */
export async function channelLag(spec: KafkaRunSpec): Promise<BacklogSample[]> {
  return withKeptAdmin(spec, `reading consumer-group lag of ${spec.prefix}`, async (admin) =>
    settleAll(
      KAFKA_CHANNELS.map(async (channel) => {
        const topic = topicName(spec.prefix, channel);
        const groupId = groupName(spec.prefix, channel);
        const endsP = admin.fetchTopicOffsets(topic);
        const committedP = admin.fetchOffsets({ groupId, topics: [topic] });
        await Promise.allSettled([endsP, committedP]); // neither left retrying when the other fails
        const [ends, committed] = await Promise.all([endsP, committedP]);
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
