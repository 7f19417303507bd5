import { randomBytes } from 'node:crypto';
import net from 'node:net';
import amqp from 'amqplib';
import { Kafka, logLevel, Partitioners, type Admin, type Consumer, type Producer } from 'kafkajs';
import type stompit from 'stompit';
import { afterEach, describe, expect, it } from 'vitest';
import { activemqQueueStats, brokerEndpoints, stompConnect } from '../../src/brokers/index.js';
import { stompDestroy } from '../../src/brokers/stomp.js';

/** One produce/consume round trip per client library against the suite's real brokers. */

const skip = process.env.BENCH_SKIP_BROKERS === '1';
const uniqueName = (prefix: string) => `${prefix}-${randomBytes(5).toString('hex')}`;

describe.skipIf(skip)('kafka (kafkajs)', () => {
  let admin: Admin | undefined;
  let producer: Producer | undefined;
  let consumer: Consumer | undefined;
  afterEach(async () => {
    await consumer?.disconnect();
    await producer?.disconnect();
    await admin?.disconnect();
  });

  it('creates a topic, produces with acks=all and consumes in a consumer group', async () => {
    const kafka = new Kafka({ clientId: 'bench-test', brokers: brokerEndpoints().kafka.brokers, logLevel: logLevel.NOTHING });
    const topic = uniqueName('test-roundtrip');
    admin = kafka.admin();
    await admin.connect();
    expect(await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true })).toBe(true);
    producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const sent = ['a', 'b', 'c'].map((k) => ({ key: k, value: `order-${k}` }));
    await producer.send({ topic, acks: -1, messages: sent });
    consumer = kafka.consumer({ groupId: topic });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const got: string[] = [];
    await new Promise<void>((resolve) => {
      void consumer!.run({ eachMessage: async ({ message }) => {
        got.push(message.value!.toString());
        if (got.length === sent.length) resolve();
      } });
    });
    expect(got.sort()).toEqual(sent.map((m) => m.value).sort());
    const groups = await admin.describeGroups([topic]);
    expect(groups.groups[0]?.state).toBe('Stable');
  });
});

describe.skipIf(skip)('rabbitmq (amqplib)', () => {
  let conn: amqp.ChannelModel | undefined;
  afterEach(async () => {
    await conn?.close();
    conn = undefined;
  });

  it('publishes with a confirm and consumes from a fresh queue', async () => {
    conn = await amqp.connect(brokerEndpoints().rabbitmq.url);
    const ch = await conn.createConfirmChannel();
    const queue = uniqueName('test.roundtrip');
    await ch.assertQueue(queue, { durable: true, autoDelete: true });
    ch.sendToQueue(queue, Buffer.from('order-1'), { persistent: true });
    await ch.waitForConfirms();
    expect((await ch.checkQueue(queue)).messageCount).toBe(1);
    const body = await new Promise<string>((resolve) => {
      void ch.consume(queue, (m) => {
        if (!m) return;
        ch.ack(m);
        resolve(m.content.toString());
      });
    });
    expect(body).toBe('order-1');
  });

  it('has the consistent-hash exchange type for per-customer sharding', async () => {
    conn = await amqp.connect(brokerEndpoints().rabbitmq.url);
    const ch = await conn.createChannel();
    const exchange = uniqueName('test.hash');
    await ch.assertExchange(exchange, 'x-consistent-hash', { durable: false, autoDelete: true });
    await ch.deleteExchange(exchange);
  });
});

describe.skipIf(skip)('activemq (stompit)', () => {
  let client: stompit.Client | undefined;
  afterEach(() => {
    if (client) stompDestroy(client);
    client = undefined;
  });

  it('sends with a receipt, subscribes and receives; the statistics plugin reports the queue size', async () => {
    const { host, port } = brokerEndpoints().activemq;
    client = await stompConnect({ host, port });
    const c = client;
    const queue = uniqueName('test.roundtrip');
    const destination = `/queue/${queue}`;
    await new Promise<void>((resolve, reject) => {
      c.send({ destination, persistent: 'true', receipt: 'r-1' }, { onReceipt: resolve, onError: reject }).end('order-1');
    });
    const stats = await activemqQueueStats(queue);
    expect(stats.size).toBe(1);
    expect(stats.destinationName).toBe(`queue://${queue}`);
    const body = await new Promise<string>((resolve, reject) => {
      c.subscribe({ destination, ack: 'client-individual' }, (err, msg) => {
        if (err) return reject(err);
        msg.readString('utf8', (e, text) => {
          if (e) return reject(e);
          c.ack(msg);
          resolve(text ?? '');
        });
      });
    });
    expect(body).toBe('order-1');
  });

  it('an ERROR frame answering CONNECT rejects the connect instead of crashing the process', async () => {
    // the frame shape that trips stompit 1.0.0 (text/plain with a content-length)
    const server = net.createServer((socket) => {
      socket.once('data', () => socket.end('ERROR\nmessage:refused\ncontent-type:text/plain\ncontent-length:5\n\nnope!\0'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as net.AddressInfo;
      await expect(stompConnect({ host: '127.0.0.1', port, timeoutMs: 2000 })).rejects.toThrow(/refused/);
    } finally {
      server.close();
    }
  });
});
