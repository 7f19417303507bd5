import net from 'node:net';

/**
 * A small TCP fault proxy in the manner of Toxiproxy's toxics: it listens on 127.0.0.1,
 * forwards every connection to one target, and can add, for a fault's window,
 *  - latency (with uniform jitter) to every chunk, each direction on its own, keeping
 *    each direction's byte order (a chunk never overtakes the one before it);
 *  - a bandwidth limit per direction of each connection;
 *  - reset: every open connection is closed with a TCP RST;
 *  - blackhole: new connections are accepted and nothing is forwarded either way, and
 *    data on open ones is held back, unanswered (a partition): it flows again once the
 *    blackhole ends, as TCP retransmission would deliver it.
 * Written here because the npm proxies (node-tcp-proxy, tcp-proxy.js) forward only, and
 * Toxiproxy's client needs its Go server. No dependency; tested on its own.
 */

export interface Toxics {
  /** added one-way delay per chunk, each direction, ms */
  latencyMs?: number;
  /** latency is drawn uniformly from latencyMs ± jitterMs */
  jitterMs?: number;
  /** bytes per second per direction of each connection */
  bandwidthBytesPerSec?: number;
  /** nothing is forwarded (held until it ends) */
  blackhole?: boolean;
}

interface Direction {
  /** when the last chunk of this direction was (or will be) written, ms since the epoch */
  lastAtMs: number;
  held: Buffer[];
  /** chunks waiting for their time, in the order they must be written (their atMs never decreases) */
  due: Array<{ atMs: number; chunk: Buffer; to: net.Socket }>;
  timer?: NodeJS.Timeout;
}

interface Pipe {
  client: net.Socket;
  upstream: net.Socket;
  up: Direction;
  down: Direction;
}

export class FaultProxy {
  private readonly server: net.Server;
  private readonly pipes = new Set<Pipe>();
  private toxics: Toxics = {};
  /** connections accepted so far */
  accepted = 0;

  private constructor(
    private readonly target: { host: string; port: number },
    private readonly random: () => number,
  ) {
    this.server = net.createServer((client) => this.accept(client));
  }

  /** Starts a proxy to `target` on an ephemeral port of 127.0.0.1 (or `port`). */
  static async start(target: { host: string; port: number }, opts: { port?: number; random?: () => number } = {}): Promise<FaultProxy> {
    const proxy = new FaultProxy(target, opts.random ?? Math.random);
    await new Promise<void>((resolve, reject) => {
      proxy.server.once('error', reject);
      proxy.server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
    });
    return proxy;
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Replaces the toxics in force; ending a blackhole releases what it held. */
  set(toxics: Toxics): void {
    const wasBlackhole = this.toxics.blackhole === true;
    this.toxics = { ...toxics };
    if (wasBlackhole && !toxics.blackhole) {
      for (const p of this.pipes) {
        this.release(p.up, p.upstream);
        this.release(p.down, p.client);
      }
    }
  }

  /** Closes every open connection with a TCP RST, both sides. */
  reset(): void {
    for (const p of [...this.pipes]) {
      p.client.resetAndDestroy();
      p.upstream.resetAndDestroy();
    }
  }

  async close(): Promise<void> {
    for (const p of [...this.pipes]) {
      p.client.destroy();
      p.upstream.destroy();
    }
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: net.Socket): void {
    this.accepted++;
    client.setNoDelay(true);
    const upstream = net.connect({ host: this.target.host, port: this.target.port });
    upstream.setNoDelay(true);
    const pipe: Pipe = { client, upstream, up: { lastAtMs: 0, held: [], due: [] }, down: { lastAtMs: 0, held: [], due: [] } };
    this.pipes.add(pipe);
    const end = (): void => {
      if (!this.pipes.delete(pipe)) return;
      for (const d of [pipe.up, pipe.down]) {
        clearTimeout(d.timer);
        d.due.length = 0;
      }
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (chunk: Buffer) => this.forward(pipe.up, chunk, upstream));
    upstream.on('data', (chunk: Buffer) => this.forward(pipe.down, chunk, client));
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  }

  private forward(dir: Direction, chunk: Buffer, to: net.Socket): void {
    if (this.toxics.blackhole) {
      dir.held.push(chunk);
      return;
    }
    const { latencyMs = 0, jitterMs = 0, bandwidthBytesPerSec } = this.toxics;
    if (latencyMs === 0 && jitterMs === 0 && !bandwidthBytesPerSec && dir.due.length === 0 && dir.lastAtMs <= Date.now()) {
      to.write(chunk);
      return;
    }
    const delay = Math.max(0, latencyMs + (this.random() * 2 - 1) * jitterMs);
    const transmitMs = bandwidthBytesPerSec ? (chunk.length / bandwidthBytesPerSec) * 1000 : 0;
    // never before the previous chunk of this direction: TCP's order holds through the proxy
    const atMs = Math.max(Date.now() + delay, dir.lastAtMs + transmitMs);
    dir.lastAtMs = atMs;
    dir.due.push({ atMs, chunk, to });
    if (!dir.timer) this.drain(dir);
  }

  /**
   * One timer per direction, writing its chunks strictly in order. A timer per chunk
   * reordered them: Node measures a timeout from the event loop's cached clock, so a
   * chunk scheduled later in the same turn, with a shorter wait to the same or a later
   * moment, could fire first.
   */
  private drain(dir: Direction): void {
    dir.timer = undefined;
    const now = Date.now();
    while (dir.due.length > 0 && dir.due[0]!.atMs <= now) {
      const { chunk, to } = dir.due.shift()!;
      if (!to.destroyed) to.write(chunk);
    }
    if (dir.due.length > 0) dir.timer = setTimeout(() => this.drain(dir), dir.due[0]!.atMs - now);
  }

  private release(dir: Direction, to: net.Socket): void {
    const held = dir.held.splice(0);
    for (const chunk of held) this.forward(dir, chunk, to);
  }
}
