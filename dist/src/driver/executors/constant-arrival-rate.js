/** Orders start at a fixed rate, whatever the responses (open model); warm-up included at the same rate. */
export function constantArrivalRate(w) {
    const intervalUs = 1_000_000 / w.rate;
    const lengthUs = (w.warmup + w.duration) * 1000;
    const count = Math.floor((lengthUs - 1e-6) / intervalUs) + 1;
    return {
        kind: 'open',
        lengthUs,
        at: (i) => (i < count ? Math.round(i * intervalUs) : undefined),
        rateAt: () => w.rate,
    };
}
//# sourceMappingURL=constant-arrival-rate.js.map