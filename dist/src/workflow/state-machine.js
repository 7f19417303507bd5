import { FAILURE_PATH, HAPPY_PATH } from '../contract/events.js';
/** Allowed successors of each event type across both paths. */
const NEXT = (() => {
    const next = new Map();
    for (const path of [HAPPY_PATH, FAILURE_PATH]) {
        let prev = 'start';
        for (const type of path) {
            if (!next.has(prev))
                next.set(prev, new Set());
            next.get(prev).add(type);
            prev = type;
        }
    }
    return next;
})();
export function isTerminal(type) {
    return type === 'order_completed' || type === 'order_failed';
}
/** Whether `type` may follow `prev` (`start` for the first event of an order). */
export function isAllowedTransition(prev, type) {
    return NEXT.get(prev)?.has(type) ?? false;
}
/** The expected sequence for an order, given whether its payment fails. */
export function expectedPath(paymentFails) {
    return paymentFails ? FAILURE_PATH : HAPPY_PATH;
}
/** Position (1-based) of an event type in its path. */
export function seqOf(type) {
    const h = HAPPY_PATH.indexOf(type);
    if (h >= 0)
        return h + 1;
    return FAILURE_PATH.indexOf(type) + 1;
}
/**
 * Checks one order's events, in the order they happened (duplicates already removed),
 * against the workflow's state machine.
 */
export function checkSequence(types) {
    const invalid = [];
    let prev = 'start';
    let terminal;
    let terminals = 0;
    for (const type of types) {
        if (!isAllowedTransition(prev, type))
            invalid.push(`${prev}→${type}`);
        if (isTerminal(type)) {
            terminals++;
            terminal ??= type;
        }
        prev = type;
    }
    const verdict = { invalid, multipleTerminals: terminals > 1 };
    if (terminal)
        verdict.terminal = terminal;
    return verdict;
}
//# sourceMappingURL=state-machine.js.map