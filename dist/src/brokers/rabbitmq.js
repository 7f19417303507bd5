import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import amqp from 'amqplib';
import { BenchError } from '../contract/errors.js';
import { aptInstall } from './install.js';
import { assertPortFree, isOurProcess, listenerOf, listenerPid, portAccepts, readJson, run, secondsSince, spawnDetached, stopPid, tailFile, waitFor, withTimeout, writeJson, } from './process.js';
import { RABBITMQ_PASSWORD, RABBITMQ_PLUGINS, RABBITMQ_USER } from './settings.js';
/**
 * RabbitMQ: the server already answering on the port is used as it is (these machines
 * start one); otherwise Debian's rabbitmq-server is started with its own node name,
 * config, data and logs in the state directory, bound to 127.0.0.1.
 */
const SERVER_SCRIPT = '/usr/lib/rabbitmq/bin/rabbitmq-server';
export function rabbitmqUrl(s) {
    if (s.secure)
        return `amqps://${s.host}:${s.ports.rabbitmq}`;
    return `amqp://${RABBITMQ_USER}:${RABBITMQ_PASSWORD}@${s.host}:${s.ports.rabbitmq}`;
}
/** Socket options of a client of these brokers: none for the plain one; the test CA and the login for the secure one. */
export function rabbitmqSocketOptions(s) {
    if (!s.secure)
        return {};
    return {
        ca: fs.readFileSync(s.secure.tls.ca),
        rejectUnauthorized: true,
        credentials: amqp.credentials.plain(s.secure.user, s.secure.passwords.rabbitmq),
    };
}
const dirOf = (s) => path.join(s.stateDir, 'rabbitmq');
const recordFile = (s) => path.join(dirOf(s), 'run.json');
function liveRecord(s) {
    const rec = readJson(recordFile(s));
    return rec && isOurProcess(rec.pid, rec.marker) ? rec : undefined;
}
/** Can this server declare an exchange of a type a plugin provides? (A refused declare closes only that channel.) */
async function hasExchangeType(conn, type) {
    const ch = await conn.createChannel();
    ch.on('error', () => undefined);
    const name = `bench.ping.${type}.${randomBytes(4).toString('hex')}`;
    try {
        await ch.assertExchange(name, type, { durable: false, autoDelete: true });
        await ch.deleteExchange(name);
        await ch.close();
        return true;
    }
    catch {
        return false;
    }
}
/**
 * A real round trip: a confirm channel publishes a persistent message to a fresh
 * exclusive queue, waits for the confirm, and gets it back.
 */
