import net from 'node:net';
import tls from 'node:tls';
import type { KafkaEndpoint } from '../../src/contract/endpoints.js';
import { tlsConnectOptions } from '../../src/contract/secrets.js';

/**
 * A raw ApiVersions (v3) exchange with one broker, without kafkajs: it answers within
 * a deadline, never retries, and returns what kafkajs does not expose, the cluster's
 * finalized feature levels (`metadata.version`). Kafka does not report its release
 * version over the protocol; the finalized metadata.version is the closest it gets.
 */
export interface ApiVersionsAnswer {
  /** api key -> [min, max] version the broker supports */
  apiVersions: Map<number, [number, number]>;
  /** finalized features, e.g. metadata.version -> 33 */
  finalizedFeatures: Map<string, number>;
}

const API_VERSIONS_KEY = 18;
const CLIENT_SOFTWARE = 'bench-kafka-probe';

function uvarint(n: number): Buffer {
  const bytes: number[] = [];
  let v = n >>> 0;
  while (v >= 0x80) {
    bytes.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  bytes.push(v);
  return Buffer.from(bytes);
}

function compactString(s: string): Buffer {
  const b = Buffer.from(s, 'utf8');
  return Buffer.concat([uvarint(b.length + 1), b]);
}

function request(correlationId: number): Buffer {
  const clientId = Buffer.from(CLIENT_SOFTWARE, 'utf8');
  const header = Buffer.alloc(10);
  header.writeInt16BE(API_VERSIONS_KEY, 0);
  header.writeInt16BE(3, 2);
  header.writeInt32BE(correlationId, 4);
  header.writeInt16BE(clientId.length, 8);
  const body = Buffer.concat([header, clientId, uvarint(0), compactString(CLIENT_SOFTWARE), compactString('1'), uvarint(0)]);
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length, 0);
  return Buffer.concat([size, body]);
}

class Reader {
  constructor(
    private readonly buf: Buffer,
    public pos = 0,
  ) {}
  int16(): number {
    const v = this.buf.readInt16BE(this.pos);
    this.pos += 2;
    return v;
  }
  int32(): number {
    const v = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  uvarint(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const byte = this.buf.readUInt8(this.pos++);
      result |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result >>> 0;
      shift += 7;
    }
  }
  compactString(): string {
    const len = this.uvarint() - 1;
    const s = this.buf.toString('utf8', this.pos, this.pos + len);
    this.pos += len;
    return s;
  }
  skipTaggedFields(): void {
    const n = this.uvarint();
    for (let i = 0; i < n; i++) {
      this.uvarint();
      this.pos += this.uvarint();
    }
  }
}

function parse(frame: Buffer): ApiVersionsAnswer {
  const r = new Reader(frame);
  r.int32(); // correlation id (response header v0)
  const errorCode = r.int16();
  if (errorCode !== 0) throw new Error(`ApiVersions answered error code ${errorCode}`);
  const apiVersions = new Map<number, [number, number]>();
  const count = r.uvarint() - 1;
  for (let i = 0; i < count; i++) {
    const key = r.int16();
    const min = r.int16();
    const max = r.int16();
    r.skipTaggedFields();
    apiVersions.set(key, [min, max]);
  }
  r.int32(); // throttle time
  const finalizedFeatures = new Map<string, number>();
  const tags = r.uvarint();
  for (let i = 0; i < tags; i++) {
    const tag = r.uvarint();
    const size = r.uvarint();
    const end = r.pos + size;
    if (tag === 2) {
      const n = r.uvarint() - 1;
      for (let j = 0; j < n; j++) {
        const name = r.compactString();
        const maxLevel = r.int16();
        r.int16(); // min level
        r.skipTaggedFields();
        finalizedFeatures.set(name, maxLevel);
      }
    }
    r.pos = end;
  }
  return { apiVersions, finalizedFeatures };
}

function splitAddress(broker: string): { host: string; port: number } {
  const i = broker.lastIndexOf(':');
  return { host: broker.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(broker.slice(i + 1)) };
}

/**
 * ApiVersions from one broker (`host:port`) within `timeoutMs`; rejects on any failure.
 * With `tlsOptions` it speaks TLS; a broker answers ApiVersions before SASL authentication.
 */
export function probeApiVersions(broker: string, timeoutMs: number, tlsOptions?: tls.ConnectionOptions): Promise<ApiVersionsAnswer> {
  const { host, port } = splitAddress(broker);
  return new Promise((resolve, reject) => {
    let received = Buffer.alloc(0);
    const socket = tlsOptions ? tls.connect({ host, port, ...tlsOptions }) : net.connect({ host, port });
    const finish = (err: Error | undefined, answer?: ApiVersionsAnswer): void => {
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve(answer!);
    };
    const timer = setTimeout(() => finish(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    socket.once(tlsOptions ? 'secureConnect' : 'connect', () => socket.write(request(1)));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 4) return;
      const size = received.readInt32BE(0);
      if (received.length < 4 + size) return;
      try {
        finish(undefined, parse(received.subarray(4, 4 + size)));
      } catch (e) {
        finish(e as Error);
      }
    });
    socket.once('error', (e) => finish(e));
    socket.once('close', () => finish(new Error('connection closed before an answer')));
  });
}

/** The first bootstrap broker that answers, or the last failure. */
export async function probeAny(endpoint: KafkaEndpoint, timeoutMs: number): Promise<ApiVersionsAnswer> {
  const security = endpoint.security ?? 'PLAINTEXT';
  const tlsOptions = security.endsWith('SSL') ? tlsConnectOptions(endpoint.tls) : undefined;
  let last: unknown = new Error('no broker address given');
  for (const b of endpoint.brokers) {
    try {
      return await probeApiVersions(b, timeoutMs, tlsOptions);
    } catch (e) {
      last = e;
    }
  }
  throw last;
}
