export function withTestFaults(publish, faults) {
    if (!faults)
        return publish;
    let drops = faults.drop ?? 0;
    let duplicates = faults.duplicate ?? 0;
    let reorders = faults.reorder ?? 0;
    /** an event held back until its customer's next event on the channel has gone out */
    const held = new Map();
    return async (to, event) => {
        if (to !== faults.channel)
            return publish(to, event);
        const waiting = held.get(event.customerId);
        if (waiting) {
            held.delete(event.customerId);
            await publish(to, event);
            await publish(to, waiting.event);
            waiting.release();
            return;
        }
        if (drops > 0) {
            drops--;
            return;
        }
        if (duplicates > 0) {
            duplicates--;
            await publish(to, event);
            return publish(to, event);
        }
        if (reorders > 0) {
            reorders--;
            await new Promise((resolve) => {
                const timer = setTimeout(() => {
                    // no later event of this customer came: publish in order (no reordering happens)
                    if (held.get(event.customerId)?.event === event) {
                        held.delete(event.customerId);
                        void publish(to, event).then(resolve, resolve);
                    }
                }, 5000);
                held.set(event.customerId, {
                    event,
                    release: () => {
                        clearTimeout(timer);
                        resolve();
                    },
                });
            });
            return;
        }
        return publish(to, event);
    };
}
//# sourceMappingURL=test-faults.js.map