export async function rabbitmqRoundTrip(url, timeoutMs = 10_000, socketOptions = {}) {
    const conn = await amqp.connect(url, { ...socketOptions, timeout: timeoutMs, noDelay: true });
    conn.on('error', () => undefined);
    try {
        return await withTimeout((async () => {
            const ch = await conn.createConfirmChannel();
            const { queue } = await ch.assertQueue('', { exclusive: true, autoDelete: true });
            const tag = randomBytes(6).toString('hex');
            ch.sendToQueue(queue, Buffer.from(tag), { persistent: true });
            await ch.waitForConfirms();
            for (;;) {
                const msg = await ch.get(queue, { noAck: true });
                if (msg && msg.content.toString() === tag)
                    break;
                await new Promise((r) => setTimeout(r, 20));
            }
            await ch.close();
            return { version: conn.connection.serverProperties.version, consistentHash: await hasExchangeType(conn, 'x-consistent-hash') };
        })(), timeoutMs, `AMQP round trip on ${url.replace(/\/\/[^@]*@/, '//')}`);
    }
    finally {
        await conn.close().catch(() => undefined);
    }
}
/** Fast check: an AMQP connection opens; resolves with the server's version. */
export async function rabbitmqPing(url, timeoutMs = 1500) {
    const conn = await withTimeout(amqp.connect(url, { timeout: timeoutMs }), timeoutMs, 'AMQP connect');
    conn.on('error', () => undefined);
    const version = conn.connection.serverProperties.version;
    await conn.close().catch(() => undefined);
    return version;
}
export async function rabbitmqStatus(s, answer) {
    const rec = liveRecord(s);
    const a = answer ?? (await rabbitmqRoundTrip(rabbitmqUrl(s), 3000, rabbitmqSocketOptions(s)).catch(() => undefined));
    return {
        name: 'rabbitmq',
        version: a?.version,
        address: `${s.host}:${s.ports.rabbitmq}`,
        pid: rec?.pid ?? (await listenerPid(s.ports.rabbitmq)),
        startedByUs: rec !== undefined,
        answers: a !== undefined,
        detail: a ? `consistent-hash exchange: ${a.consistentHash ? 'yes' : 'no (enable rabbitmq_consistent_hash_exchange)'}` : 'no answer',
    };
}
/** Enables the plugins the harness needs on a server we did not start (root, or the rabbitmq user, only). */
async function enablePluginsOnExisting(s, log) {
    const url = rabbitmqUrl(s);
    let a = await rabbitmqRoundTrip(url);
    if (a.consistentHash)
        return a;
    const t0 = Date.now();
    log(`rabbitmq: enabling ${RABBITMQ_PLUGINS.join(', ')} on the running server…`);
    try {
        await run('rabbitmq-plugins', ['enable', ...RABBITMQ_PLUGINS], 60_000);
        a = await rabbitmqRoundTrip(url);
        log(`rabbitmq: plugins ${a.consistentHash ? 'enabled' : 'enabled but x-consistent-hash still missing'}… ${secondsSince(t0)}`);
    }
    catch (err) {
        log(`rabbitmq: could not enable ${RABBITMQ_PLUGINS.join(', ')} (${err.message.split('\n')[0]}); per-customer sharding by consistent hash will be unavailable`);
    }
    return a;
}
export async function rabbitmqStop(s) {
    const rec = liveRecord(s);
    if (rec) {
        await stopPid(rec.pid, 30_000);
        if (rec.epmdStartedByUs) {
            const names = await run('epmd', ['-names'], 5000).catch(() => '');
            if (!/^name /m.test(names))
                await run('epmd', ['-kill'], 5000).catch(() => undefined);
        }
    }
    fs.rmSync(recordFile(s), { force: true });
}
export async function rabbitmqUp(s, log) {
    const url = rabbitmqUrl(s);
    const rec = liveRecord(s);
    if (rec && rec.port === s.ports.rabbitmq) {
        const a = await waitFor('rabbitmq', () => rabbitmqRoundTrip(url, 10_000, rabbitmqSocketOptions(s)), { timeoutMs: 30_000, intervalMs: 500 });
        return { ...(await rabbitmqStatus(s, a)), startedNow: false };
    }
    if (rec)
        await rabbitmqStop(s);
    // the secure node is always our own: a server found on its port is someone else's
    if (s.secure) {
        await assertPortFree(s.host, s.ports.rabbitmq, 'the secure rabbitmq (amqps)');
        await assertPortFree(s.host, s.secure.ports.rabbitmqManagement, 'the secure rabbitmq management API');
        await aptInstall(['rabbitmq-server'], 'rabbitmq', log);
        return startOwn(s, log);
    }
    // a server that is already there (these machines start one) is used as it is
    if (await portAccepts(s.host, s.ports.rabbitmq, 1000)) {
        const a = await enablePluginsOnExisting(s, log).catch(async (err) => {
            const who = await listenerOf(s.ports.rabbitmq);
            throw new BenchError('PORT_TAKEN', `${s.host}:${s.ports.rabbitmq} is already in use${who ? ` by ${who}` : ''} but does not answer AMQP as ${RABBITMQ_USER}: ${err.message}`);
        });
        return { ...(await rabbitmqStatus(s, a)), startedNow: false };
    }
    await aptInstall(['rabbitmq-server'], 'rabbitmq', log);
    // Debian's package may have started its own service on the default port
    if (await portAccepts(s.host, s.ports.rabbitmq, 1000))
        return rabbitmqUp(s, log);
    return startOwn(s, log);
}
/**
 * Writes our node's config and starts rabbitmq-server on it (same mnesia directory every
 * time, so durable queues and persistent messages survive a kill); returns at once.
 */
