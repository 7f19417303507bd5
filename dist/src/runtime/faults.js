import { beginBrokerFault, faultBroker } from './broker-faults.js';
/**
 * Executes a scenario's faults against the service processes and the broker, at times
 * measured from the start of the measured window, and records when each began and ended.
 * Whatever happens, `restore()` undoes what is still broken (resumes, restarts, removes
 * delays); a broker fault also stands ready to be undone on process exit.
 */
export class FaultInjector {
    faults;
    processes;
    nowUs;
    baseDelayMs;
    log;
    brokers;
    network;
    timers = [];
    active = new Set();
    /** faults being begun right now (a broker kill waits for the process to die) */
    beginning = new Set();
    events = [];
    originUs = 0;
    constructor(faults, processes, nowUs, baseDelayMs, log = () => undefined, brokers, network) {
        this.faults = faults;
        this.processes = processes;
        this.nowUs = nowUs;
        this.baseDelayMs = baseDelayMs;
        this.log = log;
        this.brokers = brokers;
        this.network = network;
    }
    /** Arms every fault; `originUs` is the start of the measured window. */
    arm(originUs) {
        this.originUs = originUs;
        for (const fault of this.faults) {
            const startIn = Math.max(0, (originUs + fault.at * 1000 - this.nowUs()) / 1000);
            this.timers.push(setTimeout(() => {
                const begun = this.begin(fault).finally(() => this.beginning.delete(begun));
                this.beginning.add(begun);
            }, startIn));
        }
    }
    /**
     * Begins a fault now, from outside the scenario (the live dashboard): recorded,
     * undone and restored exactly like a scheduled one. Rejects a target with no process.
     */
    async inject(fault) {
        if (this.targets({ ...fault, at: 0 }).length === 0)
            throw new Error(`no running process of "${fault.target}" to ${fault.action}`);
        await this.begin({ ...fault, at: 0 });
        return this.events[this.events.length - 1];
    }
    targets(fault) {
        return this.processes.filter((p) => p.config.service === fault.target && (fault.instance === undefined || p.config.instance === fault.instance));
    }
    seconds() {
        return Math.round((this.nowUs() - this.originUs) / 1000) / 1000;
    }
    async begin(fault) {
        if (fault.target === 'broker')
            return this.beginBroker(fault);
        if (fault.target === 'network')
            return this.beginNetwork(fault);
        const targets = this.targets(fault);
        const event = { action: fault.action, target: fault.target, startS: this.seconds() };
        if (fault.instance !== undefined)
            event.instance = fault.instance;
        let undo;
        switch (fault.action) {
            case 'kill':
                for (const p of targets)
                    p.kill();
                event.detail = `SIGKILL ${targets.map((p) => p.name).join(', ')}; restart after ${fault.duration} ms`;
                undo = async () => {
                    await Promise.all(targets.map((p) => p.restart()));
                };
                break;
            case 'pause':
                for (const p of targets)
                    p.pause();
                event.detail = `SIGSTOP ${targets.map((p) => p.name).join(', ')} for ${fault.duration} ms`;
                undo = async () => {
                    for (const p of targets)
                        p.resume();
                };
                break;
            case 'delay': {
                const extra = fault.delay ?? 0;
                for (const p of targets)
                    p.setDelay(this.baseDelayMs(fault.target) + extra);
                event.detail = `+${extra} ms per event on ${targets.map((p) => p.name).join(', ')}`;
                undo = async () => {
                    for (const p of targets)
                        p.setDelay(this.baseDelayMs(fault.target));
                };
                break;
            }
            default:
                return; // network actions are handled by beginNetwork
        }
        this.track(fault, event, undo);
    }
    /** Sets toxics on the proxies of the fault's party (latency, bandwidth, blackhole) or resets their connections. */
    beginNetwork(fault) {
        if (!this.network) {
            this.log(`fault: ${fault.action} network skipped: the run's links are not proxied`);
            return;
        }
        const event = { action: fault.action, target: 'network', startS: this.seconds() };
        const applied = this.network.apply(fault);
        event.detail = `${fault.party}: ${applied.detail}`;
        this.track(fault, event, async () => applied.undo());
    }
    /** Kills or pauses the run's broker (skipped when the fault names another broker, or for REST). */
    async beginBroker(fault) {
        const broker = this.brokers && faultBroker(fault, this.brokers.transport);
        if (!broker || !this.brokers) {
            this.log(`fault: ${fault.action} broker skipped: ${this.brokers?.transport ?? 'this transport'} has ${fault.broker ? `no ${fault.broker} broker` : 'no broker'}`);
            return;
        }
        const event = { action: fault.action, target: 'broker', broker, startS: this.seconds() };
        this.events.push(event);
        let begun;
        try {
            begun = await beginBrokerFault(fault, broker, this.brokers.settings, this.brokers);
        }
        catch (err) {
            event.detail = `could not begin: ${err instanceof Error ? err.message : String(err)}`;
            event.endS = event.startS;
            this.log(`fault: ${fault.action} ${broker}: ${event.detail}`);
            return;
        }
        if (begun.target.node !== undefined)
            event.node = begun.target.node;
        event.detail = begun.detail;
        const b = begun;
        this.track(fault, event, async () => {
            event.detail = (event.detail ?? '') + (await b.undo(() => (event.endS = this.seconds())));
        }, false);
    }
    /** Schedules the undo of a begun fault after its duration; `restore()` runs it early. */
    track(fault, event, undo, push = true) {
        if (push)
            this.events.push(event);
        const name = event.broker ?? fault.target;
        this.log(`fault: ${fault.action} ${name} at ${event.startS.toFixed(1)} s`);
        const end = async () => {
            if (!this.active.delete(end))
                return;
            try {
                await undo();
            }
            finally {
                // the window closes when the undo was attempted, even if it failed (a broker's when it was started again)
                event.endS ??= this.seconds();
            }
            this.log(`fault: ${fault.action} ${name} undone at ${event.endS.toFixed(1)} s`);
        };
        this.active.add(end);
        this.timers.push(setTimeout(() => void end().catch((err) => this.log(`fault: could not undo ${fault.action} ${name}: ${String(err)}`)), fault.duration));
    }
    /** Cancels pending faults and undoes active ones. */
    async restore() {
        for (const t of this.timers)
            clearTimeout(t);
        // a fault half-begun when the run stops is finished first, then undone with the others
        await Promise.allSettled([...this.beginning]);
        for (const end of [...this.active])
            await end().catch(() => undefined);
    }
}
//# sourceMappingURL=faults.js.map