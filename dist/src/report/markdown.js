import { forDisplay } from './display.js';
import { markdownCell as cell } from './escape.js';
import { formatNumber as num } from './verdict.js';
import { runSentences } from '../findings/sentences.js';
/** The sentences as a Markdown list, warnings marked. */
export function sentencesMarkdown(sentences, heading = 'What this run shows') {
    if (sentences.length === 0)
        return [];
    return [`**${heading}**`, '', ...sentences.map((s) => `- ${s.kind === 'warning' ? '⚠️ ' : ''}${cell(s.text)}`), ''];
}
/**
 * A short Markdown summary that fits a CI job summary: one row per transport,
 * the correctness check, and threshold verdicts.
 */
export function renderMarkdown(input, sentences) {
    const result = forDisplay(input);
    const ts = result.transports;
    const lines = [];
    lines.push(`### ${cell(result.scenario.name)} — ${cell(result.status)}`, '');
    lines.push(...sentencesMarkdown(sentences ?? runSentences(result)));
    if (result.scenario.description)
        lines.push(cell(result.scenario.description), '');
    lines.push(`Run \`${cell(result.runId)}\`, ${cell(result.startedAt)}, ${cell(`${result.environment.cpus} × ${result.environment.cpuModel}`)}`, '');
    lines.push('| transport | status | orders/s (target) | e2e p50 ms | e2e p99 ms | e2e p99.9 ms | e2e max ms | accept p99 ms | errors | dropped | timed out |', '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|');
    for (const t of ts) {
        const e = t.latency.endToEnd;
        const has = e.count > 0;
        lines.push(`| ${cell(t.name)} | ${cell(t.status)} | ${num(t.throughput.completedPerSec)} (${num(t.throughput.targetPerSec)}) | ${has ? num(e.p50, 'ms') : '–'} | ${has ? num(e.p99, 'ms') : '–'} | ${has ? num(e.p999, 'ms') : '–'} | ${has ? num(e.max, 'ms') : '–'} | ${t.latency.acceptance.count > 0 ? num(t.latency.acceptance.p99, 'ms') : '–'} | ${num(t.counts.errors)} | ${num(t.counts.dropped)} | ${num(t.counts.timedOut)} |`);
    }
    lines.push('');
    const checked = ts.filter((t) => t.check);
    if (checked.length > 0) {
        lines.push('| transport | lost | duplicates | reordered | stuck | drained |', '|---|--:|--:|--:|--:|---|');
        for (const t of checked) {
            const c = t.check;
            lines.push(`| ${cell(t.name)} | ${num(c.lost)} | ${num(c.duplicates)} | ${num(c.reordered)} | ${num(c.stuck)} | ${c.drained ? 'yes' : 'no'} |`);
        }
        lines.push('');
    }
    const withThresholds = ts.filter((t) => t.thresholds.length > 0);
    if (withThresholds.length > 0) {
        lines.push('| transport | threshold | verdict | actual |', '|---|---|---|--:|');
        for (const t of withThresholds) {
            for (const x of t.thresholds) {
                lines.push(`| ${cell(t.name)} | ${cell(x.expression)} | ${x.ok ? '✅ pass' : '❌ fail'} | ${x.actual === null ? '–' : num(x.actual)} |`);
            }
        }
        lines.push('');
    }
    return `${lines.join('\n')}\n`;
}
//# sourceMappingURL=markdown.js.map