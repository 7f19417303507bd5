import fs from 'node:fs';
import path from 'node:path';
import { BenchError, ConfigError } from '../contract/errors.js';
import { activemqPing, activemqStatus, activemqStop, activemqUp } from './activemq.js';
import { kafkaPing, kafkaStatus, kafkaStop, kafkaUp } from './kafka.js';
import { withLock } from './process.js';
import { rabbitmqPing, rabbitmqStatus, rabbitmqStop, rabbitmqUp, rabbitmqUrl } from './rabbitmq.js';
import { ensureSecureSetup, loadSecureSetup, secureSettings } from './secure.js';
import { serverPing, serverStatus, serverStop, serverUp } from './servers.js';
import { kafkaAddresses, resolveSettings } from './settings.js';
import { BROKER_NAMES } from './types.js';
export { BROKER_NAMES } from './types.js';
export { ACTIVEMQ_IMAGE, DEFAULT_PORTS, KAFKA_IMAGE, KAFKA_VERSION, MOSQUITTO_IMAGE, NATS_IMAGE, PORT_ENV, REDIS_IMAGE, RABBITMQ_DOCKER_PLUGINS, RABBITMQ_IMAGE, RABBITMQ_PLUGINS, kafkaBrokerDefaults, resolveSettings, } from './settings.js';
export { ACTIVEMQ_SETTINGS, renderActivemqXml } from './activemq-config.js';
export { activemqQueueStats } from './activemq-stats.js';
export { guardStompit, stompConnect } from './stomp.js';
export { SECURE_DEFAULT_PORTS, SECURE_ENV, SECURE_USER, readEnvFile, secureEnvFile } from './secure.js';
function selected(only) {
    if (!only || only.length === 0)
        return [...BROKER_NAMES];
    for (const n of only)
        if (!BROKER_NAMES.includes(n))
            throw new ConfigError(`unknown broker '${String(n)}' (expected ${BROKER_NAMES.join(', ')})`);
    return BROKER_NAMES.filter((n) => only.includes(n));
}
function lockFile(s) {
    fs.mkdirSync(s.stateDir, { recursive: true });
    return path.join(s.stateDir, '.lock');
}
const isServer = (name) => name === 'nats' || name === 'redis' || name === 'mosquitto';
/** The brokers a call acts on: the secure set has Kafka, RabbitMQ and ActiveMQ only (NATS, Redis and Mosquitto run plain). */
function selectedFor(opts) {
    return selected(opts.only).filter((n) => !opts.secure || !isServer(n));
}
const stopOne = (name, s) => isServer(name) ? serverStop(s, name) : name === 'kafka' ? kafkaStop(s) : name === 'rabbitmq' ? rabbitmqStop(s) : activemqStop(s);
/** The broker a transport needs (`rest` needs none). */
export function brokerOf(transport) {
    if (transport === 'librdkafka')
        return 'kafka';
    if (transport === 'mqtt')
        return 'mosquitto';
    return BROKER_NAMES.includes(transport) ? transport : undefined;
}
export async function brokersUp(opts = {}) {
    const names = selectedFor(opts);
    const kafkaBrokers = opts.kafkaBrokers ?? 1;
    if (kafkaBrokers !== 1 && kafkaBrokers !== 3)
        throw new ConfigError(`kafka brokers must be 1 or 3, not ${kafkaBrokers}`);
    const log = opts.log ?? (() => undefined);
    const base = resolveSettings(opts);
    if (opts.secure && kafkaBrokers !== 1)
        throw new ConfigError('--secure starts one Kafka node; --kafka-brokers 3 is for the plain brokers');
    const locked = opts.secure ? secureSettings(base) : base;
    return withLock(lockFile(locked), async () => {
        const s = opts.secure ? secureSettings(base, await ensureSecureSetup(base, log)) : base;
        const results = await Promise.allSettled(names.map((name) => isServer(name) ? serverUp(s, name, log) : name === 'kafka' ? kafkaUp(s, kafkaBrokers, log) : name === 'rabbitmq' ? rabbitmqUp(s, log) : activemqUp(s, log)));
        const failed = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
        if (failed.length === 0)
            return results.map((r) => r.value);
        // leave nothing half-done behind: stop what this call started, then report every failure
        for (const r of results)
            if (r.status === 'fulfilled' && r.value.startedNow)
                await stopOne(r.value.name, s);
        const first = failed[0];
        const code = first instanceof BenchError ? first.code : 'BROKER_START';
        throw new BenchError(code, failed.map((e) => (e instanceof Error ? e.message : String(e))).join('\n'), { cause: first });
    });
}
export async function brokersDown(opts = {}) {
    const names = selectedFor(opts);
    const base = resolveSettings(opts);
    const s = opts.secure ? secureSettings(base) : base;
    await withLock(lockFile(s), async () => {
        await Promise.all(names.map((n) => stopOne(n, s)));
        if (opts.purge)
            for (const n of names)
                fs.rmSync(path.join(s.stateDir, n), { recursive: true, force: true });
    });
}
export async function brokersStatus(opts = {}) {
    const base = resolveSettings(opts);
    const s = opts.secure ? secureSettings(base, loadSecureSetup(base)) : base;
    return Promise.all(selectedFor(opts).map((n) => isServer(n) ? serverStatus(s, n) : n === 'kafka' ? kafkaStatus(s) : n === 'rabbitmq' ? rabbitmqStatus(s) : activemqStatus(s)));
}
/** Where clients connect, from the environment and defaults (and the Kafka cluster size `up` recorded). */
export function brokerEndpoints(opts = {}) {
    const s = resolveSettings(opts);
    // explicit overrides win over the addresses a test set-up exported
    const explicit = opts.stateDir !== undefined || opts.ports !== undefined;
    const fromEnv = explicit ? undefined : process.env.BENCH_KAFKA_BROKERS?.split(',').map((b) => b.trim()).filter(Boolean);
    return {
        kafka: { brokers: fromEnv && fromEnv.length > 0 ? fromEnv : kafkaAddresses(s, recordedKafkaNodes(s)) },
        rabbitmq: { url: (explicit ? undefined : process.env.BENCH_RABBITMQ_URL) || rabbitmqUrl(s) },
        activemq: { host: s.host, port: s.ports.stomp, openwirePort: s.ports.openwire },
        nats: { servers: [`${s.host}:${s.ports.nats}`] },
        redis: { url: `redis://${s.host}:${s.ports.redis}` },
        mqtt: { url: `mqtt://${s.host}:${s.ports.mqtt}` },
    };
}
function recordedKafkaNodes(s) {
    try {
        const rec = JSON.parse(fs.readFileSync(path.join(s.stateDir, 'kafka', 'run.json'), 'utf8'));
        return rec.nodes?.length || 1;
    }
    catch {
        return 1;
    }
}
/** A fast reachability check (~1.5 s at most, installs nothing) for `bench list` and the like. */
export async function pingBroker(name, opts = {}) {
    const e = brokerEndpoints(opts);
    const t = opts.timeoutMs ?? 1500;
    const s = resolveSettings(opts);
    const serverPort = { nats: s.ports.nats, redis: s.ports.redis, mosquitto: s.ports.mqtt };
    const address = isServer(name) ? `${s.host}:${serverPort[name]}`
        : name === 'kafka' ? e.kafka.brokers.join(',') : name === 'rabbitmq' ? e.rabbitmq.url.replace(/\/\/[^@]*@/, '//') : `${e.activemq.host}:${e.activemq.port}`;
    try {
        const version = isServer(name) ? await serverPing(name, s.host, serverPort[name], t) : name === 'kafka' ? (await kafkaPing(e.kafka.brokers, t), undefined)
            : name === 'rabbitmq' ? await rabbitmqPing(e.rabbitmq.url, t) : await activemqPing(e.activemq.host, e.activemq.port, t);
        return { name, address, answers: true, ...(version ? { version } : {}) };
    }
    catch (err) {
        return { name, address, answers: false, error: err instanceof Error ? err.message : String(err) };
    }
}
//# sourceMappingURL=index.js.map