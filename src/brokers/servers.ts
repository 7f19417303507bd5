import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { BenchError } from '../contract/errors.js';
import { aptInstall } from './install.js';
import { assertPortFree, isOurProcess, listenerPid, portAccepts, readJson, secondsSince, spawnDetached, stopPid, tailFile, waitFor, writeJson } from './process.js';
import type { BrokerSettings } from './settings.js';
import type { BrokerStatus, LogFn } from './types.js';

/**
 * The three small servers these machines already run (NATS with JetStream, Redis,
 * Mosquitto): `up` uses one that answers on its port as it is, and otherwise starts
 * Debian's binary with its own config, data and log in the state directory, bound to
 * 127.0.0.1. Each answers a protocol handshake of its own (no client library needed):
 * NATS its INFO line, Redis PING, Mosquitto an MQTT CONNACK.
 */

export type ServerName = 'nats' | 'redis' | 'mosquitto';

interface ServerSpec {
  pkg: string;
  binary: string;
  port: (s: BrokerSettings) => number;
  /** command-line arguments for our own server in `dir` */
  args: (dir: string, host: string, port: number) => string[];
  /** what to send on connect ('' when the server speaks first) and how to read the answer: its version, or throw */
  hello: Buffer;
  answer: (data: string) => string | undefined;
  detail: string;
}

/** MQTT 3.1.1 CONNECT with a clean session and a random client id (answered by CONNACK 0x20 0x02 0x00 0x00). */
function mqttConnect(): Buffer {
  const id = Buffer.from(`bench-ping-${process.pid}-${Date.now() % 1e6}`);
  const body = Buffer.concat([Buffer.from([0, 4]), Buffer.from('MQTT'), Buffer.from([4, 0x02, 0, 10, 0, id.length]), id]);
  return Buffer.concat([Buffer.from([0x10, body.length]), body]);
}

const SPECS: Record<ServerName, ServerSpec> = {
  nats: {
    pkg: 'nats-server',
    binary: '/usr/sbin/nats-server',
    port: (s) => s.ports.nats,
    args: (dir, host, port) => ['-a', host, '-p', String(port), '-js', '-sd', path.join(dir, 'jetstream'), '-l', path.join(dir, 'nats.log')],
    hello: Buffer.alloc(0),
    answer: (data) => {
      const m = /^INFO (\{.*\})/.exec(data);
      if (!m) return undefined;
      const info = JSON.parse(m[1]!) as { version?: string; jetstream?: boolean };
      if (!info.jetstream) throw new Error('answers, but without JetStream (start it with -js)');
      return info.version ?? 'unknown';
    },
    detail: 'JetStream, file store',
  },
  redis: {
    pkg: 'redis-server',
    binary: '/usr/bin/redis-server',
    port: (s) => s.ports.redis,
    // the same persistence as the machine's own server: none (see adapters/redis/README.md)
    args: (dir, host, port) => ['--bind', host, '--port', String(port), '--save', '', '--appendonly', 'no', '--dir', dir, '--logfile', path.join(dir, 'redis.log')],
    hello: Buffer.from('INFO server\r\n'),
    answer: (data) => /redis_version:([^\r\n]+)/.exec(data)?.[1],
    detail: 'persistence as configured on the server (bench starts it with none)',
  },
  mosquitto: {
    pkg: 'mosquitto',
    binary: '/usr/sbin/mosquitto',
    port: (s) => s.ports.mqtt,
    args: (dir) => ['-c', path.join(dir, 'mosquitto.conf')],
    hello: mqttConnect(),
    answer: (data) => {
      const b = Buffer.from(data, 'latin1');
      if (b.length < 4) return undefined;
      if (b[0] !== 0x20 || b[3] !== 0) throw new Error(`refused the MQTT connection (CONNACK code ${b[3]})`);
      return 'MQTT 3.1.1/5';
    },
    detail: 'MQTT on TCP',
  },
};

/** Mosquitto's own config: persistence on, and no cap on a session's queued QoS 1 messages (its default drops past 1000). */
export function renderMosquittoConf(dir: string, host: string, port: number, ownUser = false): string {
  return [
    `listener ${port} ${host}`,
    'allow_anonymous true',
    'persistence true',
    `persistence_location ${dir}/`,
    'max_queued_messages 0',
    'log_dest stderr',
    // started by root here: keep its user, so it can write the state directory it was given
    ...(ownUser ? [`user ${os.userInfo().username}`] : []),
    '',
  ].join('\n');
}

