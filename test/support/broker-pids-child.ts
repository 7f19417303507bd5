/**
 * Looks up broker pids as whatever user runs it (the unit test runs it as `nobody`):
 * `node --import tsx broker-pids-child.ts '<endpoints json>'`. Listens on a port of its
 * own first and looks that up too; prints `{ own, pid, ss, proc }` as JSON.
 */
import net from 'node:net';
import { brokerPids, type BrokerEndpoint } from '../../src/runtime/broker-pids.js';

const endpoints = JSON.parse(process.argv[2] ?? '[]') as BrokerEndpoint[];
const server = net.createServer();
await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
const own: BrokerEndpoint = { name: 'own', host: '127.0.0.1', port: (server.address() as net.AddressInfo).port };
const all = [own, ...endpoints];
const [ss, proc] = [await brokerPids(all), await brokerPids(all, { useSs: false })];
console.log(JSON.stringify({ pid: process.pid, ss, proc }));
server.close();
