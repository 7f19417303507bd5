/**
 * A consumer process that is meant to be killed: it subscribes as one member of a
 * channel, reports the first event it receives, and never finishes handling
 * anything, so nothing it received is ever acknowledged.
 *
 *   node --import tsx test/contract/kill-consumer.ts <adapter> <json spec> [channel] [instance]
 *
 * stdout lines: `READY` once subscribed, `GOT <json {eventId, redelivered}>` for each event.
 */
import type { Channel } from '../../src/contract/events.js';
import type { MessagingAdapter, MessagingRunSpec, MessagingTransportName } from '../../src/contract/transport.js';
import { loadMessagingAdapter } from '../../src/runtime/adapters.js';

const [adapterName, specJson, channelArg, instanceArg] = process.argv.slice(2);
if (!adapterName || !specJson) {
  process.stderr.write('usage: kill-consumer.ts <adapter> <json spec> [channel] [instance]\n');
  process.exit(2);
}
const spec = JSON.parse(specJson) as MessagingRunSpec;
const channel = (channelArg ?? 'inventory') as Channel;
const instance = Number(instanceArg ?? 0);

// the runtime's own choice: the spec's settings can pick a client (Kafka: kafkajs or librdkafka)
const adapter = (await loadMessagingAdapter(adapterName as MessagingTransportName, spec.settings)) as MessagingAdapter;
const connection = await adapter.connect(spec, `kill-consumer-${process.pid}`);
await connection.subscribe(channel, { service: 'inventory', instance }, async (event, delivery) => {
  process.stdout.write(`GOT ${JSON.stringify({ eventId: event.eventId, redelivered: delivery.redelivered })}\n`);
  // Block forever inside the handler: this event is never acknowledged.
  await new Promise<never>(() => {});
});
process.stdout.write('READY\n');
// Keep the process alive even if the client library unrefs its sockets.
setInterval(() => {}, 60_000);
