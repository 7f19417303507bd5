import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import net from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { brokerEndpoints } from '../../src/brokers/index.js';
import { portAccepts } from '../../src/brokers/process.js';
import { brokerPids, parseProcNetTcp, parseSs, type BrokerEndpoint } from '../../src/runtime/broker-pids.js';

const here = dirname(fileURLToPath(import.meta.url));

/** Whether another user can reach this checkout: every directory above it searchable by others (a checkout under `mktemp -d` is not). */
function othersCanReach(dir: string): boolean {
  for (let d = dir; ; d = dirname(d)) {
    if ((statSync(d).mode & 0o001) === 0) return false;
    if (dirname(d) === d) return true;
  }
}
const servers: net.Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

async function listen(host: string): Promise<number> {
  const s = net.createServer();
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, host, () => r()));
  return (s.address() as net.AddressInfo).port;
}

/** The brokers of this machine's settings (Kafka, RabbitMQ, ActiveMQ STOMP), with the ones that answer now. */
async function runningBrokers(): Promise<BrokerEndpoint[]> {
  const e = brokerEndpoints();
  const [kHost, kPort] = e.kafka.brokers[0]!.split(':') as [string, string];
  const rabbit = new URL(e.rabbitmq.url);
  const all: BrokerEndpoint[] = [
    { name: 'kafka', host: kHost, port: Number(kPort) },
    { name: 'rabbitmq', host: rabbit.hostname, port: Number(rabbit.port || 5672) },
    { name: 'activemq', host: e.activemq.host, port: e.activemq.port },
  ];
  const up = await Promise.all(all.map((b) => portAccepts(b.host, b.port, 500)));
  return all.filter((_, i) => up[i]);
}

const comm = (pid: number): string => readFileSync(`/proc/${pid}/comm`, 'utf8').trim();

describe('parsing', () => {
  it('reads ss lines: address scope, port and owners', () => {
    const text = [
      'LISTEN 0      128             127.0.0.1:5672  0.0.0.0:* users:(("beam.smp",pid=2944,fd=35))   ',
      'LISTEN 0      50     [::ffff:127.0.0.1]:9092        *:* users:(("java",pid=5992,fd=97))       ',
      'LISTEN 0      4096                [::1]:4369     [::]:* users:(("epmd",pid=2899,fd=4))        ',
      'LISTEN 0      128               0.0.0.0:2024  0.0.0.0:*                                       ',
      'LISTEN 0      511         10.1.2.3%eth0:80       0.0.0.0:* users:(("nginx",pid=7,fd=6),("nginx",pid=8,fd=6))',
      'LISTEN 0      511                     *:1883        *:*',
    ].join('\n');
    expect(parseSs(text)).toEqual([
      { family: 4, scope: 'loopback', port: 5672, pids: [2944] },
      { family: 6, scope: 'loopback', port: 9092, pids: [5992] },
      { family: 6, scope: 'loopback', port: 4369, pids: [2899] },
      { family: 4, scope: 'any', port: 2024, pids: [] },
      { family: 4, scope: 'other', port: 80, pids: [7, 8] },
      { family: 6, scope: 'any', port: 1883, pids: [] },
    ]);
  });

  it('reads listening sockets of /proc/net/tcp and tcp6 in the kernel hex', () => {
    const tcp = [
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 0100007F:1628 00000000:0000 0A 00000000:00000000 00:00000000 00000000   107        0 9923 1 0 100 0 0 10 0',
      '   1: 00000000:07E8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 111 1 0 100 0 0 10 0',
      '   2: 0100007F:1628 0100007F:A000 01 00000000:00000000 00:00000000 00000000     0        0 222 1 0 100 0 0 10 0',
      '   3: 0302010A:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 333 1 0 100 0 0 10 0',
    ].join('\n');
    expect(parseProcNetTcp(tcp, 4)).toEqual([
      { family: 4, scope: 'loopback', port: 5672, pids: [], inode: 9923 },
      { family: 4, scope: 'any', port: 2024, pids: [], inode: 111 },
      { family: 4, scope: 'other', port: 80, pids: [], inode: 333 },
    ]);
    const tcp6 = [
      '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 00000000000000000000000001000000:1111 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000   106        0 5928 1 0 100 0 0 10 0',
      '   1: 0000000000000000FFFF00000100007F:2384 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 15808 1 0 100 0 0 10 0',
      '   2: 0000000000000000FFFF00000302010A:2384 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 15809 1 0 100 0 0 10 0',
    ].join('\n');
    expect(parseProcNetTcp(tcp6, 6)).toEqual([
      { family: 6, scope: 'loopback', port: 4369, pids: [], inode: 5928 },
      { family: 6, scope: 'loopback', port: 9092, pids: [], inode: 15808 },
      { family: 6, scope: 'other', port: 9092, pids: [], inode: 15809 },
    ]);
  });
});

describe('brokerPids', () => {
  it('finds this process listening on a local port, through ss and through /proc alike', async () => {
    const v4 = await listen('127.0.0.1');
    const endpoints = [
      { name: 'self', host: '127.0.0.1', port: v4 },
      { name: 'same-again', host: 'localhost', port: v4 }, // the same pid: listed once
      { name: 'remote', host: '192.0.2.7', port: v4 }, // not this machine: never looked up
    ];
    for (const useSs of [true, false]) expect(await brokerPids(endpoints, { useSs })).toEqual([{ name: 'self', pid: process.pid }]);
    const v6 = await listen('::1');
    for (const useSs of [true, false]) {
      expect(await brokerPids([{ name: 'six', host: '[::1]', port: v6 }], { useSs })).toEqual([{ name: 'six', pid: process.pid }]);
    }
    // nobody listens there any more
    const gone = await listen('127.0.0.1');
    await new Promise<void>((r) => servers.pop()!.close(() => r()));
    for (const useSs of [true, false]) expect(await brokerPids([{ name: 'gone', host: '127.0.0.1', port: gone }], { useSs })).toEqual([]);
  });

  it('finds the running brokers, the same pid through ss and through /proc', async (ctx) => {
    const brokers = await runningBrokers();
    if (brokers.length === 0) ctx.skip();
    const viaSs = await brokerPids(brokers);
    const viaProc = await brokerPids(brokers, { useSs: false });
    expect(viaSs.map((b) => b.name)).toEqual(brokers.map((b) => b.name));
    expect(viaProc).toEqual(viaSs);
    for (const b of viaSs) expect(comm(b.pid)).toMatch(b.name === 'rabbitmq' ? /^beam/ : /^java$/);
  });

  it.skipIf(process.getuid?.() !== 0)('as another user: its own listener is found, the brokers it may not see give nothing and no error', async (ctx) => {
    const brokers = await runningBrokers();
    if (brokers.length === 0) ctx.skip();
    // the child runs this checkout's sources as nobody: it must be able to read them
    if (!othersCanReach(here)) ctx.skip();
    const out = execFileSync(process.execPath, ['--import', 'tsx', join(here, '../support/broker-pids-child.ts'), JSON.stringify(brokers)], {
      uid: 65534,
      gid: 65534,
      env: { ...process.env, HOME: '/tmp' },
      encoding: 'utf8',
    });
    const r = JSON.parse(out) as { pid: number; ss: unknown; proc: unknown };
    expect(r.ss).toEqual([{ name: 'own', pid: r.pid }]);
    expect(r.proc).toEqual([{ name: 'own', pid: r.pid }]);
  });
});
