import { inflateSync } from 'node:zlib';
import { decodeHistogram } from './histogram.js';
const COMPRESSED_COOKIE_BASE = 0x1c849304;
const COOKIE_BASE = 0x1c849303;
/** Reads a ZigZag LEB128 number at `pos`; returns [value, next position]. */
function zigzag(buf, pos) {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 9; i++) {
        const b = buf[pos++];
        // the ninth byte carries 8 bits
        value += (i === 8 ? b : b & 0x7f) * scale;
        if (i === 8 || (b & 0x80) === 0)
            break;
        scale *= 128;
    }
    return [value % 2 === 0 ? value / 2 : -(value + 1) / 2, pos];
}
export function decodeSparse(encoded) {
    if (encoded === '')
        return { valuesUs: new Float64Array(0), counts: new Float64Array(0), total: 0 };
    const outer = Buffer.from(encoded.trim(), 'base64');
    if (((outer.readInt32BE(0) & ~0xf0) >>> 0) !== COMPRESSED_COOKIE_BASE)
        return viaLibrary(encoded);
    const length = outer.readInt32BE(4);
    const buf = inflateSync(outer.subarray(8, 8 + length));
    if (((buf.readInt32BE(0) & ~0xf0) >>> 0) !== COOKIE_BASE)
        return viaLibrary(encoded);
    const payloadLength = buf.readInt32BE(4);
    // bytes 8-11: the normalizing index offset, which hdr-histogram-js writes as 1 and ignores on decode (so do we)
    const digits = buf.readInt32BE(12);
    const lowest = Number(buf.readBigInt64BE(16));
    const unitMagnitude = Math.floor(Math.log2(lowest));
    const subBucketCountMagnitude = Math.ceil(Math.log2(2 * Math.floor(10 ** digits)));
    const halfMagnitude = (subBucketCountMagnitude > 1 ? subBucketCountMagnitude : 1) - 1;
    const half = 2 ** halfMagnitude;
    const values = [];
    const counts = [];
    let total = 0;
    let index = 0;
    let pos = 40;
    const end = 40 + payloadLength;
    while (pos < end) {
        const [n, next] = zigzag(buf, pos);
        pos = next;
        if (n < 0) {
            index -= n;
            continue;
        }
        if (n > 0) {
            let bucket = Math.floor(index / half) - 1;
            let sub = (index % half) + half;
            if (bucket < 0) {
                sub -= half;
                bucket = 0;
            }
            const step = 2 ** (bucket + unitMagnitude);
            values.push(sub * step + step - 1);
            counts.push(n);
            total += n;
        }
        index++;
    }
    return { valuesUs: Float64Array.from(values), counts: Float64Array.from(counts), total };
}
function viaLibrary(encoded) {
    const it = decodeHistogram(encoded).recordedValuesIterator;
    const values = [];
    const counts = [];
    let total = 0;
    it.reset();
    while (it.hasNext()) {
        const v = it.next();
        values.push(v.valueIteratedTo);
        counts.push(v.countAtValueIteratedTo);
        total += v.countAtValueIteratedTo;
    }
    return { valuesUs: Float64Array.from(values), counts: Float64Array.from(counts), total };
}
//# sourceMappingURL=sparse-histogram.js.map