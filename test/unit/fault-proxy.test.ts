import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FaultProxy } from '../../src/runtime/fault-proxy.js';

/** A server that stamps when each newline-terminated message arrives, and echoes it back. */
async function stampingServer(): Promise<{ port: number; arrivals: Map<string, number>; close: () => Promise<void> }> {
  const arrivals = new Map<string, number>();
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.setNoDelay(true);
    let buf = '';
    s.on('data', (c) => {
      const now = performance.now();
      buf += c.toString();
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        arrivals.set(line, now);
        s.write(`${line}\n`);
      }
    });
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    port: (server.address() as net.AddressInfo).port,
    arrivals,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => resolve(s));
    s.setNoDelay(true);
    s.once('error', reject);
  });
}

/** One-way delays (ms) of `n` messages sent 5 ms apart, by the server's arrival stamps. */
async function oneWayMs(port: number, arrivals: Map<string, number>, tag: string, n = 40): Promise<number[]> {
  const s = await connect(port);
  const sent = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const id = `${tag}-${i}`;
    sent.set(id, performance.now());
    s.write(`${id}\n`);
    await new Promise((r) => setTimeout(r, 5));
  }
  const deadline = Date.now() + 5000;
  while ([...sent.keys()].some((id) => !arrivals.has(id)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  s.destroy();
  return [...sent].map(([id, at]) => arrivals.get(id)! - at);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

describe('TCP fault proxy', () => {
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of closers.splice(0).reverse()) await c();
  });

  async function setup() {
    const server = await stampingServer();
    closers.push(server.close);
    const proxy = await FaultProxy.start({ host: '127.0.0.1', port: server.port });
    closers.push(() => proxy.close());
    return { server, proxy };
  }

  it('known answer: +20 ms latency on the hop shows as +20 ± 2 ms one way, in order', async () => {
    const { server, proxy } = await setup();
    const direct = median(await oneWayMs(server.port, server.arrivals, 'direct'));
    const idle = median(await oneWayMs(proxy.port, server.arrivals, 'idle'));
    proxy.set({ latencyMs: 20 });
    const delayed = await oneWayMs(proxy.port, server.arrivals, 'slow');
    const added = median(delayed) - direct;
    console.log(`[fault-proxy] one-way median: direct ${direct.toFixed(3)} ms, through the idle proxy ${idle.toFixed(3)} ms (+${(idle - direct).toFixed(3)}), with +20 ms ${median(delayed).toFixed(3)} ms (+${added.toFixed(3)})`);
    expect(added).toBeGreaterThan(18);
    expect(added).toBeLessThan(22);
    expect(idle - direct, 'the idle proxy adds well under a millisecond').toBeLessThan(1);
  });

  it('jitter spreads latency within ± jitter and never reorders a connection\'s bytes', async () => {
    const { server, proxy } = await setup();
    proxy.set({ latencyMs: 20, jitterMs: 10 });
    const s = await connect(proxy.port);
    let echoed = '';
    s.on('data', (c) => (echoed += c.toString()));
    const ids = Array.from({ length: 60 }, (_, i) => `j${i}`);
    for (const id of ids) s.write(`${id}\n`);
    const deadline = Date.now() + 5000;
    while (echoed.split('\n').length <= ids.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    s.destroy();
    expect(echoed.trim().split('\n')).toEqual(ids);
    const delays = await oneWayMs(proxy.port, server.arrivals, 'jit', 30);
    expect(Math.min(...delays)).toBeGreaterThan(9);
    // 20 ± 10 ms; timers run late on a busy machine, so the bound is on the 90th percentile
    const sorted = [...delays].sort((a, b) => a - b);
    expect(sorted[Math.floor(sorted.length * 0.9)]!).toBeLessThan(45);
    expect(Math.max(...delays) - Math.min(...delays), 'jitter varies the delay').toBeGreaterThan(5);
  });

  it('keeps order when chunks queue up in one turn of the event loop while the clock moves on', async () => {
    // jitter draws 30 ms for the first chunk and 10 ms for every later one, so each later
    // chunk is due at the first one's moment; the clock moves ~3 ms between them, as on a busy
    // machine where one poll reads several chunks. A timer per chunk wrote them in reverse.
    let draws = 0;
    const server = await stampingServer();
    closers.push(server.close);
    const proxy = await FaultProxy.start({ host: '127.0.0.1', port: server.port }, { random: () => (draws++ === 0 ? 1 : 0) });
    closers.push(() => proxy.close());
    proxy.set({ latencyMs: 20, jitterMs: 10 });
    const written: string[] = [];
    const sink = { destroyed: false, write: (c: Buffer) => written.push(c.toString()) } as unknown as net.Socket;
    const dir = { lastAtMs: 0, held: [], due: [] };
    const forward = (proxy as unknown as { forward: (d: unknown, c: Buffer, to: net.Socket) => void }).forward.bind(proxy);
    for (const id of ['a', 'b', 'c', 'd']) {
      forward(dir, Buffer.from(id), sink);
      const until = Date.now() + 3;
      while (Date.now() < until); // the same turn, a later moment
    }
    await new Promise((r) => setTimeout(r, 80));
    expect(written.join('')).toBe('abcd');
  });

  it('keeps order when the latency ends while delayed chunks still wait', async () => {
    const server = await stampingServer();
    closers.push(server.close);
    const proxy = await FaultProxy.start({ host: '127.0.0.1', port: server.port });
    closers.push(() => proxy.close());
    const written: string[] = [];
    const sink = { destroyed: false, write: (c: Buffer) => written.push(c.toString()) } as unknown as net.Socket;
    const dir = { lastAtMs: 0, held: [], due: [] };
    const forward = (proxy as unknown as { forward: (d: unknown, c: Buffer, to: net.Socket) => void }).forward.bind(proxy);
    proxy.set({ latencyMs: 5 });
    forward(dir, Buffer.from('a'), sink);
    const until = Date.now() + 8;
    while (Date.now() < until); // 'a' is due, its timer has not run yet
    proxy.set({});
    forward(dir, Buffer.from('b'), sink);
    await new Promise((r) => setTimeout(r, 30));
    expect(written.join('')).toBe('ab');
  });

  it('limits bandwidth: 200 kB echoed at 400 kB/s each way takes about half a second', async () => {
    const { proxy } = await setup();
    proxy.set({ bandwidthBytesPerSec: 400_000 });
    const s = await connect(proxy.port);
    const payload = `${'x'.repeat(200_000 - 1)}\n`;
    let got = 0;
    const t0 = performance.now();
    const done = new Promise<void>((resolve) => s.on('data', (c) => { got += c.length; if (got >= payload.length) resolve(); }));
    s.write(payload);
    await done;
    const ms = performance.now() - t0;
    s.destroy();
    // 0.5 s up; the echo flows back at the same rate while the rest still goes up, so ~0.5-0.7 s in all (unlimited: a few ms)
    expect(ms).toBeGreaterThan(480);
    expect(ms).toBeLessThan(1500);
  });

  it('reset closes open connections with an RST; blackhole holds data until it ends', async () => {
    const { proxy } = await setup();
    const a = await connect(proxy.port);
    await new Promise((r) => setTimeout(r, 50));
    const reset = new Promise<string>((resolve) => a.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? '')));
    proxy.reset();
    expect(await reset).toBe('ECONNRESET');

    proxy.set({ blackhole: true });
    const b = await connect(proxy.port);
    let echoed = '';
    b.on('data', (c) => (echoed += c.toString()));
    b.write('held\n');
    await new Promise((r) => setTimeout(r, 300));
    expect(echoed, 'nothing answers inside the blackhole').toBe('');
    proxy.set({});
    const deadline = Date.now() + 2000;
    while (echoed === '' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(echoed).toBe('held\n');
    b.destroy();
  });
});
