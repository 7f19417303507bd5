import { EVENT_TYPES, SERVICE_NAMES, type EventType, type ServiceName } from '../contract/events.js';

/** What the checker knows of one order: its emitted events in the order they happened, deliveries and effects. */
export interface OrderSummary {
  /** emitted event types, first emission of each, ordered by emission time */
  sequence: { type: EventType; emittedBy: ServiceName }[];
  /** `service|type` of each event delivered to a service */
  delivered: Set<string>;
  /** `service|effect` of each side effect applied */
  effects: Set<string>;
  /** what the order added to invalidTransitions and compensationErrors when it was judged */
  invalid: number;
  compensation: boolean;
}

/** The side effects the workflow applies; a closed order keeps one bit for each (per service). */
const EFFECTS = ['stock_reserved', 'payment_declined', 'payment_charged', 'stock_locked', 'stock_released', 'shipment_created', 'order_completed', 'order_failed'];
const TYPES = EVENT_TYPES;
const WORDS = 5;
/** sequence codes: 1..12 an event type emitted by its own service, 13 payment_failed emitted by the order service */
const ORDER_PAYMENT_FAILED = TYPES.length + 1;

/**
 * Orders the checker has judged and let go of: 20 bytes each (in a typed array indexed
 * by the order's number), enough to tell a late record (a redelivery long after the
 * order finished) whether it is a duplicate and to judge the order again with it.
 * Orders whose records do not fit the compact form (unusual event ids, services or
 * effects) are kept whole instead: there are none in a healthy run.
 */
export class ClosedOrders<Whole> {
  private words = new Uint32Array(1024 * WORDS);
  private readonly whole = new Map<string, Whole>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  has(orderId: string): boolean {
    const i = indexOf(orderId);
    if (i !== undefined && i * WORDS < this.words.length && this.words[i * WORDS + 1]! >>> 31 === 1) return true;
    return this.whole.has(orderId);
  }

  /** Keeps the summary if it packs, else the whole order. */
  add(orderId: string, s: OrderSummary, whole: Whole): void {
    this.count++;
    const packed = pack(s);
    const i = indexOf(orderId);
    if (!packed || i === undefined) {
      this.whole.set(orderId, whole);
      return;
    }
    while ((i + 1) * WORDS > this.words.length) {
      const grown = new Uint32Array(this.words.length * 2);
      grown.set(this.words);
      this.words = grown;
    }
    this.words.set(packed, i * WORDS);
  }

  /** Takes an order back out (a late record reopens it). */
  take(orderId: string): { summary: OrderSummary } | { whole: Whole } | undefined {
    const w = this.whole.get(orderId);
    if (w !== undefined) {
      this.whole.delete(orderId);
      this.count--;
      return { whole: w };
    }
    const i = indexOf(orderId);
    if (i === undefined || i * WORDS >= this.words.length || this.words[i * WORDS + 1]! >>> 31 !== 1) return undefined;
    const summary = unpack(this.words.subarray(i * WORDS, (i + 1) * WORDS));
    this.words.fill(0, i * WORDS, (i + 1) * WORDS);
    this.count--;
    return { summary };
  }
}

/** The number in a harness order id (`o0000123` → 123), if it is one. */
function indexOf(orderId: string): number | undefined {
  if (orderId.length < 2 || orderId.length > 10 || orderId[0] !== 'o') return undefined;
  const n = Number(orderId.slice(1));
  return Number.isInteger(n) && n >= 0 && String(n).padStart(orderId.length - 1, '0') === orderId.slice(1) ? n : undefined;
}

function pack(s: OrderSummary): Uint32Array | undefined {
  if (s.sequence.length > 12 || s.invalid > 15) return undefined;
  let seqLo = 0;
  let seqHi = 0;
  for (let k = 0; k < s.sequence.length; k++) {
    const { type, emittedBy } = s.sequence[k]!;
    const t = TYPES.indexOf(type);
    let code: number;
    if (type === 'payment_failed' && emittedBy === 'order') code = ORDER_PAYMENT_FAILED;
    else if (t >= 0 && emittedBy === type.slice(0, type.indexOf('_'))) code = t + 1;
    else return undefined;
    if (k < 8) seqLo |= code << (4 * k);
    else seqHi |= code << (4 * (k - 8));
  }
  seqHi |= (s.sequence.length << 16) | (Number(s.compensation) << 20) | (s.invalid << 21) | (1 << 31);
  let deliveredLo = 0;
  let deliveredHi = 0;
  for (const key of s.delivered) {
    const [service = '', type = ''] = key.split('|');
    const si = SERVICE_NAMES.indexOf(service as ServiceName);
    const ti = TYPES.indexOf(type as EventType);
    if (si < 0 || ti < 0) return undefined;
    const bit = si * TYPES.length + ti;
    if (bit < 32) deliveredLo |= 1 << bit;
    else deliveredHi |= 1 << (bit - 32);
  }
  let effects = 0;
  for (const key of s.effects) {
    const [service = '', effect = ''] = key.split('|');
    const si = SERVICE_NAMES.indexOf(service as ServiceName);
    const ei = EFFECTS.indexOf(effect);
    if (si < 0 || ei < 0) return undefined;
    effects |= 1 << (si * EFFECTS.length + ei);
  }
  // a Uint32Array stores each as its unsigned 32 bits
  return Uint32Array.of(seqLo, seqHi, deliveredLo, deliveredHi, effects);
}

function unpack(w: Uint32Array): OrderSummary {
  const length = (w[1]! >>> 16) & 0xf;
  const sequence: OrderSummary['sequence'] = [];
  for (let k = 0; k < length; k++) {
    const code = k < 8 ? (w[0]! >>> (4 * k)) & 0xf : (w[1]! >>> (4 * (k - 8))) & 0xf;
    if (code === ORDER_PAYMENT_FAILED) sequence.push({ type: 'payment_failed', emittedBy: 'order' });
    else {
      const type = TYPES[code - 1]!;
      sequence.push({ type, emittedBy: type.slice(0, type.indexOf('_')) as ServiceName });
    }
  }
  const delivered = new Set<string>();
  for (let bit = 0; bit < SERVICE_NAMES.length * TYPES.length; bit++) {
    const on = bit < 32 ? (w[2]! >>> bit) & 1 : (w[3]! >>> (bit - 32)) & 1;
    if (on) delivered.add(`${SERVICE_NAMES[Math.floor(bit / TYPES.length)]}|${TYPES[bit % TYPES.length]}`);
  }
  const effects = new Set<string>();
  for (let bit = 0; bit < SERVICE_NAMES.length * EFFECTS.length; bit++) {
    if ((w[4]! >>> bit) & 1) effects.add(`${SERVICE_NAMES[Math.floor(bit / EFFECTS.length)]}|${EFFECTS[bit % EFFECTS.length]}`);
  }
  return { sequence, delivered, effects, invalid: (w[1]! >>> 21) & 0xf, compensation: ((w[1]! >>> 20) & 1) === 1 };
}
