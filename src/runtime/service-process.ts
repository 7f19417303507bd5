import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BenchError } from '../contract/errors.js';
import { REPO_ROOT } from '../repo-root.js';
import type { HarnessMessage, HostMessage, ServiceConfig } from './service-config.js';

/**
 * Compiled (dist/, after `npm ci` or `npm run build`), a service process is plain
 * JavaScript. Run from the TypeScript sources (development, tests), it still starts from
 * dist/ when that build is newer than every source (bin/build-fresh.js, which bin/bench.js
 * asks too): a service through tsx's loader takes ~0.4 s longer to start
 * (scripts/startup.ts), paid by every instance of every run. Otherwise it runs through tsx, by absolute URL so children start
 * the same from any working directory.
 */
const COMPILED = import.meta.url.endsWith('.js');

async function hostArgs(): Promise<string[]> {
  if (COMPILED) return [fileURLToPath(new URL('./service-host.js', import.meta.url))];
  const built = join(REPO_ROOT, 'dist/src/runtime/service-host.js');
  // bin/build-fresh.js is plain JavaScript outside the compiled tree: loaded by path
  const fresh = (await import(pathToFileURL(join(REPO_ROOT, 'bin/build-fresh.js')).href)) as { buildIsFresh: (root: string) => boolean };
  if (existsSync(built) && fresh.buildIsFresh(REPO_ROOT)) return [built];
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return ['--import', tsx, fileURLToPath(new URL('./service-host.ts', import.meta.url))];
}

let nodeArgs: string[] | undefined;

export type ProcessState = 'starting' | 'running' | 'paused' | 'killed' | 'stopped';

/**
 * One service instance as an OS process, from the harness's side: start it, kill it
 * (SIGKILL), pause (SIGSTOP) and resume (SIGCONT), restart it, ask for its figures,
 * stop it. Its stderr goes to a log file in the run directory.
 */
export class ServiceProcess {
  private child: ChildProcess | undefined;
  private log: WriteStream | undefined;
  state: ProcessState = 'stopped';
  port: number | undefined;
  restarts = 0;
  /** why the process gave up after it was ready (its adapter's retries ran out), if it did */
  gaveUp: string | undefined;
  private lastStats: Extract<HostMessage, { type: 'stats' }> | undefined;
  /** figures of earlier lives (before a kill) */
  private readonly pastStats: Array<Extract<HostMessage, { type: 'stats' }>> = [];

  constructor(
    readonly config: ServiceConfig,
    private readonly logPath: string,
  ) {}

  get name(): string {
    return `${this.config.service}-${this.config.instance}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the process and resolves once it is ready to serve (or rejects with its error). */
  async start(timeoutMs = 30_000): Promise<void> {
    this.log ??= createWriteStream(this.logPath, { flags: 'a' });
    const child = spawn(process.execPath, (nodeArgs ??= await hostArgs()), {
      env: { ...process.env, BENCH_SERVICE_CONFIG: JSON.stringify(this.config) },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    this.child = child;
    this.state = 'starting';
    child.stdout?.pipe(this.log, { end: false });
    child.stderr?.pipe(this.log, { end: false });
    child.on('message', (m: HostMessage) => {
      if (m.type === 'stats') this.lastStats = m;
      else if (m.type === 'fatal' && this.state === 'running') this.gaveUp ??= m.message;
    });
    child.on('exit', () => {
      if (this.child === child && this.state !== 'killed') this.state = 'stopped';
    });
    // a child that died (a signal to the whole process group, a crash) closes its IPC
    // channel: a write to it then fails with EPIPE, which must never crash the harness
    child.on('error', (err) => this.log?.write(`harness: ${err.message}\n`));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        cleanup();
        child.kill('SIGKILL');
        reject(new BenchError('SERVICE_START', `service ${this.name} did not become ready within ${timeoutMs} ms (log: ${this.logPath})`));
      }, timeoutMs);
      const onMessage = (m: HostMessage): void => {
        if (m.type === 'ready') {
          cleanup();
          this.port = m.port;
          // a restarted instance listens where the first one did, so callers find it
          if (m.port !== undefined) this.config.port = m.port;
          this.state = 'running';
          resolve();
        } else if (m.type === 'fatal') {
          cleanup();
          reject(new BenchError('UNREACHABLE', `service ${this.name} (${this.config.transport}) failed to start: ${m.message}`));
        }
      };
      const onExit = (code: number | null): void => {
        cleanup();
        reject(new BenchError('SERVICE_START', `service ${this.name} exited with code ${code} before it was ready (log: ${this.logPath})`));
      };
      const cleanup = (): void => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
      };
      child.on('message', onMessage);
      child.on('exit', onExit);
    });
  }

  /** SIGKILL: the process dies mid-whatever, as a crash would. */
  kill(): void {
    if (!this.child || this.state === 'killed' || this.state === 'stopped') return;
    if (this.lastStats) this.pastStats.push(this.lastStats);
    this.lastStats = undefined;
    this.state = 'killed';
    this.child.kill('SIGKILL');
  }

  /** Starts a killed process again; a REST service keeps its port so callers find it. */
  async restart(): Promise<void> {
    if (this.state === 'running' || this.state === 'paused') return;
    this.restarts++;
    await this.start();
  }

  pause(): void {
    if (this.state !== 'running') return;
    this.child?.kill('SIGSTOP');
    this.state = 'paused';
  }

  resume(): void {
    if (this.state !== 'paused') return;
    this.child?.kill('SIGCONT');
    this.state = 'running';
  }

  /** Tells the process where the measured window begins (kept for restarts). */
  measureFrom(fromUs: number): void {
    this.config.measureFromUs = fromUs;
    this.send({ type: 'measure', fromUs });
  }

  setDelay(ms: number): void {
    this.send({ type: 'delay', ms });
  }

  /** Asks for hop histograms and counts; includes the figures of earlier lives. */
  async stats(timeoutMs = 3000): Promise<Array<Extract<HostMessage, { type: 'stats' }>>> {
    if (this.state === 'running' && this.child?.connected) {
      const child = this.child;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, timeoutMs);
        function done(): void {
          clearTimeout(timer);
          child.off('message', onMessage);
          child.off('exit', done);
          resolve();
        }
        const onMessage = (m: HostMessage): void => {
          if (m.type === 'stats') done();
        };
        child.on('message', onMessage);
        // a process that dies before it answers answers with the figures it last sent
        child.once('exit', done);
        if (!this.send({ type: 'stats' })) done();
      });
    }
    return [...this.pastStats, ...(this.lastStats ? [this.lastStats] : [])];
  }

  /** Asks the process to close its connections and exit; SIGKILL after the grace period. */
  async stop(graceMs = 5000): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) {
      this.state = 'stopped';
      this.closeLog();
      return;
    }
    if (this.state === 'paused') child.kill('SIGCONT');
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    this.send({ type: 'shutdown' });
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
    this.state = 'stopped';
    this.closeLog();
  }

  private closeLog(): void {
    this.log?.end();
    this.log = undefined;
  }

  /** Sends over IPC if the channel is open; false when it is not. A failed write is logged, never thrown. */
  private send(m: HarnessMessage): boolean {
    const child = this.child;
    if (!child?.connected) return false;
    try {
      child.send(m, (err) => {
        if (err) this.log?.write(`harness: could not send ${m.type}: ${err.message}\n`);
      });
      return true;
    } catch (err) {
      // the channel closed between the check and the write
      this.log?.write(`harness: could not send ${m.type}: ${(err as Error).message}\n`);
      return false;
    }
  }
}
