/**
 * Lists the queues and exchanges of a vhost. AMQP itself cannot list objects, so
 * this asks the management HTTP API (port 15672) when the plugin answers, and
 * otherwise `rabbitmqctl` when the broker runs on this machine.
 */
import { execFile } from 'node:child_process';
import http from 'node:http';
import https from 'node:https';
import { BenchError } from '../../src/contract/errors.js';
import { readSecret, tlsConnectOptions } from '../../src/contract/secrets.js';
const MANAGEMENT_PORT = 15672;
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
/**
 * The endpoint's `managementUrl` when it names one (https with the endpoint's CA and
 * login); else the management API beside a local broker, then rabbitmqctl.
 */
export async function listBrokerObjects(endpoint) {
    const url = new URL(endpoint.url);
    const vhost = endpoint.vhost ?? (decodeURIComponent(url.pathname.slice(1)) || '/');
    if (endpoint.managementUrl)
        return listViaManagementUrl(endpoint, vhost);
    const fromApi = await listViaManagementApi(url, vhost).catch(() => null);
    if (fromApi)
        return fromApi;
    if (LOCAL_HOSTS.has(url.hostname))
        return listViaRabbitmqctl(vhost);
    throw new BenchError('TRANSPORT', `rabbitmq at ${url.hostname}: cannot list queues (no management API on port ${MANAGEMENT_PORT}, and rabbitmqctl only reaches a local broker); name one with managementUrl in the target`);
}
/** GET on the management API at `managementUrl`, over https with the endpoint's TLS files. */
function getJson(endpoint, path) {
    const base = new URL(endpoint.managementUrl);
    const target = new URL(`${base.pathname.replace(/\/$/, '')}/api/${path}`, base);
    const user = endpoint.username ?? 'guest';
    const pass = endpoint.password ? readSecret(endpoint.password) : 'guest';
    const options = {
        headers: { authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}` },
        timeout: 5_000,
        ...(target.protocol === 'https:' ? tlsConnectOptions(endpoint.tls) : {}),
    };
    return new Promise((resolve, reject) => {
        const request = (target.protocol === 'https:' ? https : http).get(target, options, (response) => {
            const chunks = [];
            response.on('data', (c) => chunks.push(c));
            response.on('end', () => {
                if (response.statusCode !== 200)
                    return reject(new BenchError('TRANSPORT', `rabbitmq management API at ${base.host}: HTTP ${response.statusCode} for ${target.pathname}`));
                try {
                    resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
                }
                catch (err) {
                    reject(new BenchError('TRANSPORT', `rabbitmq management API at ${base.host}: unreadable answer`, { cause: err }));
                }
            });
        });
        request.on('timeout', () => request.destroy(new Error('timed out')));
        request.on('error', (err) => reject(new BenchError('TRANSPORT', `rabbitmq management API at ${base.host}: ${err.message}`, { cause: err })));
    });
}
async function listViaManagementUrl(endpoint, vhost) {
    const names = async (kind) => (await getJson(endpoint, `${kind}/${encodeURIComponent(vhost)}?columns=name`)).map((o) => o.name);
    const [queues, exchanges] = await Promise.all([names('queues'), names('exchanges')]);
    return { queues, exchanges, via: 'management-api' };
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