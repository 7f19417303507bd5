/** Topics, session ids and client options of an MQTT run, and one-line errors. No I/O. */
import { connect, type IClientOptions, type MqttClient } from 'mqtt';
import { BenchError, UnreachableError } from '../../src/contract/errors.js';
import { ownedPartitions } from '../../src/contract/customer-lanes.js';
import type { Channel } from '../../src/contract/events.js';
import { BROKER_RETRY } from '../../src/contract/retry.js';
import type { MessagingRunSpec, MqttSettings } from '../../src/contract/transport.js';

/** A run of this adapter: its settings arrive parsed and checked. */
export type MqttRunSpec = MessagingRunSpec<MqttSettings>;

const CHANNEL_SET: Record<Channel, true> = { inventory: true, payment: true, shipment: true, order: true, observer: true };
export const MQTT_CHANNELS = Object.keys(CHANNEL_SET) as Channel[];

/** How long the broker keeps a session (and its queued QoS 1 messages) while no client holds it, s. */
export const SESSION_EXPIRY_S = 3_600;
/** Retained run records: what `cleanupStale` finds (MQTT cannot list sessions). */
export const RUNS_TOPIC = 'bench-runs';

/** Topic of one partition of a channel: `<prefix>/<channel>/<partition>`. */
export const topicOf = (prefix: string, channel: Channel, partition: number): string => `${prefix}/${channel}/${partition}`;

export interface Session {
  clientId: string;
  filter: string;
}

/**
 * The persistent sessions a member reads a channel through:
 *  - `partitions`: one session per owned partition (`<prefix>.<channel>.p<N>`), on that
 *    partition's topic: one reader per partition, so one customer's events stay in order;
 *  - `shared`: one session per member, in the shared subscription `$share/<prefix>.<channel>/…/+`:
 *    the broker hands each message to one member of the share, message by message.
 */
export function memberSessions(spec: MqttRunSpec, channel: Channel, member: { service: string; instance: number }): Session[] {
  const base = `${spec.prefix}.${channel}`;
  if (spec.settings.consumers === 'shared') {
    return [{ clientId: `${base}.${member.service}-${member.instance}`, filter: `$share/${base}/${spec.prefix}/${channel}/+` }];
  }
  return ownedPartitions(member, spec.instancesPerService, spec.settings.partitions).map((p) => ({ clientId: `${base}.p${p}`, filter: topicOf(spec.prefix, channel, p) }));
}

/** Every session a run uses: each partition's, or each member's (channel name = the service that consumes it). */
export function runSessions(spec: MqttRunSpec): Session[] {
  return MQTT_CHANNELS.flatMap((c) => {
    if (spec.settings.consumers === 'partitions') return memberSessions(spec, c, { service: 'observer', instance: 0 });
    const members = c === 'observer' ? 1 : spec.instancesPerService;
    return Array.from({ length: members }, (_, i) => memberSessions(spec, c, { service: c, instance: i })).flat();
  });
}

export const addressOf = (url: string): string => url.replace(/^[a-z]+:\/\//, '').replace(/\/.*$/, '');

/**
 * MQTT 5 client options. `persistent`: a session that outlives the connection (QoS 1
 * messages queue for it while it is away). After a lost connection mqtt.js reconnects
 * every BROKER_RETRY.initialDelayMs … ; the connection gives up after the policy's attempts.
 */
export function clientOptions(clientId: string, persistent: boolean, connectTimeoutMs: number): IClientOptions {
  return {
    clientId,
    protocolVersion: 5,
    clean: !persistent,
    properties: persistent ? { sessionExpiryInterval: SESSION_EXPIRY_S } : { sessionExpiryInterval: 0 },
    connectTimeout: connectTimeoutMs,
    reconnectPeriod: BROKER_RETRY.initialDelayMs,
    keepalive: 10,
  };
}

/**
 * Connects. `onMessage` is installed before the CONNECT goes out: a resumed session's
 * queued messages arrive right after the CONNACK and must not meet mqtt.js's default
 * handler, which acknowledges at once. The first connect is not retried.
 */
export function openClient(url: string, clientId: string, persistent: boolean, onMessage?: MqttClient['handleMessage'], connectTimeoutMs = 5_000): Promise<MqttClient> {
  const client = connect(url, { ...clientOptions(clientId, persistent, connectTimeoutMs), reconnectPeriod: 0 });
  if (onMessage) client.handleMessage = onMessage;
  return new Promise((resolve, reject) => {
    const fail = (e: unknown): void => {
      client.end(true);
      reject(mqttError(addressOf(url), `connecting ${clientId}`, e));
    };
    client.once('error', fail);
    client.once('close', () => fail(new Error('connection closed before the CONNACK')));
    client.once('connect', () => {
      client.removeAllListeners('error');
      client.removeAllListeners('close');
      client.on('error', () => {}); // reported through `close` and the reconnect count
      client.options.reconnectPeriod = BROKER_RETRY.initialDelayMs;
      resolve(client);
    });
  });
}

function messageOf(err: unknown): string {
  const m = (err as { message?: unknown })?.message;
  return (typeof m === 'string' && m ? m : String(err)).split('\n')[0]!.trim();
}

export function mqttError(address: string, doing: string, err: unknown): BenchError {
  if (err instanceof BenchError) return err;
  const m = messageOf(err);
  if (/ECONNREFUSED|ETIMEDOUT|EHOSTUNREACH|connack timeout|connection closed/i.test(m)) {
    return new UnreachableError(address, `mqtt at ${address} unreachable (${doing}): ${m}`, { cause: err });
  }
  return new BenchError('TRANSPORT', `mqtt at ${address}: ${doing} failed: ${m}`, { cause: err, retriable: /timeout/i.test(m) });
}
