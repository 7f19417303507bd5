import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { brokersDown, brokersStatus, brokersUp, type BrokerName, type SettingsOverrides } from '../../src/brokers/index.js';
import { isAlive } from '../../src/brokers/process.js';
import { REPO_ROOT } from '../../src/brokers/settings.js';

/** up / status / down against real processes; the stop test uses its own state dir and ports. */

const skip = process.env.BENCH_SKIP_BROKERS === '1';
const tmpDirs: string[] = [];
const tmpStateDir = (name: string) => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${name}-`));
  tmpDirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
});

/** A port nobody listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer().once('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function bench(args: string[], env: NodeJS.ProcessEnv = {}): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin/bench.js'), ...args], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stderr: r.stderr };
}

describe.skipIf(skip)('bench brokers up / status / down', () => {
  it('up twice is harmless: the second call is fast and keeps the same PIDs', async () => {
    const first = await brokersUp();
    const t0 = Date.now();
    const second = await brokersUp();
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(second.map((b) => [b.name, b.pid])).toEqual(first.map((b) => [b.name, b.pid]));
    expect(second.every((b) => b.answers && !b.startedNow)).toBe(true);
  });

  it('status reports every broker answering, with version, address and PID', async () => {
    const list = await brokersStatus();
    expect(list.map((b) => b.name)).toEqual(['kafka', 'rabbitmq', 'activemq', 'nats', 'redis', 'mosquitto']);
    for (const b of list) {
      expect(b.answers, b.name).toBe(true);
      expect(b.address).toMatch(/^127\.0\.0\.1:\d+/);
      expect(b.pid, b.name).toBeGreaterThan(0);
    }
    expect(list.find((b) => b.name === 'activemq')?.version).toMatch(/^5\./);
    expect(list.find((b) => b.name === 'rabbitmq')?.version).toMatch(/^\d+\.\d+/);
    expect(list.find((b) => b.name === 'nats')?.version).toMatch(/^2\./);
    expect(list.find((b) => b.name === 'redis')?.version).toMatch(/^7\./);
  });

  it('down stops what up started, and status then reports it gone; the shared brokers stay up', async () => {
    const only: BrokerName[] = ['activemq', 'rabbitmq'];
    const opts: SettingsOverrides = {
      stateDir: tmpStateDir('down'),
      ports: { stomp: await freePort(), openwire: await freePort(), rabbitmq: await freePort() },
    };
    const up = await brokersUp({ ...opts, only });
    for (const b of up) {
      expect(b, b.name).toMatchObject({ startedByUs: true, startedNow: true, answers: true });
    }
    expect((await brokersStatus({ ...opts, only })).every((b) => b.answers)).toBe(true);
    await brokersDown({ ...opts, only, purge: true });
    const after = await brokersStatus({ ...opts, only });
    for (const b of after) expect(b, b.name).toMatchObject({ answers: false, startedByUs: false });
    for (const b of up) expect(isAlive(b.pid!), b.name).toBe(false);
    expect((await brokersStatus()).every((b) => b.answers)).toBe(true);
  }, 120_000);

  it('starts its own NATS, Redis and Mosquitto on other ports when none answers there, and stops only those', async () => {
    const only: BrokerName[] = ['nats', 'redis', 'mosquitto'];
    const opts: SettingsOverrides = { stateDir: tmpStateDir('servers'), ports: { nats: await freePort(), redis: await freePort(), mqtt: await freePort() } };
    const up = await brokersUp({ ...opts, only });
    for (const b of up) expect(b, b.name).toMatchObject({ startedByUs: true, startedNow: true, answers: true });
    await brokersDown({ ...opts, only, purge: true });
    for (const b of await brokersStatus({ ...opts, only })) expect(b, b.name).toMatchObject({ answers: false, startedByUs: false });
    for (const b of up) expect(isAlive(b.pid!), b.name).toBe(false);
    // the machine's own servers on the default ports are untouched
    expect((await brokersStatus({ only })).every((b) => b.answers)).toBe(true);
  }, 60_000);

  it('names the address when a port is already taken by something else', async () => {
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const { port } = squatter.address() as net.AddressInfo;
    try {
      const opts = { stateDir: tmpStateDir('taken'), ports: { stomp: port, openwire: await freePort() } };
      await expect(brokersUp({ ...opts, only: ['activemq'] })).rejects.toMatchObject({
        code: 'PORT_TAKEN',
        message: expect.stringContaining(`127.0.0.1:${port} is already in use`),
      });
    } finally {
      squatter.close();
    }
  });

  it('the CLI exits 104 on bad flags and 106 when a broker does not answer', async () => {
    expect(bench(['brokers', 'up', '--kafka-brokers', '2']).status).toBe(104);
    expect(bench(['brokers', 'up', '--only', 'zeromq']).status).toBe(104);
    const closed = String(await freePort());
    const r = bench(['brokers', 'status', '--only', 'activemq'], { BENCH_STATE_DIR: tmpStateDir('cli'), BENCH_STOMP_PORT: closed });
    expect(r.status).toBe(106);
  }, 60_000);
});
