import { routeOf } from '../workflow/routing.js';
/**
 * One order's journey for the report's sequence diagram: the first order of the
 * measured window that reached a terminal state, preferring a completed one. Orders
 * are offered one at a time as the checker judges them; only the best so far is kept.
 */
export class SampleKeeper {
    measureFromUs;
    completed;
    failed;
    constructor(measureFromUs) {
        this.measureFromUs = measureFromUs;
    }
    offer(order) {
        if (!(order.intendedAtUs >= this.measureFromUs))
            return;
        const types = new Set(order.emitted.map((e) => e.type));
        if (types.has('order_completed')) {
            if (!this.completed || order.intendedAtUs < this.completed.intendedAtUs)
                this.completed = order;
        }
        else if (types.has('order_failed')) {
            if (!this.failed || order.intendedAtUs < this.failed.intendedAtUs)
                this.failed = order;
        }
    }
    rows() {
        const order = this.completed ?? this.failed;
        if (!order)
            return [];
        return [...order.emitted]
            .sort((a, b) => a.seq - b.seq || a.emittedAtUs - b.emittedAtUs)
            .map((r) => {
            const to = routeOf(r.type);
            return {
                type: r.type,
                from: r.emittedBy,
                to: to === 'local' ? r.emittedBy : to === 'observer' ? 'client' : to,
                atMs: Math.round((r.emittedAtUs - order.intendedAtUs) / 10) / 100,
            };
        });
    }
}
//# sourceMappingURL=sample.js.map