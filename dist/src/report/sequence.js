import { escapeHtml } from './escape.js';
import { formatNumber } from './verdict.js';
/**
 * A sequence diagram (SVG) of one sample order: a lifeline per service, an arrow
 * per event with its name, and the time since the order's first event.
 */
const CANONICAL = ['client', 'order', 'inventory', 'payment', 'shipment'];
const MAX_EVENTS = 40;
function participantsOf(sample) {
    const seen = [];
    for (const e of sample)
        for (const p of [e.from, e.to])
            if (!seen.includes(p))
                seen.push(p);
    const canonical = CANONICAL.filter((c) => seen.includes(c));
    return [...canonical, ...seen.filter((p) => !CANONICAL.includes(p))];
}
export function sequenceSvg(sample, colour, title) {
    const events = sample.slice(0, MAX_EVENTS);
    const people = participantsOf(events);
    const left = 120;
    const lane = 190;
    const top = 70;
    const row = 50;
    const width = left + people.length * lane + 150;
    const height = top + events.length * row + 30;
    const laneX = (p) => left + people.indexOf(p) * lane + lane / 2;
    const t0 = events[0]?.atMs ?? 0;
    const parts = [];
    parts.push(`<svg class="sequence" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(title)}">`, `<defs><marker id="arrow-${escapeHtml(colour.slice(1))}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#111"/></marker></defs>`, `<text x="8" y="${top - 12}" class="seq-time">time</text>`);
    for (const p of people) {
        const x = laneX(p);
        parts.push(`<rect x="${x - 78}" y="8" width="156" height="40" rx="6" fill="${colour}" fill-opacity="0.16" stroke="${colour}" stroke-width="2"/>`, `<text x="${x}" y="34" text-anchor="middle" class="seq-actor">${escapeHtml(p)}</text>`, `<line x1="${x}" y1="48" x2="${x}" y2="${height - 10}" stroke="#555" stroke-width="1.5" stroke-dasharray="6 5"/>`);
    }
    events.forEach((e, i) => {
        const y = top + i * row + 26;
        const x1 = laneX(e.from);
        const x2 = laneX(e.to);
        const marker = `url(#arrow-${escapeHtml(colour.slice(1))})`;
        parts.push(`<text x="8" y="${y + 5}" class="seq-time">+${escapeHtml(formatNumber(e.atMs - t0, 'ms'))} ms</text>`);
        if (x1 === x2) {
            parts.push(`<path d="M${x1},${y - 8} h36 v16 h-34" fill="none" stroke="#111" stroke-width="2" marker-end="${marker}"/>`, `<text x="${x1 + 44}" y="${y + 5}" class="seq-event">${escapeHtml(e.type)}</text>`);
        }
        else {
            const mid = (x1 + x2) / 2;
            parts.push(`<line x1="${x1}" y1="${y}" x2="${x2 + (x2 > x1 ? -4 : 4)}" y2="${y}" stroke="#111" stroke-width="2" marker-end="${marker}"/>`, `<text x="${mid}" y="${y - 8}" text-anchor="middle" class="seq-event">${escapeHtml(e.type)}</text>`);
        }
    });
    parts.push('</svg>');
    return parts.join('');
}
//# sourceMappingURL=sequence.js.map