/**
 * MQTT 5 adapter (mqtt.js) for Mosquitto: QoS 1 publishes resolved on PUBACK, persistent
 * sessions that queue messages while their reader is away, and either one session per
 * partition (per-customer order kept) or MQTT's shared subscriptions (competing
 * consumers, message by message). README.md states every setting, and what MQTT does
 * and does not promise about order.
 */
import { createRequire } from 'node:module';
import type { MqttClient } from 'mqtt';
import { BROKER_RETRY, describePolicy, HANDLER_RETRY } from '../../src/contract/retry.js';
import type { MessagingAdapter, TransportDescription } from '../../src/contract/transport.js';
import { MqttConnection } from './connection.js';
import { addressOf, mqttError, openClient, RUNS_TOPIC, runSessions, SESSION_EXPIRY_S, type MqttRunSpec, type Session } from './names.js';

const mqttVersion = (createRequire(import.meta.url)('mqtt/package.json') as { version: string }).version;
const PING_TIMEOUT_MS = 1_000;

/** Retained messages on `filter`, collected for `waitMs` (the broker sends them right after SUBACK). */
async function retained(client: MqttClient, filter: string, waitMs = 300): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  client.on('message', (topic, payload, packet) => {
    if (packet.retain && payload.length > 0) out.set(topic, payload.toString());
  });
  await client.subscribeAsync(filter, { qos: 1 });
  await new Promise((r) => setTimeout(r, waitMs));
  return out;
}

async function withClient<T>(url: string, clientId: string, doing: string, work: (c: MqttClient) => Promise<T>, timeoutMs = 5_000): Promise<T> {
  const client = await openClient(url, clientId, false, undefined, timeoutMs);
  try {
    return await work(client);
  } catch (e) {
    throw mqttError(addressOf(url), doing, e);
  } finally {
    await client.endAsync(true).catch(() => {});
  }
}

/** Ends sessions: a clean start with session expiry 0 discards what the broker kept for them. */
async function dropSessions(url: string, sessions: string[]): Promise<void> {
  for (const clientId of sessions) await (await openClient(url, clientId, false)).endAsync();
}

export function createAdapter(): MessagingAdapter<'mqtt'> {
  return {
    name: 'mqtt',

    async describe(spec: MqttRunSpec): Promise<TransportDescription> {
      const s = spec.settings;
      const { url } = spec.endpoints.mqtt;
      const description: TransportDescription = {
        name: 'mqtt',
        clients: [{ name: 'mqtt', version: mqttVersion }],
        address: addressOf(url),
        delivery: {
          protocol: 'MQTT 5',
          publishAck: 'QoS 1: PUBACK from the broker',
          persistence: 'broker setting (Mosquitto: in memory, written to its persistence file periodically and at shutdown)',
          sessions: `persistent (clean start off, session expiry ${SESSION_EXPIRY_S} s): QoS 1 messages queue while the reader is away`,
          consumers: s.consumers === 'shared' ? 'shared subscription: one session per member, the broker picks a member per message' : 'one session per partition, read by one member',
          partitions: s.partitions,
          keyedBy: 'customerId (fnv1a32 % partitions → topic <prefix>/<channel>/<partition>)',
          perCustomerSerial: s.consumers === 'partitions',
          ackAfterHandler: true,
          inFlightPerSession: 1,
          deduplication: 'none: QoS 1 is at least once (services de-duplicate by event id)',
          backlog: 'not available: MQTT cannot ask the broker how many messages a session holds',
          'retry.handler': `${describePolicy(HANDLER_RETRY)}; then the connection gives up`,
          'retry.broker': `reconnect every ${BROKER_RETRY.initialDelayMs} ms (mqtt.js, fixed), at most ${BROKER_RETRY.retries} attempts; then the connection gives up`,
        },
      };
      try {
        await withClient(url, `${spec.prefix}.describe`, 'reading $SYS/broker/version', async (c) => {
          const version = (await retained(c, '$SYS/broker/version', 200)).get('$SYS/broker/version');
          const m = /^(\S+) version (\S+)/.exec(version ?? '');
          if (m) description.server = { name: m[1]!, version: m[2]! };
        }, PING_TIMEOUT_MS);
      } catch {
        /* unreachable: described without a server */
      }
      return description;
    },

    /** Creates every session of the run and its subscription, so messages queue before a reader comes; records the run (retained). */
    async provision(spec) {
      const { url } = spec.endpoints.mqtt;
      const sessions = runSessions(spec);
      for (const session of sessions) {
        const c = await openClient(url, session.clientId, true);
        try {
          await c.subscribeAsync(session.filter, { qos: 1 });
        } finally {
          await c.endAsync();
        }
      }
      await withClient(url, `${spec.prefix}.admin`, `recording ${spec.prefix}`, (c) =>
        c.publishAsync(`${RUNS_TOPIC}/${spec.prefix}`, JSON.stringify(sessions.map((x: Session) => x.clientId)), { qos: 1, retain: true }),
      );
    },

    async deprovision(spec) {
      const { url } = spec.endpoints.mqtt;
      await dropSessions(url, runSessions(spec).map((s) => s.clientId));
      await withClient(url, `${spec.prefix}.admin`, `forgetting ${spec.prefix}`, (c) => c.publishAsync(`${RUNS_TOPIC}/${spec.prefix}`, '', { qos: 1, retain: true }));
    },

    /**
     * Ends the sessions of runs recorded under `bench-runs/<stem>…`, except the current
     * run's. MQTT cannot tell whether a session's reader is connected without taking the
     * session over, so this must not run while another run is going.
     */
    async cleanupStale(spec, stem) {
      const { url } = spec.endpoints.mqtt;
      return withClient(url, `${spec.prefix}.clean`, `removing stale sessions under ${stem}`, async (c) => {
        const removed: string[] = [];
        for (const [topic, payload] of await retained(c, `${RUNS_TOPIC}/#`)) {
          const prefix = topic.slice(RUNS_TOPIC.length + 1);
          if (!prefix.startsWith(stem) || prefix === spec.prefix) continue;
          const sessions = JSON.parse(payload) as string[];
          await dropSessions(url, sessions);
          await c.publishAsync(topic, '', { qos: 1, retain: true });
          removed.push(...sessions.map((id) => `session ${id}`));
        }
        return removed;
      });
    },

    async connect(spec, clientId) {
      const { url } = spec.endpoints.mqtt;
      return new MqttConnection(await openClient(url, clientId, false), spec, url, addressOf(url));
    },

    /** MQTT has no query for a session's queued messages: no backlog is sampled. */
    async backlog() {
      return [];
    },

    async ping(endpoints) {
      try {
        await (await openClient(endpoints.mqtt.url, `bench-ping-${process.pid}`, false, undefined, PING_TIMEOUT_MS)).endAsync(true);
        return true;
      } catch {
        return false;
      }
    },
  };
}
