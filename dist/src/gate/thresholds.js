import { ConfigError } from '../contract/errors.js';
import { parseThreshold } from './expression.js';
/**
 * Checks every expression and every transport key; throws ConfigError on the first
 * problem. `transports`: the transport names a map may use (besides `all`).
 */
export function validateThresholds(thresholds, transports) {
    if (thresholds === undefined)
        return;
    if (Array.isArray(thresholds)) {
        for (const t of thresholds)
            parseThreshold(t);
        return;
    }
    if (thresholds === null || typeof thresholds !== 'object') {
        throw new ConfigError('thresholds: expected a list of expressions, or a map of transport (or "all") to a list');
    }
    for (const [key, list] of Object.entries(thresholds)) {
        if (key !== 'all' && !transports.includes(key)) {
            throw new ConfigError(`thresholds: unknown transport "${key}"; expected all, ${transports.join(', ')}`);
        }
        if (!Array.isArray(list))
            throw new ConfigError(`thresholds.${key}: expected a list of expressions`);
        for (const t of list)
            parseThreshold(t);
    }
}
/** The parsed thresholds that apply to one transport: the list, or `all` plus the transport's own. */
export function thresholdsFor(thresholds, transport) {
    if (thresholds === undefined)
        return [];
    const exprs = Array.isArray(thresholds) ? thresholds : [...(thresholds['all'] ?? []), ...(thresholds[transport] ?? [])];
    return exprs.map(parseThreshold);
}
/** True when there is at least one expression. */
export function hasThresholds(thresholds) {
    if (thresholds === undefined)
        return false;
    return Array.isArray(thresholds) ? thresholds.length > 0 : Object.values(thresholds).some((l) => l.length > 0);
}
//# sourceMappingURL=thresholds.js.map