function spawnOwn(s) {
    const dir = dirOf(s);
    const port = s.ports.rabbitmq;
    const distPort = port + 20000 <= 65535 ? port + 20000 : port - 20000;
    const nodeName = `bench${port}@localhost`;
    fs.mkdirSync(path.join(dir, 'log'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'rabbitmq.conf'), renderRabbitConf(s), { mode: 0o600 });
    const plugins = s.secure ? [...RABBITMQ_PLUGINS, 'rabbitmq_management'] : RABBITMQ_PLUGINS;
    fs.writeFileSync(path.join(dir, 'enabled_plugins'), `[${plugins.join(',')}].\n`);
    fs.writeFileSync(path.join(dir, 'rabbitmq-env.conf'), '');
    const pidFile = path.join(dir, 'rabbit.pid');
    fs.rmSync(pidFile, { force: true });
    const env = {
        ...process.env,
        HOME: dir,
        RABBITMQ_NODENAME: nodeName,
        // the secure node has no plaintext listener: a node port would open one
        ...(s.secure ? {} : { RABBITMQ_NODE_PORT: String(port) }),
        RABBITMQ_DIST_PORT: String(distPort),
        RABBITMQ_CONFIG_FILE: path.join(dir, 'rabbitmq.conf'),
        RABBITMQ_ENABLED_PLUGINS_FILE: path.join(dir, 'enabled_plugins'),
        RABBITMQ_CONF_ENV_FILE: path.join(dir, 'rabbitmq-env.conf'),
        RABBITMQ_MNESIA_BASE: path.join(dir, 'mnesia'),
        RABBITMQ_LOG_BASE: path.join(dir, 'log'),
        RABBITMQ_PID_FILE: pidFile,
        ERL_EPMD_ADDRESS: '127.0.0.1',
        ERL_FLAGS: '-kernel inet_dist_use_interface {127,0,0,1}',
    };
    const scriptPid = spawnDetached(SERVER_SCRIPT, [], { cwd: dir, env, logFile: path.join(dir, 'stdout.log') });
    return { scriptPid, pidFile, nodeName };
}
async function startOwn(s, log) {
    const dir = dirOf(s);
    const port = s.ports.rabbitmq;
    const epmdStartedByUs = !(await portAccepts('127.0.0.1', 4369, 500));
    const t0 = Date.now();
    log(`starting rabbitmq (node bench${port}@localhost) on ${s.host}:${port}…`);
    const { scriptPid, pidFile, nodeName } = spawnOwn(s);
    const logTail = () => `${tailFile(path.join(dir, 'stdout.log'), 15)}\n${tailFile(path.join(dir, 'log', `${nodeName}.log`), 15)}`;
    let rec;
    try {
        const pid = await waitFor('rabbitmq pid file', async () => {
            const n = Number(fs.readFileSync(pidFile, 'utf8').trim());
            if (!Number.isInteger(n) || n <= 0)
                throw new Error('pid file is empty');
            return n;
        }, { timeoutMs: 30_000, intervalMs: 200, giveUpIf: () => (isOurProcess(scriptPid, 'rabbitmq-server') ? undefined : 'rabbitmq-server exited') });
        rec = { pid, marker: `-home ${dir} `, port, nodeName, epmdStartedByUs };
        writeJson(recordFile(s), rec);
        const r = rec;
        const a = await waitFor(`rabbitmq on ${s.host}:${port}`, () => rabbitmqRoundTrip(rabbitmqUrl(s), 5000, rabbitmqSocketOptions(s)), {
            timeoutMs: 60_000,
            intervalMs: 300,
            giveUpIf: () => (isOurProcess(r.pid, r.marker) ? undefined : `the node (pid ${r.pid}) exited`),
        });
        log(`rabbitmq answers on ${s.host}:${port}… ${secondsSince(t0)}`);
        return { ...(await rabbitmqStatus(s, a)), startedNow: true };
    }
    catch (err) {
        const tail = logTail();
        // we started these moments ago: stop them even if they no longer look like ours
        if (rec)
            await stopPid(rec.pid, 30_000);
        await stopPid(scriptPid, 10_000);
        fs.rmSync(recordFile(s), { force: true });
        throw new BenchError('BROKER_START', `rabbitmq failed to start: ${err.message}\n${tail}`, { cause: err });
    }
}
/**
 * rabbitmq.conf of a node we start: the plain one listens on AMQP only; the secure one
 * has no plaintext listener at all, only amqps and the management API over https, and
 * its own user (created when the node first boots; guest stays loopback-only).
 */
