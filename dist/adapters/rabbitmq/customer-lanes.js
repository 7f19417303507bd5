/**
 * Runs tasks one at a time per key (a customer) and concurrently across keys.
 * Tasks of one key start in the order they were added, each after the previous
 * one has finished.
 */
export class CustomerLanes {
    tails = new Map();
    running = new Set();
    /** Queues `task` behind every earlier task of `key`. The task must not throw. */
    add(key, task) {
        const previous = this.tails.get(key) ?? Promise.resolve();
        const next = previous.then(task);
        this.tails.set(key, next);
        this.running.add(next);
        void next.finally(() => {
            this.running.delete(next);
            if (this.tails.get(key) === next)
                this.tails.delete(key);
        });
    }
    /** customers with queued or running work */
    get size() {
        return this.tails.size;
    }
    /** Resolves once every task added so far has finished. */
    async idle() {
        while (this.running.size > 0)
            await Promise.allSettled([...this.running]);
    }
}
//# sourceMappingURL=customer-lanes.js.map