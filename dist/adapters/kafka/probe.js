import net from 'node:net';
import tls from 'node:tls';
import { tlsConnectOptions } from '../../src/contract/secrets.js';
const API_VERSIONS_KEY = 18;
const CLIENT_SOFTWARE = 'bench-kafka-probe';
function uvarint(n) {
    const bytes = [];
    let v = n >>> 0;
    while (v >= 0x80) {
        bytes.push((v & 0x7f) | 0x80);
        v >>>= 7;
    }
    bytes.push(v);
    return Buffer.from(bytes);
}
function compactString(s) {
    const b = Buffer.from(s, 'utf8');
    return Buffer.concat([uvarint(b.length + 1), b]);
}
function request(correlationId) {
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
    buf;
    pos;
    constructor(buf, pos = 0) {
        this.buf = buf;
        this.pos = pos;
    }
    int16() {
        const v = this.buf.readInt16BE(this.pos);
        this.pos += 2;
        return v;
    }
    int32() {
        const v = this.buf.readInt32BE(this.pos);
        this.pos += 4;
        return v;
    }
    uvarint() {
        let result = 0;
        let shift = 0;
        for (;;) {
            const byte = this.buf.readUInt8(this.pos++);
            result |= (byte & 0x7f) << shift;
            if ((byte & 0x80) === 0)
                return result >>> 0;
            shift += 7;
        }
    }
    compactString() {
        const len = this.uvarint() - 1;
        const s = this.buf.toString('utf8', this.pos, this.pos + len);
        this.pos += len;
        return s;
    }
    skipTaggedFields() {
        const n = this.uvarint();
        for (let i = 0; i < n; i++) {
            this.uvarint();
            this.pos += this.uvarint();
        }
    }
}
function parse(frame) {
    const r = new Reader(frame);
    r.int32(); // correlation id (response header v0)
    const errorCode = r.int16();
    if (errorCode !== 0)
        throw new Error(`ApiVersions answered error code ${errorCode}`);
    const apiVersions = new Map();
    const count = r.uvarint() - 1;
    for (let i = 0; i < count; i++) {
        const key = r.int16();
        const min = r.int16();
        const max = r.int16();
        r.skipTaggedFields();
        apiVersions.set(key, [min, max]);
    }
    r.int32(); // throttle time
    const finalizedFeatures = new Map();
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
function splitAddress(broker) {
    const i = broker.lastIndexOf(':');
    return { host: broker.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(broker.slice(i + 1)) };
}
/**
 * ApiVersions from one broker (`host:port`) within `timeoutMs`; rejects on any failure.
 * With `tlsOptions` it speaks TLS; a broker answers ApiVersions before SASL authentication.
 */
export function probeApiVersions(broker, timeoutMs, tlsOptions) {
    const { host, port } = splitAddress(broker);
    return new Promise((resolve, reject) => {
        let received = Buffer.alloc(0);
        const socket = tlsOptions ? tls.connect({ host, port, ...tlsOptions }) : net.connect({ host, port });
        const finish = (err, answer) => {
            clearTimeout(timer);
            socket.destroy();
            if (err)
                reject(err);
            else
                resolve(answer);
        };
        const timer = setTimeout(() => finish(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        socket.once(tlsOptions ? 'secureConnect' : 'connect', () => socket.write(request(1)));
        socket.on('data', (chunk) => {
            received = Buffer.concat([received, chunk]);
            if (received.length < 4)
                return;
            const size = received.readInt32BE(0);
            if (received.length < 4 + size)
                return;
            try {
                finish(undefined, parse(received.subarray(4, 4 + size)));
            }
            catch (e) {
                finish(e);
            }
        });
        socket.once('error', (e) => finish(e));
        socket.once('close', () => finish(new Error('connection closed before an answer')));
    });
}
/** The first bootstrap broker that answers, or the last failure. */
export async function probeAny(endpoint, timeoutMs) {
    const security = endpoint.security ?? 'PLAINTEXT';
    const tlsOptions = security.endsWith('SSL') ? tlsConnectOptions(endpoint.tls) : undefined;
    let last = new Error('no broker address given');
    for (const b of endpoint.brokers) {
        try {
            return await probeApiVersions(b, timeoutMs, tlsOptions);
        }
        catch (e) {
            last = e;
        }
    }
    throw last;
}
//# sourceMappingURL=probe.js.map