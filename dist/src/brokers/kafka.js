import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { BenchError } from '../contract/errors.js';
import { ensureKafkaJars, kafkaLibDir } from './install.js';
import { kafkaNodes, renderLog4j2, renderServerProperties, scramFormatArgs } from './kafka-config.js';
import { assertPortFree, isOurProcess, listenerPid, readJson, run, secondsSince, spawnDetached, stopPid, tailFile, waitFor, withTimeout, writeJson, } from './process.js';
import { KAFKA_HEAP, KAFKA_VERSION } from './settings.js';
import { SECURE_LIMITED_USER } from './secure.js';
const recordFile = (s) => path.join(s.stateDir, 'kafka', 'run.json');
function readRecord(s) {
    return readJson(recordFile(s));
}
/** Nodes of the record that are still our running processes. */
function liveNodes(rec) {
    return rec ? rec.nodes.filter((n) => isOurProcess(n.pid, n.config)) : [];
}
function bootstrap(s, nodes) {
    return nodes.map((n) => `${s.host}:${n.port}`);
}
function authOf(s) {
    if (!s.secure)
        return {};
    const sasl = { mechanism: 'scram-sha-512', username: s.secure.user, password: s.secure.passwords.kafka };
    return { ssl: { ca: fs.readFileSync(s.secure.tls.ca), rejectUnauthorized: true }, sasl };
}
function secureListener(s) {
    if (!s.secure)
        return undefined;
    const { tls, user, passwords, ports } = s.secure;
    return {
        internalPort: ports.kafkaInternal,
        keystore: tls.keystore,
        keystorePassword: tls.keystorePassword,
        user,
        password: passwords.kafka,
        limitedUser: SECURE_LIMITED_USER,
        limitedPassword: passwords.kafkaLimited,
    };
}
function client(brokers, timeoutMs, auth = {}) {
    return new Kafka({
        clientId: 'bench-brokers',
        brokers,
        ...auth,
        logLevel: logLevel.NOTHING,
        connectionTimeout: Math.min(timeoutMs, 3000),
        requestTimeout: timeoutMs,
        retry: { retries: 1, initialRetryTime: 100, maxRetryTime: 500 },
    });
}
/**
 * A real client round trip: create a topic (replicated over `rf` brokers), produce one
 * message with acks=all, consume it back in a new consumer group, then clean up.
 */
