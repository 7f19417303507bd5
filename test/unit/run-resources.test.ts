import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { nowUs } from '../../src/metrics/clock.js';
import { ResourcesSchema } from '../../src/result/schema.js';
import { brokerEndpointsOf, RunResources, type SampledService } from '../../src/runtime/run-resources.js';
import { testEndpoints } from '../contract/endpoints.js';
import { child, killChildrenAfterEach } from '../support/spin-child.js';

killChildrenAfterEach();

describe('brokerEndpointsOf', () => {
  it('names each transport’s broker endpoints as its processes are reported', () => {
    const e = testEndpoints({});
    expect(brokerEndpointsOf('rest', e)).toEqual([]);
    expect(brokerEndpointsOf('kafka', { ...e, kafka: { brokers: ['127.0.0.1:9092', '[::1]:9093'] } })).toEqual([
      { name: 'kafka#0', host: '127.0.0.1', port: 9092 },
      { name: 'kafka#1', host: '::1', port: 9093 },
    ]);
    expect(brokerEndpointsOf('rabbitmq', e)).toEqual([{ name: 'rabbitmq', host: '127.0.0.1', port: 5672 }]);
    expect(brokerEndpointsOf('rabbitmq', { ...e, rabbitmq: { url: 'amqps://broker.example:5671/vh' } })).toEqual([{ name: 'rabbitmq', host: 'broker.example', port: 5671 }]);
    expect(brokerEndpointsOf('rabbitmq', { ...e, rabbitmq: { url: 'amqp://localhost' } })).toEqual([{ name: 'rabbitmq', host: 'localhost', port: 5672 }]);
    expect(brokerEndpointsOf('activemq', e)).toEqual([{ name: 'activemq', host: '127.0.0.1', port: 61613 }]);
    expect(brokerEndpointsOf('nats', e)).toEqual([{ name: 'nats', host: '127.0.0.1', port: 4222 }]);
    expect(brokerEndpointsOf('nats', { ...e, nats: { servers: ['127.0.0.1:4222', 'nats://127.0.0.1:4223'] } }).map((x) => [x.name, x.port])).toEqual([
      ['nats#0', 4222],
      ['nats#1', 4223],
    ]);
    expect(brokerEndpointsOf('redis', e)).toEqual([{ name: 'redis', host: '127.0.0.1', port: 6379 }]);
    expect(brokerEndpointsOf('mqtt', e)).toEqual([{ name: 'mqtt', host: '127.0.0.1', port: 1883 }]);
  });
});

describe('RunResources', () => {
  it('samples the driver, each service by <service>#<instance> and the broker from the warm-up; t = 0 at the measured window; a restarted service is followed', async () => {
    const payment = await child(true);
    const broker = await child(false);
    const order = await child(false);
    const services: Array<SampledService & { pid: number | undefined }> = [
      // listed as a REST run starts them (order last); sampled in workflow order
      { config: { service: 'payment', instance: 0 }, pid: payment.pid },
      { config: { service: 'order', instance: 0 }, pid: order.pid },
    ];
    const asked: string[][] = [];
    let brokerPid = broker.pid!;
    const r = await RunResources.create({
      transport: 'kafka',
      endpoints: testEndpoints({}),
      processes: services,
      intervalMs: 250,
      findBrokers: async (e) => {
        asked.push(e.map((x) => `${x.name}@${x.host}:${x.port}`));
        return [{ name: 'kafka#0', pid: brokerPid }];
      },
    });
    expect(r.result()).toBeUndefined();
    const driver = new EventEmitter();
    r.attach(driver);
    driver.emit('warmup');
    await sleep(600);
    const measureFromUs = nowUs();
    driver.emit('start', measureFromUs);
    await sleep(1_300);

    // payment is killed and restarted: a new pid under the same name
    payment.kill('SIGKILL');
    const again = await child(true);
    services[0]!.pid = again.pid;
    // the broker restarts too: found again under its new pid
    broker.kill('SIGKILL');
    await new Promise((res) => broker.once('exit', res));
    const broker2 = await child(false);
    brokerPid = broker2.pid!;
    await sleep(1_300);
    r.stop();

    const res = ResourcesSchema.parse(r.result());
    expect(res.processes.map((p) => [p.role, p.name])).toEqual([
      ['driver', 'driver'],
      ['service', 'order#0'],
      ['service', 'payment#0'],
      ['broker', 'kafka#0'],
    ]);
    expect(asked[0]).toEqual(['kafka#0@127.0.0.1:9092']);
    expect(asked.length).toBeGreaterThanOrEqual(2);
    const byName = Object.fromEntries(res.processes.map((p) => [p.name, p]));
    expect(byName['driver']!.pid).toBe(process.pid);
    expect(byName['payment#0']!.pid).toBe(again.pid);
    expect(byName['kafka#0']!.pid).toBe(broker2.pid);
    // sampled from the warm-up (negative t) into the window
    expect(res.t[0]).toBeLessThan(0);
    expect(res.t.at(-1)).toBeGreaterThan(2);
    // the restarted payment spins again: its last samples are busy
    expect(byName['payment#0']!.cpuPct.at(-1)).toBeGreaterThan(30);
    expect(byName['kafka#0']!.rssMb.at(-1)).toBeGreaterThan(10);

    // the spinning payment (≥ 90 % of a core for ≥ 2 s in the window) is named; an idle order is not
    const warnings = r.warnings(2.5, { cpuBoundPct: 30, minSeconds: 0.5 });
    const bound = warnings.filter((w) => w.code === 'PROCESS_CPU_BOUND').map((w) => w.process);
    expect(bound).toContain('payment#0');
    expect(bound).not.toContain('order#0');
    // nothing for a window of no seconds
    expect(r.warnings(0).filter((w) => w.code === 'PROCESS_CPU_BOUND')).toEqual([]);
  });

  it('REST has no broker to look for', async () => {
    let asked = 0;
    const r = await RunResources.create({ transport: 'rest', endpoints: testEndpoints({}), processes: [], findBrokers: async () => (asked++, []) });
    r.start();
    r.stop();
    expect(asked).toBe(0);
    expect(r.result()!.processes.map((p) => p.name)).toEqual(['driver']);
  });
});
