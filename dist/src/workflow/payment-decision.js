import { createHash } from 'node:crypto';
/**
 * Whether an order's payment fails: decided from the order id, the scenario's seed
 * and failure ratio only, so every transport fails the same orders.
 */
export function paymentFails(orderId, ratio, seed) {
    if (ratio <= 0)
        return false;
    if (ratio >= 1)
        return true;
    return unitHash(`${seed}:${orderId}`) < ratio;
}
/**
 * A string mapped uniformly to [0, 1): the first 48 bits of its SHA-256. Sequential
 * order ids (o0000150, o0000151, …) must not cluster, which simple string hashes do.
 */
export function unitHash(text) {
    const digest = createHash('sha256').update(text).digest();
    return digest.readUIntBE(0, 6) / 2 ** 48;
}
//# sourceMappingURL=payment-decision.js.map