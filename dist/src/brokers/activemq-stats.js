import { randomBytes } from 'node:crypto';
import { withTimeout } from './process.js';
import { resolveSettings } from './settings.js';
import { stompConnect, stompDestroy } from './stomp.js';
/**
 * Queue statistics from ActiveMQ's statisticsBrokerPlugin, over STOMP: a message to
 * `ActiveMQ.Statistics.Destination.<queue>` is answered on its reply-to with a map
 * (size, enqueueCount, dequeueCount, consumerCount, …), read here as JSON.
 */
export async function activemqQueueStats(queue, opts = {}) {
    const s = resolveSettings(opts);
    const timeoutMs = opts.timeoutMs ?? 5000;
    const client = await stompConnect({ host: s.host, port: s.ports.stomp, timeoutMs });
    const replyTo = `/temp-queue/bench.stats.${randomBytes(4).toString('hex')}`;
    try {
        const body = await withTimeout(new Promise((resolve, reject) => {
            client.on('error', reject);
            client.subscribe({ destination: replyTo, ack: 'auto', transformation: 'jms-map-json' }, (err, msg) => {
                if (err)
                    return reject(err);
                msg.readString('utf8', (e, text) => (e ? reject(e) : resolve(text ?? '')));
            });
            client.send({ destination: `/queue/ActiveMQ.Statistics.Destination.${queue}`, 'reply-to': replyTo }, { onReceipt: () => undefined, onError: reject }).end('');
        }), timeoutMs, `statistics of ${queue}`);
        return parseMapJson(body);
    }
    finally {
        stompDestroy(client);
    }
}
/** {"map":{"entry":[{"string":"size","long":1},{"string":["brokerName","bench"]}, …]}} → { size: 1, brokerName: 'bench' } */
export function parseMapJson(body) {
    const parsed = JSON.parse(body);
    const out = {};
    for (const e of parsed.map?.entry ?? []) {
        const key = e.string;
        if (Array.isArray(key))
            out[String(key[0])] = String(key[1]);
        else if (typeof key === 'string') {
            const value = Object.entries(e).find(([k]) => k !== 'string')?.[1];
            out[key] = typeof value === 'number' ? value : Number(value);
        }
    }
    return out;
}
//# sourceMappingURL=activemq-stats.js.map