import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { BenchError } from '../contract/errors.js';
import { renderActivemqXml, renderLog4j } from './activemq-config.js';
import { aptInstall } from './install.js';
import { assertPortFree, isOurProcess, listenerPid, readJson, secondsSince, spawnDetached, stopPid, tailFile, waitFor, withTimeout, writeJson, } from './process.js';
import { ACTIVEMQ_HEAP } from './settings.js';
import { stompConnect, stompDestroy } from './stomp.js';
/** ActiveMQ Classic from Debian's `activemq` package, started self-contained with a generated config. */
const ACTIVEMQ_HOME = '/usr/share/activemq';
/** activemq plus the jars STOMP's jms-map-json transformation needs (statistics replies are MapMessages). */
export const ACTIVEMQ_PACKAGES = ['activemq', 'libxstream-java', 'libjettison-java'];
const EXTRA_CLASSPATH = ['/usr/share/java/xstream.jar', '/usr/share/java/jettison.jar'];
const dirOf = (s) => path.join(s.stateDir, 'activemq');
const recordFile = (s) => path.join(dirOf(s), 'run.json');
const logFile = (s) => path.join(dirOf(s), 'activemq.log');
function liveRecord(s) {
    const rec = readJson(recordFile(s));
    return rec && isOurProcess(rec.pid, rec.marker) ? rec : undefined;
}
function readBody(msg) {
    return new Promise((resolve, reject) => msg.readString('utf8', (err, body) => (err ? reject(err) : resolve(body ?? ''))));
}
/** A real round trip over STOMP: subscribe, send a persistent message with a receipt, receive it. */
/** How a client of these brokers connects: plain, or stomp+ssl with the test CA and the generated login. */
export function activemqClientOptions(s) {
    if (!s.secure)
        return {};
    return { tlsCa: fs.readFileSync(s.secure.tls.ca), login: { username: s.secure.user, password: s.secure.passwords.activemq } };
}
export async function activemqRoundTrip(host, port, timeoutMs = 10_000, auth = {}) {
    const client = await stompConnect({ host, port, timeoutMs, ...auth });
    const tag = randomBytes(6).toString('hex');
    const destination = '/queue/bench.ping';
    try {
        await withTimeout(new Promise((resolve, reject) => {
            client.on('error', reject);
            client.subscribe({ destination, ack: 'auto' }, (err, msg) => {
                if (err)
                    return reject(err);
                readBody(msg).then((body) => { if (body === tag)
                    resolve(); }, reject);
            });
            const frame = client.send({ destination, persistent: 'true', receipt: tag }, { onReceipt: () => undefined, onError: reject });
            frame.end(tag);
        }), timeoutMs, `STOMP round trip on ${host}:${port}`);
    }
    finally {
        stompDestroy(client);
    }
}
/** Fast check: a STOMP CONNECT is answered; resolves with the broker's version ('5.17.2'). */
export async function activemqPing(host, port, timeoutMs = 1500, auth = {}) {
    const client = await stompConnect({ host, port, timeoutMs, ...auth });
    const server = client.headers?.server;
    stompDestroy(client);
    return server?.replace(/^ActiveMQ\//, '');
}
export async function activemqStatus(s) {
    const rec = liveRecord(s);
    const version = await activemqPing(s.host, s.ports.stomp, 1500, activemqClientOptions(s)).catch(() => null);
    return {
        name: 'activemq',
        version: version ?? undefined,
        address: `${s.host}:${s.ports.stomp}`,
        pid: rec?.pid ?? (await listenerPid(s.ports.stomp)),
        startedByUs: rec !== undefined,
        answers: version !== null,
        detail: s.secure ? `stomp+ssl ${s.host}:${s.ports.stomp}, login ${s.secure.user}` : `STOMP ${s.host}:${s.ports.stomp}, OpenWire ${s.host}:${s.ports.openwire}`,
    };
}
export async function activemqStop(s) {
    const rec = liveRecord(s);
    if (rec)
        await stopPid(rec.pid, 20_000);
    fs.rmSync(recordFile(s), { force: true });
}
/** Writes the config (same data directory every time), starts the JVM, records its pid; returns at once. */
function spawnActivemq(s) {
    const dir = dirOf(s);
    const conf = path.join(dir, 'conf');
    const data = path.join(dir, 'data');
    fs.mkdirSync(conf, { recursive: true });
    fs.mkdirSync(data, { recursive: true });
    const xml = path.join(conf, 'activemq.xml');
    fs.writeFileSync(xml, renderActivemqXml({
        bindHost: s.host,
        stompPort: s.ports.stomp,
        openwirePort: s.ports.openwire,
        ...(s.secure ? {
            tls: { keystore: s.secure.tls.keystore, keystorePassword: s.secure.tls.keystorePassword },
            login: { username: s.secure.user, password: s.secure.passwords.activemq },
        } : {}),
    }), { mode: 0o600 });
    fs.writeFileSync(path.join(conf, 'log4j.properties'), renderLog4j(logFile(s)));
    const marker = `xbean:file:${xml}`;
    const pid = spawnDetached('java', [
        ACTIVEMQ_HEAP, '-XX:+ExitOnOutOfMemoryError', '-Djava.awt.headless=true',
        `-Dactivemq.classpath=${EXTRA_CLASSPATH.join(':')}`,
        `-Dlog4j.configuration=file:${path.join(conf, 'log4j.properties')}`,
        `-Dactivemq.home=${ACTIVEMQ_HOME}`, `-Dactivemq.base=${dir}`, `-Dactivemq.conf=${conf}`, `-Dactivemq.data=${data}`,
        '-jar', `${ACTIVEMQ_HOME}/bin/activemq.jar`, 'start', marker,
    ], { cwd: dir, logFile: path.join(dir, 'stdout.log') });
    writeJson(recordFile(s), { pid, marker, stompPort: s.ports.stomp, openwirePort: s.ports.openwire });
    return { pid, marker };
}
/** The broker `bench brokers up` started, if it still runs (its pid is what faults kill or pause). */
export function activemqOwned(s) {
    return liveRecord(s);
}
/** Starts the broker again on its config and data after a kill; returns the new pid at once. */
export function activemqRestartNow(s) {
    return liveRecord(s)?.pid ?? spawnActivemq(s).pid;
}
/** Waits until the broker answers a STOMP round trip. */
export async function activemqAnswers(s, timeoutMs = 60_000) {
    await waitFor(`activemq on ${s.host}:${s.ports.stomp}`, () => activemqRoundTrip(s.host, s.ports.stomp, 5000, activemqClientOptions(s)), { timeoutMs, intervalMs: 250 });
}
export async function activemqUp(s, log) {
    const rec = liveRecord(s);
    if (rec && rec.stompPort === s.ports.stomp && rec.openwirePort === s.ports.openwire) {
        await waitFor('activemq', () => activemqRoundTrip(s.host, s.ports.stomp, 10_000, activemqClientOptions(s)), { timeoutMs: 30_000, intervalMs: 500 });
        return { ...(await activemqStatus(s)), startedNow: false };
    }
    if (rec) {
        log('activemq: restarting on new ports…');
        await activemqStop(s);
    }
    await assertPortFree(s.host, s.ports.stomp, 'activemq (STOMP)');
    if (s.ports.openwire)
        await assertPortFree(s.host, s.ports.openwire, 'activemq (OpenWire)');
    await aptInstall(ACTIVEMQ_PACKAGES, 'activemq', log);
    // in case the package's own service came up on the same ports
    if (s.ports.openwire)
        await assertPortFree(s.host, s.ports.openwire, 'activemq (OpenWire)');
    const t0 = Date.now();
    log(`starting activemq on STOMP ${s.host}:${s.ports.stomp}, OpenWire ${s.host}:${s.ports.openwire}…`);
    const { pid, marker } = spawnActivemq(s);
    const dir = dirOf(s);
    try {
        await waitFor(`activemq on ${s.host}:${s.ports.stomp}`, () => activemqRoundTrip(s.host, s.ports.stomp, 5000, activemqClientOptions(s)), {
            timeoutMs: 60_000,
            intervalMs: 300,
            giveUpIf: () => (isOurProcess(pid, marker) ? undefined : `the broker (pid ${pid}) exited`),
        });
    }
    catch (err) {
        const tail = `${tailFile(logFile(s), 20)}\n${tailFile(path.join(dir, 'stdout.log'), 10)}`;
        await stopPid(pid, 20_000);
        fs.rmSync(recordFile(s), { force: true });
        throw new BenchError('BROKER_START', `activemq failed to start: ${err.message}\n--- ${logFile(s)}\n${tail}`, { cause: err });
    }
    log(`activemq answers on ${s.host}:${s.ports.stomp}… ${secondsSince(t0)}`);
    return { ...(await activemqStatus(s)), startedNow: true };
}
//# sourceMappingURL=activemq.js.map