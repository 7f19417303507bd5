import { higherIsWorse } from '../gate/metric.js';
import { formatMetricValue } from '../gate/value.js';
import { displayName, listOf, signedPct } from './words.js';
/**
 * What changed between two runs, in words: per transport, the changes beyond noise
 * (the gate's bootstrap, `bench compare`'s rows), largest first, and the transports
 * where nothing changed beyond noise. At most MAX sentences.
 */
const MAX = 6;
/** what an architect reads first: the tail, failures, throughput, the median; the extremes last */
const PRIORITY = ['endToEnd.p99', 'errors.rate', 'lost', 'throughput.completedPerSec', 'endToEnd.p50', 'duplicates', 'dropped', 'timedOut', 'acceptance.p99', 'acceptance.p50', 'endToEnd.p90', 'endToEnd.p999', 'endToEnd.max'];
const rank = (r) => {
    const i = PRIORITY.indexOf(r.metric.id);
    return i < 0 ? PRIORITY.length : i;
};
const PER_TRANSPORT = 2;
const METRIC_WORDS = {
    'endToEnd.p50': 'median end-to-end latency',
    'endToEnd.p90': 'end-to-end p90',
    'endToEnd.p99': 'end-to-end p99',
    'endToEnd.p999': 'end-to-end p99.9',
    'endToEnd.max': 'slowest order',
    'acceptance.p50': 'median acceptance latency',
    'acceptance.p99': 'acceptance p99',
    'throughput.completedPerSec': 'throughput',
    'errors.rate': 'error rate',
    dropped: 'dropped orders',
    timedOut: 'timed-out orders',
    lost: 'lost orders',
    duplicates: 'duplicates',
};
function changeText(name, r) {
    const what = METRIC_WORDS[r.metric.id] ?? r.metric.id;
    const up = (r.delta ?? 0) > 0;
    const verb = up ? 'rose' : 'fell';
    const worse = higherIsWorse(r.metric) ? up : !up;
    const ci = r.interval ? `, 95% interval ${signedPct(r.interval[0])} … ${signedPct(r.interval[1])}` : '';
    return `${displayName(name)}: ${what} ${verb} from ${formatMetricValue(r.metric, r.a)} to ${formatMetricValue(r.metric, r.b)} (${signedPct(r.deltaPct ?? 0)}${ci}) — ${worse ? 'worse' : 'better'}`;
}
export function compareSentences(cmp) {
    const out = [];
    const unchanged = [];
    const untestable = [];
    for (const t of cmp.transports) {
        const beyond = t.rows.filter((r) => r.noise === 'beyond').sort((a, b) => rank(a) - rank(b));
        if (beyond.length === 0) {
            (t.rows.some((r) => r.noise === 'within') ? unchanged : untestable).push(displayName(t.name));
            continue;
        }
        const shown = beyond.slice(0, PER_TRANSPORT).map((r) => changeText(t.name, r));
        const more = beyond.length > PER_TRANSPORT ? ` (and ${beyond.length - PER_TRANSPORT} more beyond noise)` : '';
        out.push({ kind: 'finding', text: `${shown.join('; ').replace(new RegExp(`; ${escapeRe(displayName(t.name))}: `, 'g'), '; ')}${more}.`, anchor: 'verdict' });
    }
    if (unchanged.length)
        out.push({ kind: 'finding', text: `${listOf(unchanged)}: nothing changed beyond noise between ${cmp.a.label} and ${cmp.b.label}.`, anchor: 'verdict' });
    if (untestable.length)
        out.push({ kind: 'warning', text: `${listOf(untestable)}: too few seconds to tell noise from change (fewer than 5 per run).`, anchor: 'verdict' });
    if (cmp.onlyInA.length || cmp.onlyInB.length) {
        const parts = [cmp.onlyInA.length ? `only ${cmp.a.label} ran ${listOf(cmp.onlyInA.map(displayName))}` : '', cmp.onlyInB.length ? `only ${cmp.b.label} ran ${listOf(cmp.onlyInB.map(displayName))}` : ''].filter(Boolean);
        out.push({ kind: 'warning', text: `Not compared: ${parts.join('; ')}.`, anchor: 'verdict' });
    }
    const warnings = out.filter((s) => s.kind === 'warning');
    return [...warnings, ...out.filter((s) => s.kind !== 'warning')].slice(0, MAX);
}
function escapeRe(s) {
    return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
//# sourceMappingURL=compare-sentences.js.map