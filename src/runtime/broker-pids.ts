import { execFile } from 'node:child_process';
import fs from 'node:fs';

/**
 * The pid of the broker listening on each local endpoint, so the resource sampler can
 * say what the broker cost. Asked of `ss -ltnpH` first; when ss is missing or shows no
 * owner (it shows owners only of one's own processes unless root), the listening
 * socket's inode from /proc/net/tcp{,6} is looked for among /proc/<pid>/fd. A remote
 * endpoint, or one whose owner this user may not see, gives nothing: no error, the
 * broker is then simply not sampled.
 */

export interface BrokerEndpoint {
  /** what to call the broker's process: `kafka`, `kafka#1`, `rabbitmq`, `activemq` */
  name: string;
  host: string;
  port: number;
}

/** A listening TCP socket: where it listens and, when known, who owns it. */
export interface Listener {
  family: 4 | 6;
  /** `loopback` (127.0.0.0/8, ::1, ::ffff:127.x), `any` (0.0.0.0, ::, *), or `other` (a specific address) */
  scope: 'loopback' | 'any' | 'other';
  port: number;
  pids: number[];
  inode?: number;
}

export interface BrokerPidOptions {
  /** false: skip ss and read /proc only (the fallback, for tests) */
  useSs?: boolean;
  /** /proc (tests may point elsewhere) */
  procRoot?: string;
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);

function hostOf(host: string): string {
  return host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
}

/** One `ss -ltnH -p` line per socket: `LISTEN 0 128 127.0.0.1:5672 0.0.0.0:* users:(("beam.smp",pid=2944,fd=35))`. */
export function parseSs(text: string): Listener[] {
  const out: Listener[] = [];
  for (const line of text.split('\n')) {
    const cols = line.trim().split(/\s+/);
    if (cols.length < 5 || cols[0] !== 'LISTEN') continue;
    const local = cols[3]!;
    const colon = local.lastIndexOf(':');
    const port = Number(local.slice(colon + 1));
    if (colon < 0 || !Number.isInteger(port)) continue;
    const addr = local.slice(0, colon).replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
    const pids = [...line.matchAll(/pid=(\d+)/g)].map((m) => Number(m[1]));
    out.push({ ...addressScope(addr), port, pids });
  }
  return out;
}

function addressScope(addr: string): Pick<Listener, 'family' | 'scope'> {
  if (addr === '*') return { family: 6, scope: 'any' };
  if (addr.includes(':')) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(addr);
    if (mapped) return { family: 6, scope: mapped[1]!.startsWith('127.') ? 'loopback' : mapped[1] === '0.0.0.0' ? 'any' : 'other' };
    return { family: 6, scope: addr === '::1' ? 'loopback' : addr === '::' ? 'any' : 'other' };
  }
  return { family: 4, scope: addr.startsWith('127.') ? 'loopback' : addr === '0.0.0.0' ? 'any' : 'other' };
}

/** Listening sockets of /proc/net/tcp or tcp6 (state 0A), addresses in the kernel's hex. */
export function parseProcNetTcp(text: string, family: 4 | 6): Listener[] {
  const out: Listener[] = [];
  for (const line of text.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    if (cols.length < 10 || cols[3] !== '0A') continue;
    const [hex, portHex] = cols[1]!.split(':') as [string, string];
    const inode = Number(cols[9]);
    let scope: Listener['scope'];
    if (/^0+$/.test(hex)) scope = 'any';
    else if (family === 4) scope = hex.slice(6, 8).toUpperCase() === '7F' ? 'loopback' : 'other';
    else if (hex === '00000000000000000000000001000000') scope = 'loopback';
    // ::ffff:a.b.c.d: the last 32-bit word holds the IPv4 address, low byte first
    else if (hex.slice(0, 24).toUpperCase() === '0000000000000000FFFF0000') scope = hex.slice(30, 32).toUpperCase() === '7F' ? 'loopback' : 'other';
    else scope = 'other';
    out.push({ family, scope, port: parseInt(portHex, 16), pids: [], inode });
  }
  return out;
}

