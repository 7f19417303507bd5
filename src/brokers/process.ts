import { spawn, execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { BenchError } from '../contract/errors.js';

/** Spawn, PID and wait helpers for the broker processes we start ourselves. */

export interface SpawnOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** stdout and stderr go here (appended) */
  logFile: string;
}

/** Starts a process that outlives this one (its own process group, output to a file); returns its PID. */
export function spawnDetached(cmd: string, args: string[], opts: SpawnOptions): number {
  const fd = fs.openSync(opts.logFile, 'a');
  try {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, detached: true, stdio: ['ignore', fd, fd] });
    if (child.pid === undefined) throw new BenchError('BROKER_START', `could not start ${cmd}`);
    child.on('error', () => undefined);
    child.unref();
    return child.pid;
  } finally {
    fs.closeSync(fd);
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  // a zombie (our own exited child not yet reaped) is not alive
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/\) Z /.test(stat);
  } catch {
    return true;
  }
}

/** The command line of a process, '' when it is gone. */
export function cmdlineOf(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

/** True when `pid` is alive and its command line contains `marker` (so a reused PID is not mistaken for ours). */
export function isOurProcess(pid: number | undefined, marker: string): pid is number {
  return pid !== undefined && isAlive(pid) && cmdlineOf(pid).includes(marker);
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
export async function stopPid(pid: number, graceMs = 15_000): Promise<void> {
  if (!isAlive(pid)) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(100);
  if (isAlive(pid)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
    while (isAlive(pid)) await sleep(50);
  }
}

/** True when something accepts TCP connections at host:port. */
export function portAccepts(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** "pid 123 (beam.smp)" for whatever listens on a TCP port, when `ss` can tell. */
export async function listenerOf(port: number): Promise<string | undefined> {
  const out = await run('ss', ['-ltnpH', `sport = :${port}`], 3000).catch(() => '');
  const m = /users:\(\("([^"]+)",pid=(\d+)/.exec(out);
  return m ? `pid ${m[2]} (${m[1]})` : undefined;
}

export function listenerPid(port: number): Promise<number | undefined> {
  return listenerOf(port).then((s) => (s ? Number(/pid (\d+)/.exec(s)?.[1]) : undefined));
}

/** Fails with PORT_TAKEN naming the address when something already listens there. */
export async function assertPortFree(host: string, port: number, what: string): Promise<void> {
  if (!(await portAccepts(host, port, 500))) return;
  const who = await listenerOf(port);
  throw new BenchError('PORT_TAKEN', `${host}:${port} is already in use${who ? ` by ${who}` : ''}; ${what} cannot start there`);
}

/** `password=…` and `--password …` in a command line or its output, with the value hidden. */
export function hideSecrets(text: string): string {
  return text
    .replace(/(password\s*[=:]\s*)[^,\]\s'"]+/gi, '$1***')
    .replace(/(--(?:password|pass|passwd)\s+)\S+/gi, '$1***');
}

/**
 * Runs a command to completion; resolves with stdout, rejects with stderr in the message
 * (the command line and its output with any password hidden: the error may reach a log).
 */
export function run(cmd: string, args: string[], timeoutMs = 120_000, env?: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: timeoutMs, env: env ?? process.env, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(hideSecrets(`${cmd} ${args.join(' ')} failed: ${String(stderr || err.message).trim().slice(-2000)}`)));
      else resolve(String(stdout));
    });
  });
}

/** The last `lines` lines of a file ('' when it does not exist). */
export function tailFile(file: string, lines = 20): string {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text.trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** returns a reason to give up early (e.g. the process died) */
  giveUpIf?: () => string | undefined;
}

/** Retries `attempt` until it resolves; throws its last error (or the give-up reason) at the deadline. */
export async function waitFor<T>(what: string, attempt: () => Promise<T>, opts: WaitOptions): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  let last: unknown;
  for (;;) {
    const reason = opts.giveUpIf?.();
    if (reason) throw new BenchError('BROKER_START', `${what}: ${reason}`, { cause: last });
    try {
      return await attempt();
    } catch (err) {
      last = err;
    }
    if (Date.now() >= deadline) {
      const msg = last instanceof Error ? last.message : String(last);
      throw new BenchError('BROKER_START', `${what}: no answer after ${Math.round(opts.timeoutMs / 1000)} s (${msg})`, { cause: last });
    }
    await sleep(opts.intervalMs ?? 250);
  }
}

/** Rejects after `ms` unless `p` settles first. */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: timed out after ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Runs `fn` holding an exclusive lock file, so two `up`s at once (a test run and a
 * shell) do not both start a broker. A lock left by a dead process is taken over.
 */
export async function withLock<T>(file: string, fn: () => Promise<T>, timeoutMs = 600_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const text = readText(file);
      const holder = Number(text);
      // an empty file is a lock being written right now, unless it is old
      const stale = text === '' ? ageMs(file) > 5000 : !Number.isInteger(holder) || !isAlive(holder);
      if (stale) {
        fs.rmSync(file, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new BenchError('TIMEOUT', `${file} is held by pid ${holder}`);
      await sleep(200);
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(file, { force: true });
  }
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return '';
  }
}

function ageMs(file: string): number {
  try {
    return Date.now() - fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

/** Seconds since `t0` (ms), one decimal: "14.2 s". */
export function secondsSince(t0: number): string {
  return `${((Date.now() - t0) / 1000).toFixed(1)} s`;
}

export function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

export function writeJson(file: string, value: unknown): void {
  fs.writeFileSync(file, JSON.stringify(value, null, 2) + '\n');
}
