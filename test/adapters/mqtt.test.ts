import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createAdapter } from '../../adapters/mqtt/index.js';
import { memberSessions, runSessions, type MqttRunSpec } from '../../adapters/mqtt/names.js';
import type { MessagingConnection, MqttSettings } from '../../src/contract/transport.js';
import { testEndpoints } from '../contract/endpoints.js';
import { makeEvents, messagingContract } from '../contract/messaging-contract.js';

// One session per partition: the mode that keeps per-customer order, so the whole contract holds.
const SETTINGS: MqttSettings = { partitions: 6, consumers: 'partitions' };

messagingContract('mqtt', createAdapter, SETTINGS, testEndpoints, { backlog: false, brokerRestart: false });

describe('mqtt adapter specifics', () => {
  const adapter = createAdapter();
  const specs: MqttRunSpec[] = [];
  const connections: MessagingConnection[] = [];
  const newSpec = (settings: MqttSettings, instancesPerService: number): MqttRunSpec => {
    const spec = { prefix: `bench-mq${randomBytes(4).toString('hex')}`, instancesPerService, settings, endpoints: testEndpoints() };
    specs.push(spec);
    return spec;
  };
  afterEach(async () => {
    for (const c of connections.splice(0)) await c.close();
    for (const s of specs.splice(0)) await adapter.deprovision(s);
  });

  it('reads through a session per owned partition, or one per member in a shared subscription', () => {
    const p = { prefix: 'bench-x', instancesPerService: 2, settings: SETTINGS, endpoints: testEndpoints() };
    expect(memberSessions(p, 'payment', { service: 'payment', instance: 1 })).toEqual([
      { clientId: 'bench-x.payment.p1', filter: 'bench-x/payment/1' },
      { clientId: 'bench-x.payment.p3', filter: 'bench-x/payment/3' },
      { clientId: 'bench-x.payment.p5', filter: 'bench-x/payment/5' },
    ]);
    const s = { ...p, settings: { partitions: 6, consumers: 'shared' as const } };
    expect(memberSessions(s, 'payment', { service: 'payment', instance: 1 })).toEqual([{ clientId: 'bench-x.payment.payment-1', filter: '$share/bench-x.payment/bench-x/payment/+' }]);
    expect(runSessions(s)).toHaveLength(4 * 2 + 1);
  });

  it('shared subscriptions hand one customer’s events to several members: MQTT keeps no per-customer order across a share', async () => {
    const spec = newSpec({ partitions: 3, consumers: 'shared' }, 3);
    await adapter.provision(spec);
    const seen = new Map<string, Set<number>>();
    for (let member = 0; member < 3; member++) {
      const c = await adapter.connect(spec, `m${member}`);
      connections.push(c);
      await c.subscribe('payment', { service: 'payment', instance: member }, async (e) => void seen.set(e.customerId, (seen.get(e.customerId) ?? new Set()).add(member)));
    }
    const publisher = await adapter.connect(spec, 'publisher');
    connections.push(publisher);
    const events = makeEvents(spec.prefix, 5, 9);
    for (const e of events) await publisher.publish('payment', e);
    await expect.poll(() => [...seen.values()].reduce((n, s) => n + s.size, 0), { timeout: 10_000 }).toBeGreaterThan(5);
    expect([...seen.values()].some((members) => members.size > 1), 'a customer handled by more than one member').toBe(true);
  });

  it('reports Mosquitto’s version and says that MQTT has no backlog query', async () => {
    const d = await adapter.describe(newSpec(SETTINGS, 1));
    specs.pop();
    expect(d.server?.name).toBe('mosquitto');
    expect(String(d.delivery.backlog)).toMatch(/not available/);
  });
});
