/** A closed model: `concurrency` virtual users each start the next order when the last one ends. */
export function constantConcurrency(w) {
    return { kind: 'closed', concurrency: w.concurrency, lengthUs: (w.warmup + w.duration) * 1000 };
}
//# sourceMappingURL=constant-concurrency.js.map