export function renderRabbitConf(s) {
    const lines = ['loopback_users.guest = true', 'log.file.level = info'];
    if (!s.secure)
        return [`listeners.tcp.1 = ${s.host}:${s.ports.rabbitmq}`, ...lines, ''].join('\n');
    const { tls, user, passwords, ports } = s.secure;
    const files = (prefix) => [`${prefix}.cacertfile = ${tls.ca}`, `${prefix}.certfile = ${tls.serverCert}`, `${prefix}.keyfile = ${tls.serverKey}`];
    return [
        'listeners.tcp = none',
        `listeners.ssl.1 = ${s.host}:${s.ports.rabbitmq}`,
        ...files('ssl_options'),
        'ssl_options.verify = verify_none',
        'ssl_options.fail_if_no_peer_cert = false',
        `default_user = ${user}`,
        `default_pass = ${passwords.rabbitmq}`,
        'default_user_tags.administrator = true',
        'default_permissions.configure = .*',
        'default_permissions.read = .*',
        'default_permissions.write = .*',
        `management.ssl.port = ${ports.rabbitmqManagement}`,
        `management.ssl.ip = ${s.host}`,
        ...files('management.ssl'),
        ...lines,
        '',
    ].join('\n');
}
/** Our own node, if `bench brokers up` started it and it still runs (never the machine's server). */
export function rabbitmqOwned(s) {
    return liveRecord(s);
}
/**
 * Starts our node again on its config and mnesia directory after a kill; returns at once.
 * `rabbitmqAnswers` waits and records the new pid. Only for a node we started: the
 * record names it, and a running one is left alone.
 */
export function rabbitmqRestartNow(s) {
    if (liveRecord(s))
        return;
    const rec = readJson(recordFile(s));
    if (!rec)
        throw new BenchError('BROKER_START', `rabbitmq: no node of ours recorded in ${recordFile(s)}`);
    const { pidFile } = spawnOwn(s);
    // the record keeps the old pid until the new one is known
    writeJson(recordFile(s), { ...rec, pendingPidFile: pidFile });
}
/** Waits for our restarted node's pid file and an AMQP round trip, and records its pid. */
export async function rabbitmqAnswers(s, timeoutMs = 60_000) {
    const rec = readJson(recordFile(s));
    if (rec?.pendingPidFile) {
        const file = rec.pendingPidFile;
        const pid = await waitFor('rabbitmq pid file', async () => {
            const n = Number(fs.readFileSync(file, 'utf8').trim());
            if (!Number.isInteger(n) || n <= 0)
                throw new Error('pid file is empty');
            return n;
        }, { timeoutMs, intervalMs: 200 });
        const { pendingPidFile: _, ...kept } = rec;
        writeJson(recordFile(s), { ...kept, pid });
    }
    await waitFor(`rabbitmq on ${s.host}:${s.ports.rabbitmq}`, () => rabbitmqRoundTrip(rabbitmqUrl(s), 5000, rabbitmqSocketOptions(s)), { timeoutMs, intervalMs: 300 });
}
//# sourceMappingURL=rabbitmq.js.map