import net from 'node:net';
export class FaultProxy {
    target;
    random;
    server;
    pipes = new Set();
    toxics = {};
    /** connections accepted so far */
    accepted = 0;
    constructor(target, random) {
        this.target = target;
        this.random = random;
        this.server = net.createServer((client) => this.accept(client));
    }
    /** Starts a proxy to `target` on an ephemeral port of 127.0.0.1 (or `port`). */
    static async start(target, opts = {}) {
        const proxy = new FaultProxy(target, opts.random ?? Math.random);
        await new Promise((resolve, reject) => {
            proxy.server.once('error', reject);
            proxy.server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
        });
        return proxy;
    }
    get port() {
        return this.server.address().port;
    }
    get address() {
        return `127.0.0.1:${this.port}`;
    }
    /** Replaces the toxics in force; ending a blackhole releases what it held. */
    set(toxics) {
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
    reset() {
        for (const p of [...this.pipes]) {
            p.client.resetAndDestroy();
            p.upstream.resetAndDestroy();
        }
    }
    async close() {
        for (const p of [...this.pipes]) {
            p.client.destroy();
            p.upstream.destroy();
        }
        await new Promise((resolve) => this.server.close(() => resolve()));
    }
    accept(client) {
        this.accepted++;
        client.setNoDelay(true);
        const upstream = net.connect({ host: this.target.host, port: this.target.port });
        upstream.setNoDelay(true);
        const pipe = { client, upstream, up: { lastAtMs: 0, held: [] }, down: { lastAtMs: 0, held: [] } };
        this.pipes.add(pipe);
        const end = () => {
            if (!this.pipes.delete(pipe))
                return;
            client.destroy();
            upstream.destroy();
        };
        client.on('data', (chunk) => this.forward(pipe.up, chunk, upstream));
        upstream.on('data', (chunk) => this.forward(pipe.down, chunk, client));
        client.on('error', end).on('close', end);
        upstream.on('error', end).on('close', end);
    }
    forward(dir, chunk, to) {
        if (this.toxics.blackhole) {
            dir.held.push(chunk);
            return;
        }
        const { latencyMs = 0, jitterMs = 0, bandwidthBytesPerSec } = this.toxics;
        if (latencyMs === 0 && jitterMs === 0 && !bandwidthBytesPerSec && dir.lastAtMs <= Date.now()) {
            to.write(chunk);
            return;
        }
        const delay = Math.max(0, latencyMs + (this.random() * 2 - 1) * jitterMs);
        const transmitMs = bandwidthBytesPerSec ? (chunk.length / bandwidthBytesPerSec) * 1000 : 0;
        // never before the previous chunk of this direction: TCP's order holds through the proxy
        const atMs = Math.max(Date.now() + delay, dir.lastAtMs + transmitMs);
        dir.lastAtMs = atMs;
        setTimeout(() => {
            if (!to.destroyed)
                to.write(chunk);
        }, atMs - Date.now());
    }
    release(dir, to) {
        const held = dir.held.splice(0);
        for (const chunk of held)
            this.forward(dir, chunk, to);
    }
}
//# sourceMappingURL=fault-proxy.js.map