function ssListeners(): Promise<Listener[] | null> {
  return new Promise((resolve) => {
    execFile('ss', ['-ltnpH'], { timeout: 3000, maxBuffer: 4 << 20 }, (err, stdout) => resolve(err ? null : parseSs(String(stdout))));
  });
}

function readOr(file: string): string {
  try {
    return fs.readFileSync(file, 'latin1');
  } catch {
    return '';
  }
}

/** Which pids hold these socket inodes open: every /proc/<pid>/fd this user may read. */
function socketOwners(inodes: Set<number>, procRoot: string): Map<number, number> {
  const owners = new Map<number, number>();
  let pids: string[];
  try {
    pids = fs.readdirSync(procRoot).filter((d) => /^\d+$/.test(d));
  } catch {
    return owners;
  }
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = fs.readdirSync(`${procRoot}/${pid}/fd`);
    } catch {
      continue; // gone, or another user's
    }
    for (const fd of fds) {
      let link: string;
      try {
        link = fs.readlinkSync(`${procRoot}/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const m = /^socket:\[(\d+)\]$/.exec(link);
      if (m && inodes.has(Number(m[1])) && !owners.has(Number(m[1]))) owners.set(Number(m[1]), Number(pid));
    }
    if (owners.size === inodes.size) break;
  }
  return owners;
}

/** The listeners an endpoint's host reaches on its port, those of its own address family first. */
function candidates(listeners: Listener[], e: BrokerEndpoint): Listener[] {
  const host = hostOf(e.host);
  const family = host === '::1' ? 6 : host === '127.0.0.1' ? 4 : undefined;
  return listeners
    .filter((l) => l.port === e.port && l.scope !== 'other')
    .sort((a, b) => (family === undefined ? 0 : Number(b.family === family) - Number(a.family === family)));
}

/**
 * The pid listening on each local endpoint (127.0.0.1, localhost, ::1), in the order
 * given; an endpoint that is remote or whose owner cannot be seen is left out, and a pid
 * already listed (ActiveMQ's STOMP and OpenWire ports) is listed once, under the first name.
 */
export async function brokerPids(endpoints: readonly BrokerEndpoint[], opts: BrokerPidOptions = {}): Promise<Array<{ name: string; pid: number }>> {
  const local = endpoints.filter((e) => LOCAL_HOSTS.has(hostOf(e.host)));
  if (local.length === 0) return [];
  const procRoot = opts.procRoot ?? '/proc';
  const found = new Map<BrokerEndpoint, number>();
  const ss = opts.useSs === false ? null : await ssListeners();
  if (ss) {
    for (const e of local) {
      const pid = candidates(ss, e).find((l) => l.pids.length > 0)?.pids[0];
      if (pid !== undefined) found.set(e, pid);
    }
  }
  const missing = local.filter((e) => !found.has(e));
  if (missing.length > 0) {
    const listeners = [...parseProcNetTcp(readOr(`${procRoot}/net/tcp`), 4), ...parseProcNetTcp(readOr(`${procRoot}/net/tcp6`), 6)];
    const wanted = new Map(missing.map((e) => [e, candidates(listeners, e).map((l) => l.inode!)]));
    const owners = socketOwners(new Set([...wanted.values()].flat()), procRoot);
    for (const [e, inodes] of wanted) {
      const pid = inodes.map((i) => owners.get(i)).find((p) => p !== undefined);
      if (pid !== undefined) found.set(e, pid);
    }
  }
  const out: Array<{ name: string; pid: number }> = [];
  for (const e of local) {
    const pid = found.get(e);
    if (pid !== undefined && !out.some((x) => x.pid === pid)) out.push({ name: e.name, pid });
  }
  return out;
}
