/**
 * Small helpers that turn figures into plain English: transport names as people
 * write them, lists ("a, b and c"), ranges ("60–208 ms") and numbers rounded to what
 * a sentence needs.
 */
const PROPER = {
    rest: 'REST',
    kafka: 'Kafka',
    rabbitmq: 'RabbitMQ',
    activemq: 'ActiveMQ',
    nats: 'NATS',
    redis: 'Redis',
    mqtt: 'MQTT',
    librdkafka: 'librdkafka',
};
/** `kafka` → `Kafka`; `kafka · 3 instances` → `Kafka · 3 instances`; unknown names unchanged. */
export function displayName(name) {
    const [head, ...rest] = name.split(' ');
    const proper = PROPER[head.toLowerCase()];
    return proper ? [proper, ...rest].join(' ') : name;
}
/** `a`, `a and b`, `a, b and c`. */
export function listOf(items) {
    if (items.length <= 1)
        return items[0] ?? '';
    return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
/** A number as a sentence shows it: 3 significant digits at most, no trailing zeros. */
export function num(value) {
    if (!Number.isFinite(value))
        return String(value);
    const abs = Math.abs(value);
    if (abs >= 100)
        return Math.round(value).toLocaleString('en-US');
    if (abs >= 10)
        return String(Math.round(value * 10) / 10);
    if (abs >= 1)
        return String(Math.round(value * 100) / 100);
    return String(Math.round(value * 1000) / 1000);
}
/** `22 ms`, or the range `60–208 ms` of several values. */
export function rangeOf(values, unit) {
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    const u = unit ? ` ${unit}` : '';
    return num(lo) === num(hi) ? `${num(lo)}${u}` : `${num(lo)}–${num(hi)}${u}`;
}
/** A signed percentage: `+35 %`, `−12 %`. */
export function signedPct(pct) {
    if (!Number.isFinite(pct))
        return pct > 0 ? '+∞ %' : '−∞ %';
    const r = Math.abs(pct) >= 10 ? Math.round(pct) : Math.round(pct * 10) / 10;
    return `${r > 0 ? '+' : r < 0 ? '−' : '±'}${Math.abs(r)} %`;
}
/** `1 order`, `3 orders`. */
export function plural(n, one, many = `${one}s`) {
    return `${num(n)} ${n === 1 ? one : many}`;
}
//# sourceMappingURL=words.js.map