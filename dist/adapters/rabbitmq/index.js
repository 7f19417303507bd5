/**
 * RabbitMQ adapter (amqplib): durable sharded queues with single active
 * consumers, publisher confirms, persistent messages, manual acknowledgements.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { connect as amqpConnect } from 'amqplib';
import { describePolicy, HANDLER_RETRY } from '../../src/contract/retry.js';
import { RabbitConnection, STANDBY_DELAY_MS } from './connection.js';
import { addressOf, rabbitError } from './errors.js';
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
/** Opens a connection; errors name the address. `noDelay`: Nagle off, or small confirms wait ~40 ms. */
async function open(url, clientId, timeoutMs = CONNECT_TIMEOUT_MS) {
    try {
        return await amqpConnect(url, { noDelay: true, timeout: timeoutMs, clientProperties: { connection_name: clientId } });
    }
    catch (err) {
        throw rabbitError(addressOf(url), 'connecting', err);
    }
}
/** Runs `work` on a short-lived connection and channel, closing both whatever happens. */
async function withChannel(url, purpose, work) {
    const model = await open(url, `bench-admin-${purpose}`);
    model.on('error', () => { });
    try {
        const channel = await model.createChannel();
        channel.on('error', () => { });
        return await work(channel, model);
    }
    catch (err) {
        throw rabbitError(addressOf(url), purpose, err);
    }
    finally {
        await model.close().catch(() => { });
    }
}
/**
 * Whether the server has the consistent-hash exchange plugin: declares a throwaway
 * exchange of that type. An unknown type closes the probe's connection (503).
 */
async function consistentHashAvailable(url, prefix) {
    const probe = `${prefix}.probe-consistent-hash`;
    return withChannel(url, 'probing x-consistent-hash', async (channel) => {
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
    const url = spec.endpoints.rabbitmq.url;
    const exchange = exchangeName(spec.prefix, RUN_CHANNELS[0]);
    const exists = await withChannel(url, 'checking exchanges', (channel) => channel.checkExchange(exchange).then(() => true)).catch(() => false);
    if (!exists)
        return (await consistentHashAvailable(url, spec.prefix)) ? 'consistent-hash' : 'adapter-hash';
    const hashed = await withChannel(url, 'checking exchange type', (channel) => channel.assertExchange(exchange, 'x-consistent-hash', { durable: true, autoDelete: false }).then(() => true)).catch(() => false);
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
        const url = spec.endpoints.rabbitmq.url;
        const server = await open(url, 'bench-describe', PING_TIMEOUT_MS)
            .then(async (model) => {
            model.on('error', () => { });
            const props = model.connection.serverProperties;
            await model.close().catch(() => { });
            return { name: props.product ?? 'RabbitMQ', version: props.version ?? 'unknown' };
        })
            .catch(() => undefined);
        const consistentHash = server ? await consistentHashAvailable(url, spec.prefix) : false;
        const sharding = server ? await shardingOf(spec, this.forcedSharding) : (this.forcedSharding ?? 'unknown');
        return {
            name: 'rabbitmq',
            clients: [{ name: 'amqplib', version: clientVersion() }],
            ...(server ? { server } : {}),
            address: addressOf(url),
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
                'retry.broker': 'none: a lost connection gives up at once',
                tcpNoDelay: true,
            },
        };
    }
    async provision(spec) {
        const { shards, queueType } = spec.settings;
        const url = spec.endpoints.rabbitmq.url;
        const sharding = this.forcedSharding ?? ((await consistentHashAvailable(url, spec.prefix)) ? 'consistent-hash' : 'adapter-hash');
        await withChannel(url, `provisioning ${spec.prefix}`, async (channel) => {
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
    async deprovision(spec) {
        const { shards } = spec.settings;
        await withChannel(spec.endpoints.rabbitmq.url, `deprovisioning ${spec.prefix}`, async (channel) => {
            for (const ch of RUN_CHANNELS) {
                for (let shard = 0; shard < shards; shard++)
                    await channel.deleteQueue(queueName(spec.prefix, ch, shard));
                await channel.deleteExchange(exchangeName(spec.prefix, ch));
            }
        });
    }
    async cleanupStale(spec, prefixStem, onLeft) {
        const url = spec.endpoints.rabbitmq.url;
        const own = `${spec.prefix}.`;
        const stale = (name) => isRunObject(name, prefixStem) && !name.startsWith(own);
        let listed;
        try {
            listed = await listBrokerObjects(url);
        }
        catch (err) {
            throw rabbitError(addressOf(url), 'listing queues for clean-up', err);
        }
        // a run is live while any of its queues has a consumer (its observer always has one):
        // its queues and exchanges all stay, or a live run would lose its messages mid-run
        const runOf = (name) => name.slice(0, name.indexOf('.'));
        const consumers = await withChannel(url, `checking consumers under ${prefixStem}`, async (channel) => {
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
        await withChannel(url, `removing stale objects under ${prefixStem}`, async (channel) => {
            for (const queue of queues)
                await channel.deleteQueue(queue);
            for (const exchange of exchanges)
                await channel.deleteExchange(exchange);
        });
        return [...queues, ...exchanges];
    }
    async connect(spec, clientId) {
        const settings = spec.settings;
        const url = spec.endpoints.rabbitmq.url;
        const model = await open(url, clientId);
        try {
            const sharding = await shardingOf(spec, this.forcedSharding);
            const publisher = await model.createConfirmChannel();
            return new RabbitConnection(model, publisher, spec, settings, sharding, addressOf(url));
        }
        catch (err) {
            await model.close().catch(() => { });
            throw rabbitError(addressOf(url), 'opening the publish channel', err);
        }
    }
    async backlog(spec) {
        const { shards } = spec.settings;
        return withChannel(spec.endpoints.rabbitmq.url, `reading the backlog of ${spec.prefix}`, async (channel) => {
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
    async ping(endpoints) {
        let timer;
        const attempt = open(endpoints.rabbitmq.url, 'bench-ping', PING_TIMEOUT_MS).then(async (model) => {
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