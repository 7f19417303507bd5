/**
 * Lists the queues and exchanges of a vhost. AMQP itself cannot list objects, so
 * this asks the management HTTP API (port 15672) when the plugin answers, and
 * otherwise `rabbitmqctl` when the broker runs on this machine.
 */
import { execFile } from 'node:child_process';
import { BenchError } from '../../src/contract/errors.js';
const MANAGEMENT_PORT = 15672;
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
export async function listBrokerObjects(amqpUrl) {
    const url = new URL(amqpUrl);
    const vhost = decodeURIComponent(url.pathname.slice(1)) || '/';
    const fromApi = await listViaManagementApi(url, vhost).catch(() => null);
    if (fromApi)
        return fromApi;
    if (LOCAL_HOSTS.has(url.hostname))
        return listViaRabbitmqctl(vhost);
    throw new BenchError('TRANSPORT', `rabbitmq at ${url.hostname}: cannot list queues (no management API on port ${MANAGEMENT_PORT}, and rabbitmqctl only reaches a local broker)`);
}
async function listViaManagementApi(url, vhost) {
    const base = `http://${url.hostname}:${MANAGEMENT_PORT}/api`;
    const auth = `Basic ${Buffer.from(`${decodeURIComponent(url.username || 'guest')}:${decodeURIComponent(url.password || 'guest')}`).toString('base64')}`;
    const get = async (kind) => {
        const response = await fetch(`${base}/${kind}/${encodeURIComponent(vhost)}?columns=name`, { headers: { authorization: auth }, signal: AbortSignal.timeout(1_000) });
        if (!response.ok)
            throw new Error(`HTTP ${response.status}`);
        return (await response.json()).map((o) => o.name);
    };
    const [queues, exchanges] = await Promise.all([get('queues'), get('exchanges')]);
    return { queues, exchanges, via: 'management-api' };
}
async function listViaRabbitmqctl(vhost) {
    const run = (kind) => new Promise((resolve, reject) => {
        execFile('rabbitmqctl', [kind, '-p', vhost, '-q', '--formatter', 'json', 'name'], { timeout: 15_000 }, (err, stdout, stderr) => {
            if (err)
                return reject(new BenchError('TRANSPORT', `rabbitmqctl ${kind} failed: ${(stderr || err.message).trim().split('\n')[0]}`, { cause: err }));
            try {
                resolve(JSON.parse(stdout).map((o) => o.name));
            }
            catch (parseError) {
                reject(new BenchError('TRANSPORT', `rabbitmqctl ${kind}: unreadable output`, { cause: parseError }));
            }
        });
    });
    const [queues, exchanges] = await Promise.all([run('list_queues'), run('list_exchanges')]);
    return { queues, exchanges, via: 'rabbitmqctl' };
}
//# sourceMappingURL=listing.js.map