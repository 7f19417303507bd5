import net from 'node:net';
import { BenchError } from '../contract/errors.js';
import { FaultProxy } from './fault-proxy.js';
/** Whether a scenario has network faults (then the run's links go through proxies). */
export function hasNetworkFaults(scenario) {
    return scenario.faults.some((f) => f.target === 'network');
}
/**
 * The links of one transport's run, each through its own TCP fault proxy on 127.0.0.1:
 * REST, driver → order service and order service → each downstream instance; messaging,
 * driver → order service and each service process → its broker. A network fault sets
 * toxics on its party's links for its window.
 */
export class RunNetwork {
    transport;
    links = [];
    constructor(transport) {
        this.transport = transport;
    }
    /** A proxy in front of `target` for `party`; returns its address. */
    async link(party, hop, target) {
        const proxy = await FaultProxy.start(target);
        this.links.push({ party, hop, proxy });
        return { host: '127.0.0.1', port: proxy.port };
    }
    /** `url` with its host and port replaced by a proxy's. */
    async linkUrl(party, hop, url) {
        const u = new URL(url);
        const port = Number(u.port || (u.protocol === 'amqp:' ? 5672 : u.protocol === 'http:' ? 80 : 0));
        const p = await this.link(party, hop, { host: u.hostname, port });
        u.hostname = p.host;
        u.port = String(p.port);
        return u.toString().replace(/\/$/, '');
    }
    /** A service process's broker endpoints, through a proxy of its own. */
    async brokerEndpoints(party, name, e) {
        if (this.transport === 'kafka') {
            throw new BenchError('INVALID_CONFIG', 'network faults between a service and Kafka are not supported: Kafka clients connect to the addresses the brokers advertise, which would bypass the proxy');
        }
        if (this.transport === 'rabbitmq')
            return { ...e, rabbitmq: { url: await this.linkUrl(party, `${name}→rabbitmq`, e.rabbitmq.url) } };
        const p = await this.link(party, `${name}→activemq`, e.activemq);
        return { ...e, activemq: { host: p.host, port: p.port } };
    }
    /** Sets a fault's toxics on its party's links; returns what it did and how to undo it. */
    apply(fault) {
        const links = this.links.filter((l) => fault.party === 'all' || l.party === fault.party);
        const hops = links.map((l) => l.hop).join(', ') || 'no link';
        if (fault.action === 'reset') {
            for (const l of links)
                l.proxy.reset();
            return { detail: `connections reset on ${hops}`, undo: () => undefined };
        }
        const toxics = fault.action === 'latency'
            ? { latencyMs: fault.latency ?? 0, jitterMs: fault.jitter ?? 0 }
            : fault.action === 'bandwidth'
                ? { bandwidthBytesPerSec: fault.bandwidth }
                : { blackhole: true };
        for (const l of links)
            l.proxy.set(toxics);
        const what = fault.action === 'latency'
            ? `+${fault.latency} ms${fault.jitter ? ` ± ${fault.jitter} ms` : ''} one way`
            : fault.action === 'bandwidth'
                ? `${fault.bandwidth} bytes/s per direction`
                : 'blackhole (nothing answers)';
        return { detail: `${what} on ${hops}`, undo: () => links.forEach((l) => l.proxy.set({})) };
    }
    /** Where the proxies sit, for the result's `delivery`. */
    describe() {
        return this.links.map((l) => `${l.hop} via ${l.proxy.address}`).join('; ');
    }
    async close() {
        await Promise.all(this.links.map((l) => l.proxy.close()));
    }
}
/**
 * What a proxy adds when no toxic is set, measured now: the median one-way time of 50
 * small messages to a loopback echo, through a proxy minus direct, ms.
 */
export async function proxyIdleOverheadMs() {
    const arrivals = new Map();
    const server = net.createServer((s) => {
        s.setNoDelay(true);
        s.on('data', (c) => {
            const now = performance.now();
            for (const line of c.toString().split('\n'))
                if (line)
                    arrivals.set(Number(line), now);
        });
        s.on('error', () => undefined);
    });
    await new Promise((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = server.address().port;
    const proxy = await FaultProxy.start({ host: '127.0.0.1', port });
    let next = 0;
    const median = async (to) => {
        const s = await new Promise((resolve, reject) => {
            const c = net.connect({ host: '127.0.0.1', port: to }, () => resolve(c)).once('error', reject);
        });
        s.setNoDelay(true);
        const sent = new Map();
        for (let i = 0; i < 50; i++) {
            const id = next++;
            sent.set(id, performance.now());
            s.write(`${id}\n`);
            await new Promise((r) => setTimeout(r, 2));
        }
        const deadline = Date.now() + 2000;
        while ([...sent.keys()].some((id) => !arrivals.has(id)) && Date.now() < deadline)
            await new Promise((r) => setTimeout(r, 5));
        s.destroy();
        const d = [...sent].map(([id, at]) => (arrivals.get(id) ?? at) - at).sort((a, b) => a - b);
        return d[Math.floor(d.length / 2)];
    };
    try {
        const direct = await median(port);
        const proxied = await median(proxy.port);
        return Math.round((proxied - direct) * 1000) / 1000;
    }
    finally {
        await proxy.close();
        await new Promise((r) => server.close(() => r()));
    }
}
//# sourceMappingURL=network.js.map