import { escapeHtml } from './escape.js';
import { transportStyles } from './palette.js';
import { formatNumber } from './verdict.js';
/**
 * Per-hop latency (emitted → handled) as grouped horizontal bars in SVG: one group per
 * hop, one bar per transport at p50, with a whisker out to p99.
 */
const EVENT_ORDER = [
    'order_initiated',
    'order_created',
    'inventory_initiated',
    'payment_initiated',
    'payment_completed',
    'payment_failed',
    'inventory_locked',
    'inventory_released',
    'shipment_initiated',
    'shipment_completed',
    'order_completed',
    'order_failed',
];
function hopRank(hop) {
    const event = hop.includes(':') ? hop.slice(hop.lastIndexOf(':') + 1) : hop;
    const i = EVENT_ORDER.indexOf(event);
    return i < 0 ? EVENT_ORDER.length : i;
}
/** Hop names across transports, in workflow order. */
export function hopNames(result) {
    const names = [...new Set(result.transports.flatMap((t) => Object.keys(t.latency.hops)))];
    return names.sort((a, b) => hopRank(a) - hopRank(b) || a.localeCompare(b));
}
export function hopsSvg(result) {
    const hops = hopNames(result);
    if (hops.length === 0)
        return null;
    const ts = result.transports;
    const styles = transportStyles(ts.map((t) => t.name));
    const barH = 16;
    const groupGap = 18;
    const labelW = 360;
    const plotW = 560;
    const groupH = ts.length * (barH + 3) + groupGap;
    const top = 44;
    const height = top + hops.length * groupH + 40;
    const width = labelW + plotW + 150;
    const maxMs = Math.max(0.001, ...ts.flatMap((t) => Object.values(t.latency.hops).filter((s) => s.count > 0).map((s) => s.p99)));
    const scale = (ms) => (ms / maxMs) * plotW;
    const parts = [
        `<svg class="hops" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="per-hop latency">`,
    ];
    // legend
    let lx = labelW;
    ts.forEach((t, i) => {
        parts.push(`<rect x="${lx}" y="8" width="22" height="16" fill="${styles[i].colour}"/>`, `<text x="${lx + 28}" y="22" class="hop-legend">${escapeHtml(t.name)}</text>`);
        lx += 40 + t.name.length * 10;
    });
    // grid
    for (let k = 0; k <= 4; k++) {
        const x = labelW + (plotW * k) / 4;
        parts.push(`<line x1="${x}" y1="${top - 6}" x2="${x}" y2="${height - 30}" stroke="rgba(0,0,0,0.12)"/>`, `<text x="${x}" y="${height - 10}" text-anchor="middle" class="hop-tick">${escapeHtml(formatNumber((maxMs * k) / 4, 'ms'))} ms</text>`);
    }
    hops.forEach((hop, g) => {
        const y0 = top + g * groupH;
        parts.push(`<text x="${labelW - 12}" y="${y0 + (ts.length * (barH + 3)) / 2 + 5}" text-anchor="end" class="hop-label">${escapeHtml(hop)}</text>`);
        ts.forEach((t, i) => {
            const s = t.latency.hops[hop];
            const y = y0 + i * (barH + 3);
            if (!s || s.count === 0) {
                parts.push(`<text x="${labelW + 4}" y="${y + barH - 3}" class="hop-value">${escapeHtml(t.name)}: no events</text>`);
                return;
            }
            const w50 = Math.max(1, scale(s.p50));
            const w99 = scale(s.p99);
            const floor = t.calibration;
            if (floor && floor.p50 > 0) {
                // the transport's calibrated raw round trip: no hop can be faster than this
                const fx = labelW + Math.min(plotW, scale(floor.p50));
                parts.push(`<line class="floor" x1="${fx.toFixed(1)}" y1="${y - 1}" x2="${fx.toFixed(1)}" y2="${y + barH + 1}" stroke="#111" stroke-width="2" stroke-dasharray="3 2"><title>${escapeHtml(`${t.name} floor: p50 ${floor.p50} ms, p99 ${floor.p99} ms (${floor.what})`)}</title></line>`);
            }
            parts.push(`<rect x="${labelW}" y="${y}" width="${w50.toFixed(1)}" height="${barH}" fill="${styles[i].colour}"><title>${escapeHtml(`${t.name} ${hop}: p50 ${s.p50} ms, p99 ${s.p99} ms`)}</title></rect>`, `<line x1="${(labelW + w50).toFixed(1)}" y1="${y + barH / 2}" x2="${(labelW + w99).toFixed(1)}" y2="${y + barH / 2}" stroke="#111" stroke-width="2"/>`, `<line x1="${(labelW + w99).toFixed(1)}" y1="${y + 2}" x2="${(labelW + w99).toFixed(1)}" y2="${y + barH - 2}" stroke="#111" stroke-width="2"/>`, `<text x="${(labelW + Math.max(w99, w50) + 8).toFixed(1)}" y="${y + barH - 3}" class="hop-value">${escapeHtml(formatNumber(s.p50, 'ms'))} / ${escapeHtml(formatNumber(s.p99, 'ms'))} ms${floor && floor.p50 > 0 ? escapeHtml(` (${(s.p50 / floor.p50).toFixed(1)}× floor)`) : ''}</text>`);
        });
    });
    parts.push('</svg>');
    return parts.join('');
}
//# sourceMappingURL=hops.js.map