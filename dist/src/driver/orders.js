/**
 * Makes the i-th order of a run: which customer places it (bursts of `burst`
 * consecutive orders per customer, named customers first), its per-customer sequence
 * number, and a deterministic amount and SKU. The same index gives the same order on
 * every transport.
 */
export class OrderFactory {
    perCustomer = new Map();
    names;
    count;
    burst;
    constructor(customers) {
        this.names = customers.names;
        this.count = Math.max(customers.count, customers.names.length);
        this.burst = customers.burst;
    }
    customerOf(index) {
        const c = Math.floor(index / this.burst) % this.count;
        return this.names[c] ?? `c${String(c).padStart(4, '0')}`;
    }
    make(index, intendedAtUs) {
        const customerId = this.customerOf(index);
        const customerSeq = (this.perCustomer.get(customerId) ?? 0) + 1;
        this.perCustomer.set(customerId, customerSeq);
        return {
            orderId: `o${String(index).padStart(7, '0')}`,
            customerId,
            customerSeq,
            intendedAtUs,
            amountCents: 1000 + ((index * 7919) % 9000),
            sku: `sku-${index % 50}`,
            quantity: 1 + (index % 3),
        };
    }
}
//# sourceMappingURL=orders.js.map