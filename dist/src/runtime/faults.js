/**
 * Executes a scenario's faults against the service processes, at times measured from
 * the start of the measured window, and records when each began and ended. Whatever
 * happens, `restore()` undoes what is still broken (resumes, restarts, removes delays).
 */
export class FaultInjector {
    faults;
    processes;
    nowUs;
    baseDelayMs;
    log;
    timers = [];
    active = new Set();
    events = [];
    originUs = 0;
    constructor(faults, processes, nowUs, baseDelayMs, log = () => undefined) {
        this.faults = faults;
        this.processes = processes;
        this.nowUs = nowUs;
        this.baseDelayMs = baseDelayMs;
        this.log = log;
    }
    /** Arms every fault; `originUs` is the start of the measured window. */
    arm(originUs) {
        this.originUs = originUs;
        for (const fault of this.faults) {
            const startIn = Math.max(0, (originUs + fault.at * 1000 - this.nowUs()) / 1000);
            this.timers.push(setTimeout(() => void this.begin(fault), startIn));
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
        }
        this.events.push(event);
        this.log(`fault: ${fault.action} ${fault.target} at ${event.startS.toFixed(1)} s`);
        const end = async () => {
            if (!this.active.delete(end))
                return;
            try {
                await undo();
            }
            finally {
                // the window closes when the undo was attempted, even if it failed
                event.endS = this.seconds();
            }
            this.log(`fault: ${fault.action} ${fault.target} undone at ${event.endS.toFixed(1)} s`);
        };
        this.active.add(end);
        this.timers.push(setTimeout(() => void end().catch((err) => this.log(`fault: could not undo ${fault.action} ${fault.target}: ${String(err)}`)), fault.duration));
    }
    /** Cancels pending faults and undoes active ones. */
    async restore() {
        for (const t of this.timers)
            clearTimeout(t);
        for (const end of [...this.active])
            await end().catch(() => undefined);
    }
}
//# sourceMappingURL=faults.js.map