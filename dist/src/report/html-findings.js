import { escapeHtml as esc } from './escape.js';
/**
 * "What this run shows": the generated sentences, warnings first and set apart, each
 * with a link to the chart or table that proves it.
 */
const ANCHOR_NAMES = {
    verdict: 'verdict table',
    cpu: 'where the CPU went',
    'chart-ramp': 'latency against throughput',
    'chart-latency-p99': 'p99 over time',
    'chart-throughput': 'throughput over time',
    'chart-backlog': 'backlog over time',
    settings: 'settings',
};
function item(s) {
    const target = ANCHOR_NAMES[s.anchor] ?? s.anchor;
    return `<li class="${s.kind}">${s.kind === 'warning' ? '<span class="flag">⚠</span> ' : ''}${esc(s.text)} <a class="proof" href="#${esc(s.anchor)}">→ ${esc(target)}</a></li>`;
}
export function findingsSection(sentences, heading = 'What this run shows') {
    if (sentences.length === 0)
        return '';
    const warnings = sentences.filter((s) => s.kind === 'warning');
    const findings = sentences.filter((s) => s.kind !== 'warning');
    return `<section id="findings" class="findings"><h2>${esc(heading)}</h2>
${warnings.length ? `<ul class="warnings">${warnings.map(item).join('')}</ul>` : ''}
${findings.length ? `<ul class="sentences">${findings.map(item).join('')}</ul>` : ''}
</section>`;
}
//# sourceMappingURL=html-findings.js.map