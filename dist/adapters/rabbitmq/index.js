/**
 * RabbitMQ adapter (amqplib): durable sharded queues with single active
 * consumers, publisher confirms, persistent messages, manual acknowledgements.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { connect as amqpConnect, credentials } from 'amqplib';
import { BenchError } from '../../src/contract/errors.js';
import { readSecret, tlsConnectOptions } from '../../src/contract/secrets.js';
import { BROKER_RETRY, describePolicy, HANDLER_RETRY } from '../../src/contract/retry.js';
import { RabbitConnection, STANDBY_DELAY_MS } from './connection.js';
import { addressOf, connectError, rabbitError, securitySummary } from './errors.js';
import { listBrokerObjects } from './listing.js';
import { bindingKey, CONSISTENT_HASH_WEIGHT, exchangeName, exchangeType, isRunObject, queueArguments, queueName, RUN_CHANNELS } from './topology.js';
const CONNECT_TIMEOUT_MS = 5_000;
const PING_TIMEOUT_MS = 1_000;
function clientVersion() {
    try {
        const main = createRequire(import.meta.url).resolve('amqplib');
        return JSON.parse(readFileSync(join(dirname(main), 'package.json'), 'utf8')).version;
    }
    catch {
        return 'unknown';
    }
}
/** The URL to dial (credentials never in it for a target) and the socket options: TLS files, login. */
export function connectionOptions(e) {
    const url = new URL(e.url);
    if (e.vhost !== undefined)
        url.pathname = `/${encodeURIComponent(e.vhost)}`;
    const socket = {};
    if (url.protocol === 'amqps:')
        Object.assign(socket, tlsConnectOptions(e.tls));
    if (e.username !== undefined) {
        socket.credentials = credentials.plain(e.username, e.password ? readSecret(e.password) : '');
    }
    return { url: url.toString(), socket };
}
/** Opens a connection; errors name the address. `noDelay`: Nagle off, or small confirms wait ~40 ms. */
async function open(endpoint, clientId, timeoutMs = CONNECT_TIMEOUT_MS) {
    const { url, socket } = connectionOptions(endpoint);
    try {
        return await amqpConnect(url, { ...socket, noDelay: true, timeout: timeoutMs, clientProperties: { connection_name: clientId } });
    }
    catch (err) {
        throw connectError(endpoint, err);
    }
}
/** Runs `work` on a short-lived connection and channel, closing both whatever happens. */
async function withChannel(endpoint, purpose, work) {
    const model = await open(endpoint, `bench-admin-${purpose}`);
    model.on('error', () => { });
    try {
        const channel = await model.createChannel();
        channel.on('error', () => { });
        return await work(channel, model);
    }
    catch (err) {
        throw rabbitError(addressOf(endpoint.url), purpose, err);
    }
    finally {
        await model.close().catch(() => { });
    }
}
/**
 * Whether the server has the consistent-hash exchange plugin: declares a throwaway
 * exchange of that type. An unknown type closes the probe's connection (503).
 */
async function consistentHashAvailable(endpoint, prefix) {
    const probe = `${prefix}.probe-consistent-hash`;
    return withChannel(endpoint, 'probing x-consistent-hash', async (channel) => {
        await channel.assertExchange(probe, 'x-consistent-hash', { durable: false, autoDelete: true });
        await channel.deleteExchange(probe);
        return true;
    }).catch(() => false);
}
/**
 * The sharding a run uses: fixed by the options, else read from the run's
 * exchanges when they exist (a redeclare as x-consistent-hash fails on a direct
 * one), else what provisioning would choose now.
 */
