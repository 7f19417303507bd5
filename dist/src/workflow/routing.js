/**
 * Where each event goes once emitted: the service that reacts to it, `observer`
 * for terminal events, or `local` when nobody reacts (it is only recorded).
 */
export const ROUTES = {
    order_initiated: 'local',
    order_created: 'inventory',
    inventory_initiated: 'payment',
    payment_initiated: 'local',
    payment_completed: 'inventory',
    payment_failed: 'inventory',
    inventory_locked: 'shipment',
    inventory_released: 'order',
    shipment_initiated: 'local',
    shipment_completed: 'order',
    order_completed: 'observer',
    order_failed: 'observer',
};
/** The service that emits each event type. */
export const EMITTER = {
    order_initiated: 'order',
    order_created: 'order',
    inventory_initiated: 'inventory',
    payment_initiated: 'payment',
    payment_completed: 'payment',
    payment_failed: 'payment',
    inventory_locked: 'inventory',
    inventory_released: 'inventory',
    shipment_initiated: 'shipment',
    shipment_completed: 'shipment',
    order_completed: 'order',
    order_failed: 'order',
};
export function routeOf(type) {
    return ROUTES[type];
}
/** The channels a messaging run needs: one per reacting service, plus the observer. */
export const CHANNELS = ['inventory', 'payment', 'shipment', 'order', 'observer'];
/** The event types a service reacts to. */
export function consumedBy(service) {
    return Object.keys(ROUTES).filter((t) => ROUTES[t] === service);
}
/** Name of a hop: from the emitting service to the one that handles it, e.g. `order_created` (order→inventory). */
export function hopName(type) {
    const to = ROUTES[type];
    return `${EMITTER[type]}→${to === 'local' ? EMITTER[type] : to}:${type}`;
}
//# sourceMappingURL=routing.js.map