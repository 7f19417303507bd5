/**
 * Whether an order's payment fails: decided from the order id, the scenario's seed
 * and failure ratio only, so every transport fails the same orders.
 */
export function paymentFails(orderId: string, ratio: number, seed: number): boolean {
  if (ratio <= 0) return false;
  if (ratio >= 1) return true;
  return unitHash(`${seed}:${orderId}`) < ratio;
}

/** FNV-1a (32 bit) of a string, then a murmur finaliser, mapped to [0, 1). */
export function unitHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 0x1_0000_0000;
}