async function shardingOf(spec, forced) {
    if (forced)
        return forced;
    const endpoint = spec.endpoints.rabbitmq;
    const exchange = exchangeName(spec.prefix, RUN_CHANNELS[0]);
    const exists = await withChannel(endpoint, 'checking exchanges', (channel) => channel.checkExchange(exchange).then(() => true)).catch(() => false);
    if (!exists)
        return (await consistentHashAvailable(endpoint, spec.prefix)) ? 'consistent-hash' : 'adapter-hash';
    const hashed = await withChannel(endpoint, 'checking exchange type', (channel) => channel.assertExchange(exchange, 'x-consistent-hash', { durable: true, autoDelete: false }).then(() => true)).catch(() => false);
    return hashed ? 'consistent-hash' : 'adapter-hash';
}
export class RabbitMqAdapter {
    name = 'rabbitmq';
    forcedSharding;
    constructor(options = {}) {
        this.forcedSharding = options.sharding === 'auto' ? undefined : options.sharding;
    }
    async describe(spec) {
        const settings = spec.settings;
        const endpoint = spec.endpoints.rabbitmq;
        const server = await open(endpoint, 'bench-describe', PING_TIMEOUT_MS)
            .then(async (model) => {
            model.on('error', () => { });
            const props = model.connection.serverProperties;
            await model.close().catch(() => { });
            return { name: props.product ?? 'RabbitMQ', version: props.version ?? 'unknown' };
        })
            .catch(() => undefined);
        const consistentHash = server ? await consistentHashAvailable(endpoint, spec.prefix) : false;
        const sharding = server ? await shardingOf(spec, this.forcedSharding) : (this.forcedSharding ?? 'unknown');
        return {
            name: 'rabbitmq',
            clients: [{ name: 'amqplib', version: clientVersion() }],
            ...(server ? { server } : {}),
            address: addressOf(endpoint.url),
            delivery: {
                publisherConfirms: true,
                persistent: true,
                mandatory: true,
                durableQueues: true,
                queueType: settings.queueType,
                replication: settings.queueType === 'quorum' ? 'quorum (Raft over the cluster nodes)' : 'none (classic queue on one node)',
                manualAck: true,
                ackAfterHandler: true,
                prefetch: settings.prefetch,
                prefetchScope: 'per consumer (one consumer per shard queue)',
                shards: settings.shards,
                sharding: sharding === 'consistent-hash'
                    ? `broker-side: x-consistent-hash exchange, routing key = customerId, weight ${CONSISTENT_HASH_WEIGHT} per shard queue`
                    : sharding === 'adapter-hash'
                        ? 'adapter-side: fnv1a32(customerId) % shards, direct exchange, routing key = shard'
                        : 'unknown (broker not reachable)',
                consistentHashPlugin: consistentHash,
                singleActiveConsumer: true,
                standbyDelayMs: STANDBY_DELAY_MS,
                failedHandler: 'retried in-process, unacked, in order, flagged redelivered',
                'retry.handler': `${describePolicy(HANDLER_RETRY)}; then the connection gives up`,
                'retry.broker': `${describePolicy(BROKER_RETRY)}: reconnect, consume again, re-publish what was not confirmed`,
                tcpNoDelay: true,
                connection: securitySummary(endpoint),
            },
        };
    }
    async provision(spec) {
        const { shards, queueType } = spec.settings;
        const endpoint = spec.endpoints.rabbitmq;
        const sharding = this.forcedSharding ?? ((await consistentHashAvailable(endpoint, spec.prefix)) ? 'consistent-hash' : 'adapter-hash');
        await withChannel(endpoint, `provisioning ${spec.prefix}`, async (channel) => {
            for (const ch of RUN_CHANNELS) {
                const exchange = exchangeName(spec.prefix, ch);
                await channel.assertExchange(exchange, exchangeType(sharding), { durable: true, autoDelete: false });
                for (let shard = 0; shard < shards; shard++) {
                    const queue = queueName(spec.prefix, ch, shard);
                    await channel.assertQueue(queue, { durable: true, autoDelete: false, exclusive: false, arguments: queueArguments(queueType) });
                    await channel.bindQueue(queue, exchange, bindingKey(sharding, shard));
                }
            }
        });
    }
    /** Existing objects (`provision: false`): every exchange and shard queue of the run must be there. Creates nothing. */
    async verify(spec) {
        const { shards } = spec.settings;
        const endpoint = spec.endpoints.rabbitmq;
        const missing = [];
        // a failed passive check closes its channel: one short connection per object
        const exists = (check) => withChannel(endpoint, 'checking objects', async (c) => (await check(c), true)).catch(() => false);
        for (const ch of RUN_CHANNELS) {
            const exchange = exchangeName(spec.prefix, ch);
            if (!(await exists((c) => c.checkExchange(exchange))))
                missing.push(`exchange ${exchange}`);
            for (let shard = 0; shard < shards; shard++) {
                const queue = queueName(spec.prefix, ch, shard);
                if (!(await exists((c) => c.checkQueue(queue))))
                    missing.push(`queue ${queue}`);
            }
        }
        if (missing.length === 0)
            return;
        throw new BenchError('UNREACHABLE', `rabbitmq at ${addressOf(endpoint.url)}: provision is false but ${missing.slice(0, 6).join(', ')}${missing.length > 6 ? ` and ${missing.length - 6} more` : ''} do not exist; ` +
            `the run needs, per channel (${RUN_CHANNELS.join(', ')}), an exchange ${spec.prefix}.<channel> (x-consistent-hash, or direct keyed by shard number) ` +
            `bound to ${shards} durable queues ${spec.prefix}.<channel>.<0..${shards - 1}> with x-single-active-consumer, and configure, write and read permission on them`);
    }
    async deprovision(spec) {
        const { shards } = spec.settings;
        await withChannel(spec.endpoints.rabbitmq, `deprovisioning ${spec.prefix}`, async (channel) => {
            for (const ch of RUN_CHANNELS) {
                for (let shard = 0; shard < shards; shard++)
                    await channel.deleteQueue(queueName(spec.prefix, ch, shard));
                await channel.deleteExchange(exchangeName(spec.prefix, ch));
            }
        });
    }
    async cleanupStale(spec, prefixStem, onLeft) {
        const endpoint = spec.endpoints.rabbitmq;
        const own = `${spec.prefix}.`;
        const stale = (name) => isRunObject(name, prefixStem) && !name.startsWith(own);
        let listed;
        try {
            listed = await listBrokerObjects(endpoint);
        }
        catch (err) {
            throw rabbitError(addressOf(endpoint.url), 'listing queues for clean-up', err);
        }
        // a run is live while any of its queues has a consumer (its observer always has one):
        // its queues and exchanges all stay, or a live run would lose its messages mid-run
        const runOf = (name) => name.slice(0, name.indexOf('.'));
        const consumers = await withChannel(endpoint, `checking consumers under ${prefixStem}`, async (channel) => {
            const counts = new Map();
            for (const queue of listed.queues.filter(stale)) {
                const q = await channel.checkQueue(queue).catch(() => ({ consumerCount: 0 }));
                counts.set(queue, q.consumerCount);
            }
            return counts;
        });
        const live = new Set([...consumers].filter(([, n]) => n > 0).map(([q]) => runOf(q)));
        const leave = (name) => {
            if (!live.has(runOf(name)))
                return false;
            onLeft?.(name, `run ${runOf(name)} is still going (a queue of it has a consumer)`);
            return true;
        };
        const queues = listed.queues.filter(stale).filter((n) => !leave(n));
        const exchanges = listed.exchanges.filter(stale).filter((n) => !leave(n));
        if (queues.length + exchanges.length === 0)
            return [];
        await withChannel(endpoint, `removing stale objects under ${prefixStem}`, async (channel) => {
            for (const queue of queues)
                await channel.deleteQueue(queue);
            for (const exchange of exchanges)
                await channel.deleteExchange(exchange);
        });
        return [...queues, ...exchanges];
    }
    async connect(spec, clientId) {
        const settings = spec.settings;
        const endpoint = spec.endpoints.rabbitmq;
        const address = addressOf(endpoint.url);
        const link = async () => {
            const model = await open(endpoint, clientId);
            try {
                return { model, publisher: await model.createConfirmChannel() };
            }
            catch (err) {
                await model.close().catch(() => { });
                throw rabbitError(address, 'opening the publish channel', err);
            }
        };
        const first = await link();
        try {
            const sharding = await shardingOf(spec, this.forcedSharding);
            // while the broker restarts, anything but a refused login may clear up: retriable then
            const relink = () => link().catch((err) => {
                const e = err;
                throw e.retriable || /refused the login/.test(e.message) ? e : new BenchError(e.code, e.message, { cause: e, retriable: true });
            });
            return new RabbitConnection(first, spec, settings, sharding, address, relink);
        }
        catch (err) {
            await first.model.close().catch(() => { });
            throw rabbitError(address, 'reading the sharding of the run', err);
        }
    }
    async backlog(spec) {
        const { shards } = spec.settings;
        return withChannel(spec.endpoints.rabbitmq, `reading the backlog of ${spec.prefix}`, async (channel) => {
            const samples = [];
            for (const ch of RUN_CHANNELS) {
                for (let shard = 0; shard < shards; shard++) {
                    const name = queueName(spec.prefix, ch, shard);
                    // messageCount counts ready messages; delivered-but-unacknowledged ones are not included.
                    const { messageCount } = await channel.checkQueue(name);
                    samples.push({ channel: ch, name, depth: messageCount });
                }
            }
            return samples;
        });
    }
    /** One connection (TLS and login included), no retry, within `timeoutMs`. */
    async check(endpoints, timeoutMs) {
        const model = await open(endpoints.rabbitmq, 'bench-check', timeoutMs);
        model.on('error', () => { });
        await model.close().catch(() => { });
    }
    async ping(endpoints) {
        let timer;
        const attempt = open(endpoints.rabbitmq, 'bench-ping', PING_TIMEOUT_MS).then(async (model) => {
            model.on('error', () => { });
            await model.close().catch(() => { });
            return true;
        }, () => false);
        const deadline = new Promise((resolve) => (timer = setTimeout(() => resolve(false), PING_TIMEOUT_MS + 250)));
        try {
            return await Promise.race([attempt, deadline]);
        }
        finally {
            clearTimeout(timer);
        }
    }
}
export function createAdapter(options = {}) {
    return new RabbitMqAdapter(options);
}
//# sourceMappingURL=index.js.map