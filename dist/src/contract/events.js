/**
 * The order workflow's vocabulary: services, event types and the event envelope
 * every transport carries. Types and constants only; no dependencies.
 */
export const SERVICE_NAMES = ['order', 'inventory', 'payment', 'shipment'];
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
];
/** Payment failure path, 7 events; compensation releases the reserved stock. */
export const FAILURE_PATH = [
    'order_initiated',
    'order_created',
    'inventory_initiated',
    'payment_initiated',
    'payment_failed',
    'inventory_released',
    'order_failed',
];
export const EVENT_TYPES = [...new Set([...HAPPY_PATH, ...FAILURE_PATH])];
//# sourceMappingURL=events.js.map