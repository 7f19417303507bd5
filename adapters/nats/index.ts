/**
 * NATS JetStream adapter (@nats-io/jetstream over @nats-io/transport-node): a
 * work-queue stream per channel, customers hashed onto one subject per partition, a
 * durable pull consumer per partition read by one member, publishes acknowledged by
 * the stream, explicit acks after the handler. README.md states every setting.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { jetstreamManager, RetentionPolicy, StorageType, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection as NatsClient } from '@nats-io/transport-node';
import { BROKER_RETRY, describePolicy, HANDLER_RETRY } from '../../src/contract/retry.js';
import type { BacklogSample, MessagingAdapter, TransportDescription } from '../../src/contract/transport.js';
import { NatsConnection } from './connection.js';
import { natsError } from './errors.js';
import { addressOf, connectOptions, NATS_CHANNELS, streamName, type NatsRunSpec } from './names.js';

/** A package's version: its package.json is not exported, so it is found above its main file. */
function versionOf(pkg: string): string {
  for (let dir = dirname(createRequire(import.meta.url).resolve(pkg)); dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const json = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (json.name === pkg) return json.version ?? 'unknown';
  }
  return 'unknown';
}

const CONNECT_TIMEOUT_MS = 5_000;
const PING_TIMEOUT_MS = 1_000;
/** how long the stream remembers a message id to drop a repeated publish, ns (the server's default) */
const DUPLICATE_WINDOW_NS = 120_000_000_000;

async function open(servers: string[], name: string, timeoutMs = CONNECT_TIMEOUT_MS, reconnect = true): Promise<NatsClient> {
  const { resetBackoff, ...options } = connectOptions(servers, name, timeoutMs, reconnect);
  try {
    const nc = await connect(options);
    void (async () => {
      for await (const s of nc.status()) if (s.type === 'reconnect') resetBackoff();
    })();
    return nc;
  } catch (e) {
    throw natsError(addressOf(servers), `connecting ${name}`, e);
  }
}

/** Runs `work` with a short-lived connection and its JetStream manager, closing it whatever happens. */
async function withManager<T>(spec: NatsRunSpec, doing: string, work: (jsm: JetStreamManager) => Promise<T>): Promise<T> {
  const servers = spec.endpoints.nats.servers;
  const nc = await open(servers, `${spec.prefix}.admin`, CONNECT_TIMEOUT_MS, false);
  try {
    return await work(await jetstreamManager(nc));
  } catch (e) {
    throw natsError(addressOf(servers), doing, e);
  } finally {
    await nc.close().catch(() => {});
  }
}

const isNotFound = (e: unknown): boolean => /not found/i.test((e as Error)?.message ?? '');

async function describe(spec: NatsRunSpec): Promise<TransportDescription> {
  const s = spec.settings;
  const servers = spec.endpoints.nats.servers;
  const description: TransportDescription = {
    name: 'nats',
    clients: [{ name: '@nats-io/jetstream', version: versionOf('@nats-io/jetstream') }, { name: '@nats-io/transport-node', version: versionOf('@nats-io/transport-node') }],
    address: addressOf(servers),
    delivery: {
      publishAck: 'stream stored the message (JetStream PubAck)',
      storage: s.storage,
      syncToDisk: s.storage === 'file' ? 'server default: written to the file store, flushed to disk periodically (not per message)' : 'none (memory store)',
      replicas: s.replicas,
      retention: 'work queue (a message leaves the stream once acknowledged)',
      deduplication: 'message id = event id, 2 min window',
      partitions: s.partitions,
      keyedBy: 'customerId (fnv1a32 % partitions → subject <prefix>.<channel>.<partition>)',
      consumer: 'durable pull consumer per partition, explicit ack',
      ackAfterHandler: true,
      maxAckPending: s.maxAckPending,
      ackWaitMs: s.ackWait,
      partitionOwner: 'one member per partition (partition % instances); the observer reads all',
      perCustomerSerial: true,
      takeover: 'a member that finds unacknowledged messages recreates the consumer: they come first, flagged redelivered',
      'retry.handler': `${describePolicy(HANDLER_RETRY)}; then the connection gives up`,
      'retry.broker': `reconnect: ${describePolicy(BROKER_RETRY)}; then the connection gives up`,
    },
  };
  try {
    const nc = await open(servers, `${spec.prefix}.describe`, PING_TIMEOUT_MS, false);
    if (nc.info) description.server = { name: 'nats-server', version: nc.info.version };
    await nc.close();
  } catch {
    /* unreachable: described without a server */
  }
  return description;
}

async function deleteStreams(jsm: JetStreamManager, names: string[]): Promise<string[]> {
  const removed: string[] = [];
  for (const name of names) {
    try {
      await jsm.streams.delete(name);
      removed.push(`stream ${name}`);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
  return removed;
}

export function createAdapter(): MessagingAdapter<'nats'> {
  return {
    name: 'nats',
    describe,

    async provision(spec) {
      const s = spec.settings;
      await withManager(spec, `creating streams under ${spec.prefix}`, async (jsm) => {
        for (const channel of NATS_CHANNELS) {
          await jsm.streams.add({
            name: streamName(spec.prefix, channel),
            subjects: [`${spec.prefix}.${channel}.*`],
            retention: RetentionPolicy.Workqueue,
            storage: s.storage === 'memory' ? StorageType.Memory : StorageType.File,
            num_replicas: s.replicas,
            duplicate_window: DUPLICATE_WINDOW_NS,
          });
        }
      });
    },

    async deprovision(spec) {
      await withManager(spec, `removing streams of ${spec.prefix}`, (jsm) => deleteStreams(jsm, NATS_CHANNELS.map((c) => streamName(spec.prefix, c))));
    },

    async cleanupStale(spec, stem) {
      return withManager(spec, `removing stale streams named ${stem}*`, async (jsm) => {
        const stale: string[] = [];
        for await (const name of jsm.streams.names()) {
          if (!name.startsWith(stem) || name.startsWith(`${spec.prefix}-`)) continue;
          // a consumer with a pull request waiting belongs to a run that is still going
          let live = false;
          for await (const c of jsm.consumers.list(name)) live ||= c.num_waiting > 0;
          if (!live) stale.push(name);
        }
        return deleteStreams(jsm, stale);
      });
    },

    async connect(spec, clientId) {
      const nc = await open(spec.endpoints.nats.servers, clientId);
      try {
        return new NatsConnection(nc, await jetstreamManager(nc), spec, addressOf(spec.endpoints.nats.servers));
      } catch (e) {
        await nc.close().catch(() => {});
        throw natsError(addressOf(spec.endpoints.nats.servers), 'opening JetStream (is the server started with -js?)', e);
      }
    },

    /** messages each channel's stream still holds: not yet delivered, or delivered and not yet acknowledged */
    async backlog(spec): Promise<BacklogSample[]> {
      return withManager(spec, `reading the backlog of ${spec.prefix}`, (jsm) =>
        Promise.all(
          NATS_CHANNELS.map(async (channel) => {
            const name = streamName(spec.prefix, channel);
            return { channel, name, depth: (await jsm.streams.info(name)).state.messages };
          }),
        ),
      );
    },

    async ping(endpoints) {
      try {
        const nc = await open(endpoints.nats.servers, 'bench-ping', PING_TIMEOUT_MS, false);
        await nc.close();
        return true;
      } catch {
        return false;
      }
    },
  };
}
