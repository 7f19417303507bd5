import { BenchError } from '../contract/errors.js';
import { activemqAnswers, activemqOwned, activemqRestartNow } from './activemq.js';
import { kafkaNodeAnswers, kafkaOwnedNodes, kafkaRestartNode } from './kafka.js';
import { isAlive } from './process.js';
import { rabbitmqAnswers, rabbitmqOwned, rabbitmqRestartNow } from './rabbitmq.js';
function portOf(address) {
    return Number(address.slice(address.lastIndexOf(':') + 1));
}
/**
 * Why a broker fault cannot run against the broker these endpoints reach, or undefined
 * when bench started it and it runs. The line says what to do instead.
 */
export function notOwnedReason(broker, s, e) {
    if (broker === 'nats' || broker === 'redis' || broker === 'mosquitto')
        return `broker faults on ${broker} are not supported yet`;
    const hint = `broker faults act only on brokers \`bench brokers up\` started (its state directory is ${s.stateDir}; set BENCH_STATE_DIR and the BENCH_*_PORT variables to those of the broker to fault)`;
    if (broker === 'kafka') {
        const owned = kafkaOwnedNodes(s);
        const ports = new Set(owned?.live.map((n) => n.port) ?? []);
        const foreign = e.kafka.brokers.filter((b) => !ports.has(portOf(b)));
        if (!owned || owned.live.length === 0)
            return `no kafka broker of bench runs (none recorded as running in ${s.stateDir}); ${hint}`;
        if (foreign.length > 0)
            return `kafka at ${foreign.join(',')} was not started by bench; ${hint}`;
        return undefined;
    }
    if (broker === 'rabbitmq') {
        const owned = rabbitmqOwned(s);
        const port = (() => {
            try {
                const u = new URL(e.rabbitmq.url);
                return Number(u.port || 5672);
            }
            catch {
                return -1;
            }
        })();
        if (!owned || owned.port !== port) {
            return `rabbitmq at 127.0.0.1:${port} was not started by bench (the machine's own server runs on 5672 and is never faulted); start bench's own node with BENCH_RABBITMQ_PORT=35672 npx bench brokers up --only rabbitmq and run with the same variable`;
        }
        return undefined;
    }
    const owned = activemqOwned(s);
    if (!owned || owned.stompPort !== e.activemq.port)
        return `activemq at ${e.activemq.host}:${e.activemq.port} was not started by bench; ${hint}`;
    return undefined;
}
/** The process of `broker` (Kafka: node `node`, default the first) that a fault acts on now. */
export function brokerTarget(broker, s, node) {
    if (broker === 'kafka') {
        const owned = kafkaOwnedNodes(s);
        const n = owned?.nodes.find((x) => x.id === (node ?? owned.nodes[0]?.id));
        if (!n)
            throw new BenchError('INVALID_CONFIG', `kafka node ${node} is not one of bench's nodes (${owned?.nodes.map((x) => x.id).join(', ') || 'none'})`);
        return { broker, node: n.id, pid: n.pid, label: `kafka node ${n.id} (pid ${n.pid}, ${s.host}:${n.port})` };
    }
    const owned = broker === 'rabbitmq' ? rabbitmqOwned(s) : activemqOwned(s);
    if (!owned)
        throw new BenchError('BROKER_START', `${broker}: bench's broker is not running`);
    return { broker, pid: owned.pid, label: `${broker} (pid ${owned.pid})` };
}
function signal(pid, sig) {
    try {
        process.kill(pid, sig);
    }
    catch {
        // already gone
    }
}
/** SIGKILL, and waits (briefly) until the process is gone so its ports are free. */
export async function killBroker(t) {
    signal(t.pid, 'SIGKILL');
    const deadline = Date.now() + 5000;
    while (isAlive(t.pid) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
}
export function pauseBroker(t) {
    signal(t.pid, 'SIGSTOP');
}
/** SIGCONT; synchronous so it can run on the way out of an interrupted process. */
export function resumeBroker(t) {
    signal(t.pid, 'SIGCONT');
}
/**
 * Starts a killed broker again on its own config and data directory. Synchronous: the
 * process is spawned before this returns, so it also works from an exit handler.
 */
export function restartBrokerNow(t, s) {
    if (t.broker === 'kafka')
        kafkaRestartNode(s, t.node);
    else if (t.broker === 'rabbitmq')
        rabbitmqRestartNow(s);
    else
        activemqRestartNow(s);
}
/** Waits until a restarted broker answers a client round trip. */
export async function brokerAnswers(t, s, timeoutMs = 120_000) {
    if (t.broker === 'kafka')
        await kafkaNodeAnswers(s, t.node, timeoutMs);
    else if (t.broker === 'rabbitmq')
        await rabbitmqAnswers(s, timeoutMs);
    else
        await activemqAnswers(s, timeoutMs);
}
//# sourceMappingURL=control.js.map