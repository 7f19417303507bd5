import { nowUs } from '../metrics/clock.js';
/** The harness's subscription to terminal events, resolving each order's waiter. */
export async function startObserver(adapter, spec, onGaveUp) {
    const conn = await adapter.connect(spec, `${spec.prefix}-observer`);
    conn.onGaveUp(onGaveUp);
    const waiters = new Map();
    /** terminal events that arrived before their waiter (202 slower than the whole workflow) */
    const early = new Map();
    /** every order seen terminal, for the post-run drain */
    const terminal = new Set();
    const sub = await conn.subscribe('observer', { service: 'observer', instance: 0 }, async (event) => {
        const t = { outcome: event.type === 'order_completed' ? 'completed' : 'failed', atUs: nowUs() };
        if (terminal.has(event.orderId))
            return;
        terminal.add(event.orderId);
        const w = waiters.get(event.orderId);
        if (w) {
            waiters.delete(event.orderId);
            w(t);
        }
        else
            early.set(event.orderId, t);
    });
    const awaitTerminal = (orderId, signal) => {
        const seen = early.get(orderId);
        if (seen) {
            early.delete(orderId);
            return Promise.resolve(seen);
        }
        return new Promise((resolve, reject) => {
            const onAbort = () => {
                waiters.delete(orderId);
                reject(signal.reason ?? new Error('aborted'));
            };
            if (signal.aborted)
                return onAbort();
            signal.addEventListener('abort', onAbort, { once: true });
            waiters.set(orderId, (t) => {
                signal.removeEventListener('abort', onAbort);
                resolve(t);
            });
        });
    };
    const waitForTerminals = async (ids, timeoutMs) => {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
            let missing = 0;
            for (const id of ids)
                if (!terminal.has(id))
                    missing++;
            if (missing === 0)
                return true;
            if (Date.now() >= deadline)
                return false;
            await new Promise((r) => setTimeout(r, 100));
        }
    };
    return {
        awaitTerminal,
        waitForTerminals,
        close: async () => {
            await sub.close();
            await conn.close();
        },
    };
}
//# sourceMappingURL=observer.js.map