import { ConfigError } from '../contract/errors.js';
import { brokerAnswers, brokerTarget, killBroker, notOwnedReason, pauseBroker, restartBrokerNow, resumeBroker } from '../brokers/control.js';
import { kafkaBusiestLeader } from '../brokers/kafka-leader.js';
/** The broker a fault acts on in a run over `transport`, or undefined when it does not apply (REST; another broker named). */
export function faultBroker(fault, transport) {
    if (fault.target !== 'broker' || transport === 'rest')
        return undefined;
    const broker = transport === 'mqtt' ? 'mosquitto' : transport;
    if (fault.broker !== undefined && fault.broker !== broker)
        return undefined;
    return broker;
}
/**
 * Refuses, before anything starts, a broker fault against a broker bench did not start:
 * one line naming the scenario file, the fault and why (exit 104). Nothing is touched.
 */
export function assertBrokerFaultsOwned(faults, transports, s, e, file) {
    faults.forEach((fault, i) => {
        for (const transport of transports) {
            const broker = faultBroker(fault, transport);
            if (!broker)
                continue;
            const reason = notOwnedReason(broker, s, e);
            if (reason)
                throw new ConfigError(`${file}: faults[${i}] (${fault.action} broker): ${reason}`);
        }
    });
}
/** Undo actions that must run even if the process is leaving: resume a paused broker, start a killed one. */
const pendingUndo = new Set();
let exitHookInstalled = false;
function onExit() {
    for (const undo of pendingUndo) {
        try {
            undo();
        }
        catch {
            // best effort on the way out
        }
    }
    pendingUndo.clear();
}
/**
 * Kills (SIGKILL) or pauses (SIGSTOP) one broker process. Until it is undone, an exit
 * hook stands ready to resume or restart it synchronously, so a run that is interrupted,
 * or exits for any reason, never leaves the broker down.
 */
export async function beginBrokerFault(fault, broker, s, ctx) {
    let node;
    let why = '';
    if (broker === 'kafka') {
        if (fault.node === 'leader') {
            const busiest = await kafkaBusiestLeader(ctx.kafkaBrokers, ctx.prefix);
            node = busiest.node;
            why = `, leader of ${busiest.topic}[${busiest.partition}] (end offset ${busiest.endOffset}, the busiest partition)`;
        }
        else
            node = fault.node;
    }
    const target = brokerTarget(broker, s, node);
    if (!exitHookInstalled) {
        process.on('exit', onExit);
        exitHookInstalled = true;
    }
    if (fault.action === 'pause') {
        const emergency = () => resumeBroker(target);
        pendingUndo.add(emergency);
        pauseBroker(target);
        return {
            target,
            detail: `SIGSTOP ${target.label}${why} for ${fault.duration} ms`,
            undo: async (restarted) => {
                resumeBroker(target);
                pendingUndo.delete(emergency);
                restarted();
                return '';
            },
        };
    }
    const emergency = () => restartBrokerNow(target, s);
    pendingUndo.add(emergency);
    await killBroker(target);
    return {
        target,
        detail: `SIGKILL ${target.label}${why}; restarted on the same data after ${fault.duration} ms`,
        undo: async (restarted) => {
            restartBrokerNow(target, s);
            pendingUndo.delete(emergency);
            restarted();
            const t0 = Date.now();
            await brokerAnswers(target, s);
            return `; answered again ${((Date.now() - t0) / 1000).toFixed(1)} s after the restart`;
        },
    };
}
//# sourceMappingURL=broker-faults.js.map