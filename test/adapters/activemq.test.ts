import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { parseMapJson } from '../../adapters/activemq/admin.js';
import { createAdapter, sendHeaders } from '../../adapters/activemq/index.js';
import { destinationOf } from '../../adapters/activemq/names.js';
import { StompSession } from '../../adapters/activemq/stomp.js';
import type { ActiveMqSettings, MessagingConnection, MessagingRunSpec } from '../../src/contract/transport.js';
import { testEndpoints } from '../contract/endpoints.js';
import { makeEvents, messagingContract } from '../contract/messaging-contract.js';

const SETTINGS: ActiveMqSettings = { prefetch: 50 };

messagingContract('activemq', createAdapter, SETTINGS);

describe('activemq adapter specifics', () => {
  const adapter = createAdapter();
  const specs: MessagingRunSpec<ActiveMqSettings>[] = [];
  const connections: MessagingConnection[] = [];

  function newSpec(settings: ActiveMqSettings = SETTINGS): MessagingRunSpec<ActiveMqSettings> {
    const spec = { prefix: `bench-at${randomBytes(4).toString('hex')}`, instancesPerService: 1, settings, endpoints: testEndpoints() };
    specs.push(spec);
    return spec;
  }
  async function connect(spec: MessagingRunSpec<ActiveMqSettings>, clientId: string): Promise<MessagingConnection> {
    const c = await adapter.connect(spec, clientId);
    connections.push(c);
    return c;
  }

  afterEach(async () => {
    for (const c of connections.splice(0)) await c.close();
    for (const s of specs.splice(0)) await adapter.deprovision(s);
  });

  it('names one queue per channel under the prefix and sends persistent, grouped, JSON messages', () => {
    expect(destinationOf('bench-x', 'payment')).toBe('/queue/bench-x.payment');
    const [event] = makeEvents('r', 1, 1);
    expect(sendHeaders('bench-x', 'inventory', event!)).toMatchObject({
      destination: '/queue/bench-x.inventory',
      persistent: 'true',
      JMSXGroupID: event!.customerId,
    });
  });

  it('decodes the statistics plugin map (jms-map-json)', () => {
    const body = '{"map":{"entry":[{"string":"size","long":3},{"string":["destinationName","queue:\\/\\/q.a"]},{"string":"memoryPercentUsage","int":0}]}}';
    expect(parseMapJson(body)).toEqual({ size: 3, destinationName: 'queue://q.a', memoryPercentUsage: 0 });
  });

  it('reports the broker version from the CONNECTED frame and the delivery settings', async () => {
    const d = await adapter.describe(newSpec());
    specs.pop();
    expect(d.server?.name).toBe('ActiveMQ');
    expect(d.server?.version).toMatch(/^\d+\.\d+/);
    expect(d.delivery).toMatchObject({ persistent: true, receiptPerSend: true, ack: 'client-individual', prefetch: 50 });
  });

  it('survives an ERROR frame during CONNECT (a bad broker never kills the process)', async () => {
    // a server that answers every CONNECT with a text/plain ERROR frame, as a refusing broker does
    const net = await import('node:net');
    const server = net.createServer((socket) => {
      socket.once('data', () => {
        const body = 'refused for a test';
        socket.write(`ERROR\nmessage:not allowed\ncontent-type:text/plain\ncontent-length:${body.length}\n\n${body}\0`);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    try {
      await expect(StompSession.open({ host: '127.0.0.1', port }, 2000)).rejects.toThrow(/refused the STOMP connection: not allowed/);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('rejects pending publishes with an error naming the address when the broker drops the connection', async () => {
    const net = await import('node:net');
    // answers every CONNECT, then closes the socket on the first SEND instead of sending a
    // RECEIPT: reconnecting always works and re-sending never does, so the publish must give up
    // after its bounded re-sends, in well under a second, not wait out a retry policy
    const sockets = new Set<import('node:net').Socket>();
    const server = net.createServer((socket) => {
      sockets.add(socket);
      let connected = false;
      socket.on('data', () => {
        if (!connected) {
          connected = true;
          socket.write('CONNECTED\nversion:1.2\nserver:Fake/0.1\n\n\0');
        } else socket.destroy();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    try {
      const spec = { ...newSpec(), endpoints: { ...testEndpoints(), activemq: { host: '127.0.0.1', port } } };
      specs.pop();
      const connection = await adapter.connect(spec, 'dropped');
      const [event] = makeEvents(spec.prefix, 1, 1);
      await expect(connection.publish('inventory', event!)).rejects.toThrow(new RegExp(`127\\.0\\.0\\.1:${port}: the connection dropped under each of 13 sends`));
      expect(sockets.size, 'a session per send: the first and 12 reconnections').toBeGreaterThanOrEqual(13);
      await expect(connection.publish('inventory', event!)).rejects.toMatchObject({ code: 'TRANSPORT' });
      await connection.close();
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    }
  }, 10_000);

  it('spreads message groups across members: 10 customers, 3 members', async () => {
    const spec = newSpec();
    await adapter.provision(spec);
    const seen = new Map<string, Set<number>>();
    for (let member = 0; member < 3; member++) {
      const c = await connect(spec, `m${member}`);
      await c.subscribe('payment', { service: 'payment', instance: member }, async (event) => {
        seen.set(event.customerId, (seen.get(event.customerId) ?? new Set()).add(member));
      });
    }
    const publisher = await connect(spec, 'publisher');
    const events = makeEvents(spec.prefix, 10, 9);
    await Promise.all(events.map((e) => publisher.publish('payment', e)));
    const deadline = Date.now() + 30_000;
    while ([...seen.values()].length < 10 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const members = new Set([...seen.values()].flatMap((s) => [...s]));
    expect(members.size, 'members that own at least one group').toBeGreaterThan(1);
    expect([...seen.values()].every((s) => s.size === 1), 'each customer pinned to one member').toBe(true);
  });
});
