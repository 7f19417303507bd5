import { escapeHtml } from './escape.js';
import { formatNumber } from './verdict.js';
const COLOURS = { driver: '#8c8c8c', order: '#56B4E9', inventory: '#E69F00', payment: '#D55E00', shipment: '#F0E442' };
const BROKER_COLOURS = ['#0072B2', '#CC79A7', '#009E73', '#000000'];
function mean(xs) {
    const v = xs.filter((x) => x !== null && Number.isFinite(x));
    return v.length ? v.reduce((a, b) => a + b, 0) / v.length : 0;
}
/** The bar of one transport, from its samples inside the measured window; null without samples. */
export function cpuBar(t) {
    const r = t.resources;
    if (!r || r.t.length === 0)
        return null;
    const inWindow = r.t.map((x, i) => (x >= 0 ? i : -1)).filter((i) => i >= 0);
    const pick = (xs) => (inWindow.length ? inWindow.map((i) => xs[i]) : xs);
    const byPart = new Map();
    for (const p of r.processes) {
        const part = p.role === 'driver' ? 'driver' : p.name.replace(/#\d+$/, '');
        const share = byPart.get(part) ?? { part, role: p.role, cores: 0 };
        share.cores += mean(pick(p.cpuPct)) / 100;
        byPart.set(part, share);
    }
    const order = (s) => (s.role === 'driver' ? 0 : s.role === 'service' ? 1 : 2);
    const parts = [...byPart.values()].sort((a, b) => order(a) - order(b));
    const machine = pick(r.machine.cpuPct);
    return {
        transport: t.name,
        parts,
        machineCores: machine.some((x) => x !== null) ? (mean(machine) / 100) * r.machine.cores : null,
        cores: r.machine.cores,
    };
}
export function cpuSvg(result) {
    const bars = result.transports.map(cpuBar);
    if (bars.every((b) => b === null))
        return null;
    const labelW = 200;
    const plotW = 760;
    const barH = 30;
    const gap = 26;
    const top = 56;
    const cores = Math.max(1, ...bars.map((b) => b?.cores ?? 1));
    const maxCores = Math.max(cores, ...bars.map((b) => Math.max(b?.machineCores ?? 0, b?.parts.reduce((a, p) => a + p.cores, 0) ?? 0)));
    const scale = (c) => (c / maxCores) * plotW;
    const height = top + result.transports.length * (barH + gap) + 40;
    const width = labelW + plotW + 120;
    const brokers = [...new Set(bars.flatMap((b) => b?.parts.filter((p) => p.role === 'broker').map((p) => p.part) ?? []))];
    const colour = (s) => (s.role === 'broker' ? BROKER_COLOURS[brokers.indexOf(s.part) % BROKER_COLOURS.length] : (COLOURS[s.part] ?? '#bbbbbb'));
    const out = [`<svg class="cpu" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="CPU by role">`];
    // legend: every part that appears, in bar order
    const legend = [...new Map(bars.flatMap((b) => b?.parts ?? []).map((p) => [p.part, p])).values()];
    let lx = labelW;
    for (const p of legend) {
        out.push(`<rect x="${lx}" y="8" width="18" height="16" fill="${colour(p)}" stroke="#0006"/>`, `<text x="${lx + 24}" y="22" class="hop-legend">${escapeHtml(p.part)}</text>`);
        lx += 40 + p.part.length * 10;
    }
    for (let k = 0; k <= Math.ceil(maxCores); k++) {
        const x = labelW + scale(k);
        out.push(`<line x1="${x}" y1="${top - 8}" x2="${x}" y2="${height - 30}" stroke="rgba(0,0,0,0.15)"/>`, `<text x="${x}" y="${height - 10}" text-anchor="middle" class="hop-tick">${k} core${k === 1 ? '' : 's'}</text>`);
    }
    result.transports.forEach((t, i) => {
        const b = bars[i];
        const y = top + i * (barH + gap);
        out.push(`<text x="${labelW - 12}" y="${y + barH / 2 + 6}" text-anchor="end" class="hop-label">${escapeHtml(t.name)}</text>`);
        if (!b) {
            out.push(`<text x="${labelW + 4}" y="${y + barH / 2 + 6}" class="hop-value">no samples</text>`);
            return;
        }
        let x = labelW;
        for (const p of b.parts) {
            const w = scale(p.cores);
            out.push(`<rect x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${barH}" fill="${colour(p)}" stroke="#fff"><title>${escapeHtml(`${t.name}: ${p.part} ${formatNumber(p.cores)} cores`)}</title></rect>`);
            if (w > 44)
                out.push(`<text x="${(x + w / 2).toFixed(1)}" y="${y + barH / 2 + 5}" text-anchor="middle" class="cpu-part">${escapeHtml(formatNumber(p.cores))}</text>`);
            x += w;
        }
        if (b.machineCores !== null) {
            const mx = labelW + scale(b.machineCores);
            out.push(`<line x1="${mx.toFixed(1)}" y1="${y - 6}" x2="${mx.toFixed(1)}" y2="${y + barH + 6}" stroke="#111" stroke-width="3"><title>${escapeHtml(`machine: ${formatNumber(b.machineCores)} of ${b.cores} cores busy`)}</title></line>`);
        }
        const end = Math.max(x, labelW + scale(b.machineCores ?? 0));
        out.push(`<text x="${(end + 8).toFixed(1)}" y="${y + barH / 2 + 6}" class="hop-value">${escapeHtml(b.machineCores !== null ? `machine ${formatNumber(b.machineCores)} / ${b.cores}` : '')}</text>`);
    });
    out.push('</svg>');
    return out.join('');
}
//# sourceMappingURL=cpu.js.map