/** Handshake on host:port: the server's version (or protocol) once it answers. */
export function serverPing(name: ServerName, host: string, port: number, timeoutMs = 1500): Promise<string> {
  const spec = SPECS[name];
  return new Promise((resolve, reject) => {
    let data = '';
    const socket = net.connect({ host, port });
    const finish = (err: Error | undefined, version?: string): void => {
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve(version!);
    };
    const timer = setTimeout(() => finish(new Error(`no ${name} answer within ${timeoutMs} ms`)), timeoutMs);
    socket.once('connect', () => spec.hello.length > 0 && socket.write(spec.hello));
    socket.on('data', (chunk: Buffer) => {
      data += chunk.toString('latin1');
      try {
        const version = spec.answer(data);
        if (version !== undefined) finish(undefined, version);
      } catch (e) {
        finish(e as Error);
      }
    });
    socket.once('error', (e) => finish(e));
    socket.once('close', () => finish(new Error('connection closed before an answer')));
  });
}

interface ServerRecord {
  pid: number;
  marker: string;
  port: number;
}

const dirOf = (s: BrokerSettings, name: ServerName) => path.join(s.stateDir, name);
const recordFile = (s: BrokerSettings, name: ServerName) => path.join(dirOf(s, name), 'run.json');

function liveRecord(s: BrokerSettings, name: ServerName): ServerRecord | undefined {
  const rec = readJson<ServerRecord>(recordFile(s, name));
  return rec && isOurProcess(rec.pid, rec.marker) ? rec : undefined;
}

export async function serverStatus(s: BrokerSettings, name: ServerName): Promise<BrokerStatus> {
  const port = SPECS[name].port(s);
  const rec = liveRecord(s, name);
  let version: string | undefined;
  let error: string | undefined;
  try {
    version = await serverPing(name, s.host, port);
  } catch (e) {
    error = (e as Error).message;
  }
  return {
    name,
    version,
    address: `${s.host}:${port}`,
    pid: rec?.pid ?? (await listenerPid(port)),
    startedByUs: rec !== undefined,
    answers: version !== undefined,
    detail: error ?? SPECS[name].detail,
  };
}

export async function serverStop(s: BrokerSettings, name: ServerName): Promise<void> {
  const rec = liveRecord(s, name);
  if (rec) await stopPid(rec.pid, 10_000);
  fs.rmSync(recordFile(s, name), { force: true });
}

export async function serverUp(s: BrokerSettings, name: ServerName, log: LogFn): Promise<BrokerStatus> {
  const spec = SPECS[name];
  const port = spec.port(s);
  const rec = liveRecord(s, name);
  if (rec && rec.port !== port) await serverStop(s, name);
  // ours, or the machine's own server (these machines start one): used as it is
  if (rec?.port === port || (await portAccepts(s.host, port, 1000))) {
    await waitFor(name, () => serverPing(name, s.host, port), { timeoutMs: rec ? 10_000 : 2_000, intervalMs: 300 }).catch((err: unknown) => {
      throw new BenchError('PORT_TAKEN', `${s.host}:${port} is already in use but does not answer as ${name}: ${(err as Error).message}`, { cause: err });
    });
    return { ...(await serverStatus(s, name)), startedNow: false };
  }
  await assertPortFree(s.host, port, name);
  await aptInstall([spec.pkg], name, log);
  if (await portAccepts(s.host, port, 1000)) return serverUp(s, name, log); // the package started its own
  const dir = dirOf(s, name);
  fs.mkdirSync(dir, { recursive: true });
  if (name === 'mosquitto') fs.writeFileSync(path.join(dir, 'mosquitto.conf'), renderMosquittoConf(dir, s.host, port, true));
  const t0 = Date.now();
  log(`starting ${name} on ${s.host}:${port}…`);
  const args = spec.args(dir, s.host, port);
  const pid = spawnDetached(spec.binary, args, { cwd: dir, logFile: path.join(dir, 'stdout.log') });
  // what its command line shows: redis-server rewrites its own to `redis-server host:port` once started
  const marker = name === 'mosquitto' ? path.join(dir, 'mosquitto.conf') : name === 'redis' ? String(port) : dir;
  writeJson(recordFile(s, name), { pid, marker, port } satisfies ServerRecord);
  try {
    await waitFor(`${name} on ${s.host}:${port}`, () => serverPing(name, s.host, port), {
      timeoutMs: 30_000,
      intervalMs: 200,
      giveUpIf: () => (isOurProcess(pid, marker) ? undefined : `the server (pid ${pid}) exited`),
    });
  } catch (err) {
    const tail = tailFile(path.join(dir, 'stdout.log'), 15);
    await stopPid(pid, 10_000);
    fs.rmSync(recordFile(s, name), { force: true });
    throw new BenchError('BROKER_START', `${name} failed to start: ${(err as Error).message}\n${tail}`, { cause: err });
  }
  log(`${name} answers on ${s.host}:${port}… ${secondsSince(t0)}`);
  return { ...(await serverStatus(s, name)), startedNow: true };
}
