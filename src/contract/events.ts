/**
 * The order workflow's vocabulary: services, event types and the event envelope
 * every transport carries. Types and constants only; no dependencies.
 */

export const SERVICE_NAMES = ['order', 'inventory', 'payment', 'shipment'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** Happy path, 9 events, in order. */
export const HAPPY_PATH = [
  'order_initiated',
  'order_created',
  'inventory_initiated',
  'payment_initiated',
  'payment_completed',
  'inventory_locked',
  'shipment_initiated',
  'shipment_completed',
  'order_completed',
] as const;

/** Payment failure path, 7 events; compensation releases the reserved stock. */
export const FAILURE_PATH = [
  'order_initiated',
  'order_created',
  'inventory_initiated',
  'payment_initiated',
  'payment_failed',
  'inventory_released',
  'order_failed',
] as const;

export type EventType = (typeof HAPPY_PATH)[number] | (typeof FAILURE_PATH)[number];
export const EVENT_TYPES: readonly EventType[] = [...new Set<EventType>([...HAPPY_PATH, ...FAILURE_PATH])];
export type TerminalType = 'order_completed' | 'order_failed';

/**
 * Where an event travels: the service that reacts to it, `observer` for the two
 * terminal events (the load driver watches them), or `local` for events that only
 * record progress inside the service that emits them.
 */
export type Channel = Exclude<ServiceName, never> | 'observer';

/** The envelope of one workflow event. Times are epoch microseconds. */
export interface OrderEvent {
  /** unique and deterministic (`<orderId>:<type>`): a redelivery keeps it, so services de-duplicate by it */
  eventId: string;
  orderId: string;
  customerId: string;
  /** the order's position among its customer's orders (1-based), for per-customer ordering checks */
  customerSeq: number;
  type: EventType;
  /** position of this event in the order's sequence (1-based) */
  seq: number;
  /** the order's intended start time from the load schedule (not when it was sent) */
  intendedAtUs: number;
  /** when the emitting service emitted this event */
  emittedAtUs: number;
  emittedBy: ServiceName;
  amountCents: number;
  sku: string;
  quantity: number;
}

/** What the load driver asks the order service to create. */
export interface OrderRequest {
  orderId: string;
  customerId: string;
  customerSeq: number;
  intendedAtUs: number;
  amountCents: number;
  sku: string;
  quantity: number;
}

/**
 * One record of a service's event log: the event it handled or emitted, and what it
 * did. The order's payload (amount, SKU, quantity) travels with the events but is not
 * kept in the log: nothing that reads the log needs it.
 */
export interface EventRecord extends Omit<OrderEvent, 'amountCents' | 'sku' | 'quantity'>, Partial<Pick<OrderEvent, 'amountCents' | 'sku' | 'quantity'>> {
  service: ServiceName;
  instance: number;
  /** `handled`: consumed from the transport; `emitted`: produced by this service */
  role: 'handled' | 'emitted';
  /** when the service handled it (role `handled`) or emitted it (`emitted`) */
  atUs: number;
  /** true when handling was a redelivery of an already-processed event (no side effect applied) */
  duplicate?: boolean;
  /** the side effect this handling applied, if any (e.g. `stock_reserved`) */
  effect?: string;
  /** for `emitted`: the event id (or `request:<orderId>`) whose handling emitted it */
  cause?: string;
}
