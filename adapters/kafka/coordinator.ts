import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * kafkajs 2.2.4 finds a consumer group's coordinator when the member joins and keeps it:
 * when that broker dies, the member's heartbeats and offset commits go on to it (once
 * the controller has fenced it, they fail with "Broker N not found in the cached
 * metadata") until it comes back, and the member's fetch loop keeps failing with them.
 * In failover runs on three brokers the group whose coordinator was killed carried
 * nothing for 30-50 s, the whole outage and more, while the other groups had moved on
 * 10-16 s after the kill (adapters/kafka/README.md). The Java client marks its
 * coordinator dead at the first failed request and asks for the group's coordinator
 * again; so does this, in the two places kafkajs does not:
 *  - a heartbeat that fails because the coordinator's broker is gone asks for the
 *    coordinator again (once the group's offsets partition has a new leader that is
 *    another broker), and the member's next heartbeat goes there: it is answered, or
 *    told to re-join, which kafkajs handles itself;
 *  - an offset commit whose coordinator connection is down asks for the coordinator
 *    instead of looking up the same broker again.
 * kafkajs is no longer released (2.2.4 is its last version), so the change is applied to
 * that version's classes only; any other version is left as it is.
 */

/** errors that say the coordinator's broker is unreachable, not that it answered */
const GONE = new Set(['KafkaJSConnectionError', 'KafkaJSConnectionClosedError', 'KafkaJSBrokerNotFound', 'KafkaJSRequestTimeoutError']);
const GONE_TYPES = new Set(['COORDINATOR_NOT_AVAILABLE', 'NOT_COORDINATOR', 'GROUP_COORDINATOR_NOT_AVAILABLE', 'NOT_COORDINATOR_FOR_GROUP']);
/** how long one lookup may hold a heartbeat (kafkajs retries it inside) */
const LOOKUP_TIMEOUT_MS = 5_000;

interface BrokerLike {
  nodeId: number;
  isConnected(): boolean;
}
interface ClusterLike {
  findGroupCoordinator(o: { groupId: string }): Promise<BrokerLike>;
}
interface ConsumerGroupLike {
  groupId: string;
  cluster: ClusterLike;
  coordinator: BrokerLike | null;
  offsetManager: { coordinator: BrokerLike } | null;
  benchLookup?: Promise<void>;
}
interface OffsetManagerLike {
  groupId: string;
  cluster: ClusterLike;
  coordinator: BrokerLike;
}

export function isCoordinatorGone(e: unknown): boolean {
  const seen = new Set<unknown>();
  const visit = (x: unknown): boolean => {
    if (!x || typeof x !== 'object' || seen.has(x)) return false;
    seen.add(x);
    const err = x as { name?: unknown; type?: unknown; originalError?: unknown; cause?: unknown };
    if (typeof err.name === 'string' && GONE.has(err.name)) return true;
    if (typeof err.type === 'string' && GONE_TYPES.has(err.type)) return true;
    return visit(err.originalError) || visit(err.cause);
  };
  return visit(e);
}

let applied: boolean | undefined;

/** Applies the change once per process; false when this kafkajs is not the version it fits. */
export function reDiscoverCoordinators(): boolean {
  if (applied !== undefined) return applied;
  applied = false;
  try {
    const version = (require('kafkajs/package.json') as { version: string }).version;
    if (version !== '2.2.4') return false;
    const ConsumerGroup = require('kafkajs/src/consumer/consumerGroup.js') as { prototype: Record<string, unknown> };
    const OffsetManager = require('kafkajs/src/consumer/offsetManager/index.js') as { prototype: Record<string, unknown> };
    const heartbeat = ConsumerGroup.prototype['heartbeat'] as ((this: ConsumerGroupLike, a: unknown) => Promise<unknown>) | undefined;
    const getCoordinator = OffsetManager.prototype['getCoordinator'];
    if (typeof heartbeat !== 'function' || typeof getCoordinator !== 'function') return false;

    ConsumerGroup.prototype['heartbeat'] = async function (this: ConsumerGroupLike, a: unknown): Promise<unknown> {
      try {
        return await heartbeat.call(this, a);
      } catch (e) {
        if (isCoordinatorGone(e)) await lookUpAgain(this);
        throw e;
      }
    };
    OffsetManager.prototype['getCoordinator'] = async function (this: OffsetManagerLike): Promise<BrokerLike> {
      if (!this.coordinator.isConnected()) this.coordinator = await this.cluster.findGroupCoordinator({ groupId: this.groupId });
      return this.coordinator;
    };
    applied = true;
  } catch {
    applied = false;
  }
  return applied;
}

/** One lookup at a time per member; a lookup that fails or takes too long leaves things as they were. */
async function lookUpAgain(group: ConsumerGroupLike): Promise<void> {
  group.benchLookup ??= (async () => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const found = await Promise.race([
        group.cluster.findGroupCoordinator({ groupId: group.groupId }),
        new Promise<undefined>((resolve) => {
          timer = setTimeout(() => resolve(undefined), LOOKUP_TIMEOUT_MS);
        }),
      ]);
      if (!found) return;
      const before = group.coordinator?.nodeId;
      group.coordinator = found;
      if (group.offsetManager) group.offsetManager.coordinator = found;
      if (before !== found.nodeId) process.stderr.write(`kafka group ${group.groupId}: coordinator ${before ?? '?'} unreachable; the group's coordinator is now broker ${found.nodeId}\n`);
    } catch {
      // still none to be found: the next failed heartbeat asks again
    } finally {
      clearTimeout(timer);
      group.benchLookup = undefined;
    }
  })();
  await group.benchLookup;
}
