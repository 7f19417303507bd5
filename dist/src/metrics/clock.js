/**
 * The machine's monotonic clock (shared by every process on Linux) plus one offset to
 * the epoch. The offset is computed once by the first process and handed to its
 * children through the environment: each process computing its own (from Date.now or
 * performance.timeOrigin) puts their clocks milliseconds apart, and events of one order
 * recorded in two processes would then appear out of order.
 */
const OFFSET_ENV = 'BENCH_CLOCK_OFFSET_US';
const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);
const offsetUs = (() => {
    const inherited = Number(process.env[OFFSET_ENV]);
    if (Number.isFinite(inherited) && inherited > 0)
        return inherited;
    const offset = Math.round(Date.now() * 1000 - monotonicUs());
    process.env[OFFSET_ENV] = String(offset);
    return offset;
})();
export function nowUs() {
    return monotonicUs() + offsetUs;
}
export const systemClock = {
    nowUs,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};
/** A clock that moves only when told to; sleepers wake in time order. */
export class ManualClock {
    t;
    sleepers = [];
    constructor(startUs = 1_700_000_000_000_000) {
        this.t = startUs;
    }
    nowUs() {
        return this.t;
    }
    sleep(ms) {
        return new Promise((resolve) => {
            this.sleepers.push({ at: this.t + Math.max(0, ms) * 1000, resolve });
            this.sleepers.sort((a, b) => a.at - b.at);
        });
    }
    /** Moves time forward by `ms`, waking sleepers (and letting their continuations run) on the way. */
    async advance(ms) {
        const end = this.t + ms * 1000;
        for (;;) {
            const next = this.sleepers[0];
            if (!next || next.at > end)
                break;
            this.sleepers.shift();
            this.t = Math.max(this.t, next.at);
            next.resolve();
            for (let i = 0; i < 5; i++)
                await Promise.resolve();
            await new Promise((r) => setImmediate(r));
        }
        this.t = end;
    }
}
//# sourceMappingURL=clock.js.map