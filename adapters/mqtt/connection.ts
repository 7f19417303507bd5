/**
 * One process's MQTT connection: a clean-session client publishing at QoS 1 (resolved
 * on PUBACK), and per subscription one persistent-session client per session the member
 * reads through (names.ts), each acknowledging a message only after its handler.
 */
import type { MqttClient } from 'mqtt';
import type { BenchError } from '../../src/contract/errors.js';
import { CustomerLanes, partitionOf } from '../../src/contract/customer-lanes.js';
import type { Channel, OrderEvent, ServiceName } from '../../src/contract/events.js';
import { BROKER_RETRY, GaveUpNotice } from '../../src/contract/retry.js';
import type { EventHandler, MessagingConnection, Subscription } from '../../src/contract/transport.js';
import { memberSessions, mqttError, openClient, topicOf, type MqttRunSpec } from './names.js';

/** Gives up a client that could not reconnect within BROKER_RETRY's attempts. */
function watchReconnects(client: MqttClient, giveUp: (e: Error) => void): void {
  let attempts = 0;
  client.on('connect', () => (attempts = 0));
  client.on('reconnect', () => {
    if (++attempts <= BROKER_RETRY.retries) return;
    client.end(true);
    giveUp(new Error(`no connection after ${BROKER_RETRY.retries} reconnect attempts`));
  });
}

export class MqttConnection implements MessagingConnection {
  private readonly gaveUp = new GaveUpNotice();
  private readonly subscriptions = new Set<Subscription>();
  private closing = false;

  constructor(
    private readonly publisher: MqttClient,
    private readonly spec: MqttRunSpec,
    private readonly url: string,
    private readonly address: string,
  ) {
    watchReconnects(publisher, (e) => this.give('publishing', e));
  }

  private give(what: string, e: unknown): void {
    if (this.closing) return;
    const err = mqttError(this.address, what, e);
    process.stderr.write(`${err.message}; unacknowledged messages stay in their sessions\n`);
    this.gaveUp.give(err);
  }

  onGaveUp(listener: (err: BenchError) => void): void {
    this.gaveUp.listen(listener);
  }

  async publish(channel: Channel, event: OrderEvent): Promise<void> {
    const topic = topicOf(this.spec.prefix, channel, partitionOf(event.customerId, this.spec.settings.partitions));
    try {
      await this.publisher.publishAsync(topic, JSON.stringify(event), { qos: 1 });
    } catch (e) {
      throw mqttError(this.address, `publishing ${event.eventId} to ${topic}`, e);
    }
  }

  async subscribe(channel: Channel, member: { service: ServiceName | 'observer'; instance: number }, handler: EventHandler): Promise<Subscription> {
    const lanes = new CustomerLanes(handler, (e) => this.give(`handling ${channel}`, e));
    const clients: MqttClient[] = [];
    const close = async (): Promise<void> => {
      await lanes.close();
      // forced: nothing more is acknowledged; the persistent sessions keep what is not
      await Promise.all(clients.map((c) => c.endAsync(true).catch(() => {})));
      this.subscriptions.delete(sub);
    };
    const sub: Subscription = { close };
    try {
      for (const session of memberSessions(this.spec, channel, member)) {
        // mqtt.js hands one packet at a time to handleMessage and sends the PUBACK when it
        // calls back: messages of one session are handled one by one, in order
        const client = await openClient(this.url, session.clientId, true, (packet, done) => {
          let event: OrderEvent;
          try {
            event = JSON.parse(packet.payload.toString()) as OrderEvent;
            if (typeof event.customerId !== 'string') throw new Error('no customerId');
          } catch (err) {
            process.stderr.write(`mqtt: dropping a malformed message from ${packet.topic}: ${(err as Error).message}\n`);
            return done();
          }
          lanes.add(event, { redelivered: packet.dup, source: `${session.clientId} ${packet.topic}` }, () => done());
        });
        clients.push(client);
        watchReconnects(client, (e) => this.give(`reading ${session.filter}`, e));
        await client.subscribeAsync(session.filter, { qos: 1 });
      }
    } catch (e) {
      await close();
      throw mqttError(this.address, `consuming ${channel} as ${member.service}-${member.instance}`, e);
    }
    this.subscriptions.add(sub);
    return sub;
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    for (const sub of [...this.subscriptions]) await sub.close();
    await this.publisher.endAsync().catch(() => {});
  }
}