export async function kafkaRoundTrip(brokers, rf, timeoutMs = 20_000, auth = {}) {
    const kafka = client(brokers, timeoutMs, auth);
    const tag = randomBytes(6).toString('hex');
    const topic = `bench-ping-${tag}`;
    const admin = kafka.admin();
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    const consumer = kafka.consumer({ groupId: topic, sessionTimeout: 10_000, heartbeatInterval: 1000 });
    try {
        await admin.connect();
        await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: rf }], waitForLeaders: true, timeout: timeoutMs });
        await producer.connect();
        await producer.send({ topic, acks: -1, messages: [{ value: tag }] });
        await consumer.connect();
        await consumer.subscribe({ topics: [topic], fromBeginning: true });
        await withTimeout(new Promise((resolve) => {
            void consumer.run({ eachMessage: async ({ message }) => { if (message.value?.toString() === tag)
                    resolve(); } });
        }), timeoutMs, `consuming from ${topic}`);
    }
    finally {
        await consumer.disconnect().catch(() => undefined);
        await producer.disconnect().catch(() => undefined);
        await admin.deleteGroups([topic]).catch(() => undefined);
        await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
        await admin.disconnect().catch(() => undefined);
    }
}
/** Fast check: the cluster answers a metadata request. Resolves with the number of brokers. */
export async function kafkaPing(brokers, timeoutMs = 1500, auth = {}) {
    const admin = client(brokers, timeoutMs, auth).admin();
    try {
        return await withTimeout((async () => {
            await admin.connect();
            return (await admin.describeCluster()).brokers.length;
        })(), timeoutMs, 'kafka metadata');
    }
    finally {
        void admin.disconnect().catch(() => undefined);
    }
}
export async function kafkaStatus(s) {
    const rec = readRecord(s);
    const live = liveNodes(rec);
    const nodes = live.length > 0 ? live : kafkaNodes(rec?.nodes.length ?? 1, s.ports.kafka, s.ports.kafkaController);
    const brokers = bootstrap(s, nodes);
    const count = await kafkaPing(brokers, 1500, authOf(s)).catch(() => 0);
    const ours = live.length > 0;
    return {
        name: 'kafka',
        version: ours ? rec?.version : undefined,
        address: brokers.join(','),
        pid: ours ? live[0]?.pid : await listenerPid(s.ports.kafka),
        startedByUs: ours,
        answers: count > 0,
        detail: [
            count > 0 ? `${count} broker(s) in the cluster` : 'no answer',
            live.length > 1 ? `pids ${live.map((n) => n.pid).join(' ')}` : '',
            rec && ours && live.length < rec.nodes.length ? `${rec.nodes.length - live.length} node(s) down` : '',
        ].filter(Boolean).join('; '),
    };
}
/** A Kafka cluster id: 16 random bytes, base64url, never starting with '-' (Kafka's own rule). */
function newClusterId() {
    for (;;) {
        const id = randomBytes(16).toString('base64url');
        if (!id.startsWith('-'))
            return id;
    }
}
async function formatNode(libs, clusterId, config, dataDir, extra = []) {
    if (fs.existsSync(path.join(dataDir, 'meta.properties')))
        return;
    await run('java', ['-cp', `${libs}/*`, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', config, '--ignore-formatted', ...extra], 120_000);
}
/** Starts one node's JVM on its config (its data directory is in the config); returns the pid. */
function spawnNode(libs, config) {
    const dir = path.dirname(config);
    return spawnDetached('java', [
        KAFKA_HEAP, '-Xms128m', '-XX:+UseG1GC', '-XX:MaxGCPauseMillis=20', '-XX:+ExitOnOutOfMemoryError', '-Djava.awt.headless=true',
        `-Dlog4j2.configurationFile=${path.join(dir, 'log4j2.yaml')}`, `-Dkafka.logs.dir=${dir}`,
        '-cp', `${libs}/*`, 'kafka.Kafka', config,
    ], { cwd: dir, logFile: path.join(dir, 'stdout.log') });
}
/** The nodes `bench brokers up` started, and those that still run, with their pids (for faults and sampling). */
export function kafkaOwnedNodes(s) {
    const rec = readRecord(s);
    return rec ? { nodes: rec.nodes, live: liveNodes(rec) } : undefined;
}
/**
 * Starts node `id` of the recorded cluster again on its own config and data directory
 * (after a kill), records its new pid, and returns it at once; `kafkaNodeAnswers` waits.
 */
export function kafkaRestartNode(s, id) {
    const rec = readRecord(s);
    const node = rec?.nodes.find((n) => n.id === id);
    if (!rec || !node)
        throw new BenchError('BROKER_START', `kafka node ${id} is not in ${recordFile(s)}`);
    if (isOurProcess(node.pid, node.config))
        return node.pid;
    node.pid = spawnNode(kafkaLibDir(s.cacheDir, rec.version), node.config);
    writeJson(recordFile(s), rec);
    return node.pid;
}
/** Waits until node `id` answers a metadata request on its own port. */
export async function kafkaNodeAnswers(s, id, timeoutMs = 120_000) {
    const node = readRecord(s)?.nodes.find((n) => n.id === id);
    if (!node)
        throw new BenchError('BROKER_START', `kafka node ${id} is not in ${recordFile(s)}`);
    await waitFor(`kafka node ${id} on ${s.host}:${node.port}`, () => kafkaPing([`${s.host}:${node.port}`], 2000, authOf(s)), {
        timeoutMs,
        intervalMs: 250,
        giveUpIf: () => (isOurProcess(node.pid, node.config) ? undefined : `node ${id} (pid ${node.pid}) exited`),
    });
}
export async function kafkaStop(s) {
    const rec = readRecord(s);
    await Promise.all(liveNodes(rec).map((n) => stopPid(n.pid, 30_000)));
    fs.rmSync(recordFile(s), { force: true });
}
/** Starts an n-node cluster unless the same one already runs; returns when it answers a round trip. */
export async function kafkaUp(s, count, log) {
    const wanted = kafkaNodes(count, s.ports.kafka, s.ports.kafkaController);
    const brokers = bootstrap(s, wanted);
    const rf = Math.min(3, count);
    const secure = secureListener(s);
    if (secure && count !== 1)
        throw new BenchError('INVALID_CONFIG', 'the secure Kafka runs as one node');
    const auth = authOf(s);
    const rec = readRecord(s);
    const live = liveNodes(rec);
    const same = rec && rec.version === KAFKA_VERSION && live.length === count && rec.nodes.length === count &&
        rec.nodes.every((n, i) => n.port === wanted[i]?.port && n.controllerPort === wanted[i]?.controllerPort);
    if (same) {
        await waitFor('kafka', () => kafkaRoundTrip(brokers, rf, 20_000, auth), { timeoutMs: 60_000, intervalMs: 500 });
        return { ...(await kafkaStatus(s)), startedNow: false };
    }
    if (live.length > 0) {
        log(`kafka: stopping the running ${rec?.nodes.length}-node cluster to start a ${count}-node one…`);
        await kafkaStop(s);
    }
    for (const n of wanted) {
        await assertPortFree(s.host, n.port, 'kafka');
        await assertPortFree(s.host, n.controllerPort, 'the kafka controller');
    }
    if (secure)
        await assertPortFree(s.host, secure.internalPort, 'the kafka inter-broker listener');
    const libs = await ensureKafkaJars(s.cacheDir, KAFKA_VERSION, log);
    const t0 = Date.now();
    log(`starting kafka ${KAFKA_VERSION} (${count} node${count > 1 ? 's' : ''}) on ${brokers.join(',')}…`);
    const clusterDir = path.join(s.stateDir, 'kafka', `cluster-${count}-${s.ports.kafka}-${s.ports.kafkaController}`);
    // the secure node's users are written when its storage is formatted: start it afresh, so they always match secure.env
    if (secure)
        fs.rmSync(clusterDir, { recursive: true, force: true });
    fs.mkdirSync(clusterDir, { recursive: true });
    const idFile = path.join(clusterDir, 'cluster.id');
    if (!fs.existsSync(idFile))
        fs.writeFileSync(idFile, newClusterId());
    const clusterId = fs.readFileSync(idFile, 'utf8').trim();
    const prepared = wanted.map((n) => {
        const dir = path.join(clusterDir, `node-${n.id}`);
        const dataDir = path.join(dir, 'data');
        fs.mkdirSync(dir, { recursive: true });
        const config = path.join(dir, 'server.properties');
        fs.writeFileSync(config, renderServerProperties(s.host, n, wanted, dataDir, secure), { mode: 0o600 });
        fs.writeFileSync(path.join(dir, 'log4j2.yaml'), renderLog4j2(path.join(dir, 'kafka.log')));
        return { node: n, dir, dataDir, config };
    });
    await Promise.all(prepared.map((p) => formatNode(libs, clusterId, p.config, p.dataDir, scramFormatArgs(secure))));
    const started = prepared.map((p) => ({ ...p.node, pid: spawnNode(libs, p.config), config: p.config }));
    const record = { version: KAFKA_VERSION, clusterDir, nodes: started };
    writeJson(recordFile(s), record);
    try {
        await waitFor(`kafka on ${brokers.join(',')}`, () => kafkaRoundTrip(brokers, rf, 10_000, auth), {
            timeoutMs: 120_000,
            intervalMs: 500,
            giveUpIf: () => {
                const dead = started.find((n) => !isOurProcess(n.pid, n.config));
                return dead ? `node ${dead.id} (pid ${dead.pid}) exited` : undefined;
            },
        });
    }
    catch (err) {
        const logs = prepared.map((p) => `--- ${p.dir}/kafka.log\n${tailFile(path.join(p.dir, 'kafka.log'), 15)}\n${tailFile(path.join(p.dir, 'stdout.log'), 10)}`);
        await Promise.all(started.map((n) => stopPid(n.pid, 30_000)));
        fs.rmSync(recordFile(s), { force: true });
        throw new BenchError('BROKER_START', `kafka failed to start: ${err.message}\n${logs.join('\n')}`, { cause: err });
    }
    log(`kafka answers on ${brokers.join(',')}… ${secondsSince(t0)}`);
    return { ...(await kafkaStatus(s)), startedNow: true };
}
//# sourceMappingURL=kafka.js.map