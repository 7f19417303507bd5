import { displayName, listOf } from '../findings/words.js';
const PHRASES = {
    acks: (v) => (v === 'all' ? 'confirmed once every in-sync replica has it' : `confirmed after acks=${String(v)}`),
    replicationFactor: (v) => (Number(v) <= 1 ? 'one copy, not replicated' : `replicated ×${String(v)}`),
    brokerFsync: (v) => (/no fsync/i.test(String(v)) ? 'not fsynced (page cache only)' : `fsync: ${String(v)}`),
    publisherConfirms: (v, all) => (v === true ? (all['persistent'] === true ? 'fsynced before the publisher confirm' : 'confirmed on arrival, not persisted') : 'no publisher confirm'),
    receiptPerSend: (v, all) => (v === true ? (all['persistent'] === true ? 'fsynced before the receipt' : 'receipted on arrival, not persisted') : 'no receipt'),
    queueType: (v) => (v === 'quorum' ? 'replicated by Raft (quorum queue)' : 'on one node (classic queue)'),
    publishAck: (v) => `confirmed when ${String(v).replace(/^[^:]*: /, '')}`,
    syncToDisk: (v) => (/none/i.test(String(v)) ? 'not on disk (memory store)' : /periodic/i.test(String(v)) ? 'written to file, fsynced periodically, not per message' : `disk: ${String(v)}`),
    replicas: (v) => (Number(v) <= 1 ? 'one copy, not replicated' : `replicated ×${String(v)}`),
    persistence: (v) => (/none/i.test(String(v)) ? 'nothing persisted: an order lives only in the services’ memory' : `persistence: ${String(v)}`),
};
/** One transport's durability clause, or null when none of its settings says. */
export function guaranteeOf(t) {
    const phrases = Object.entries(t.delivery)
        .map(([k, v]) => PHRASES[k]?.(v, t.delivery) ?? null)
        .filter((p) => p !== null);
    return phrases.length ? phrases.join(', ') : null;
}
/** `Kafka: …; RabbitMQ and ActiveMQ: …`, or null when fewer than two transports differ. */
export function guaranteeSentence(ts) {
    const byClause = new Map();
    for (const t of ts) {
        const clause = guaranteeOf(t) ?? 'not described by the adapter';
        byClause.set(clause, [...(byClause.get(clause) ?? []), displayName(t.name)]);
    }
    if (byClause.size < 2)
        return null;
    return [...byClause].map(([clause, names]) => `${listOf(names)}: ${clause}`).join('; ');
}
//# sourceMappingURL=guarantees.js.map