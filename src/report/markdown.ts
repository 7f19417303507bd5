import type { Result } from '../result/schema.js';
import { forDisplay } from './display.js';
import { hopNames } from './hops.js';
import { markdownCell as cell } from './escape.js';
import { formatNumber as num } from './verdict.js';
import { runSentences, type Sentence } from '../findings/sentences.js';

/** The sentences as a Markdown list, warnings marked. */
export function sentencesMarkdown(sentences: Sentence[], heading = 'What this run shows'): string[] {
  if (sentences.length === 0) return [];
  return [`**${heading}**`, '', ...sentences.map((s) => `- ${s.kind === 'warning' ? '⚠️ ' : ''}${cell(s.text)}`), ''];
}

/**
 * A short Markdown summary that fits a CI job summary: one row per transport,
 * the correctness check, and threshold verdicts.
 */
export function renderMarkdown(input: Result, sentences?: Sentence[]): string {
  const result = forDisplay(input);
  const ts = result.transports;
  const lines: string[] = [];
  lines.push(`### ${cell(result.scenario.name)} — ${cell(result.status)}`, '');
  lines.push(...sentencesMarkdown(sentences ?? runSentences(result)));
  if (result.scenario.description) lines.push(cell(result.scenario.description), '');
  lines.push(`Run \`${cell(result.runId)}\`, ${cell(result.startedAt)}, ${cell(`${result.environment.cpus} × ${result.environment.cpuModel}`)}`, '');

  lines.push(
    '| transport | status | orders/s (target) | e2e p50 ms | e2e p99 ms | e2e p99.9 ms | e2e max ms | accept p99 ms | errors | dropped | timed out |',
    '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  );
  for (const t of ts) {
    const e = t.latency.endToEnd;
    const has = e.count > 0;
    lines.push(
      `| ${cell(t.name)} | ${cell(t.status)} | ${num(t.throughput.completedPerSec)} (${num(t.throughput.targetPerSec)}) | ${has ? num(e.p50, 'ms') : '–'} | ${has ? num(e.p99, 'ms') : '–'} | ${has ? num(e.p999, 'ms') : '–'} | ${has ? num(e.max, 'ms') : '–'} | ${t.latency.acceptance.count > 0 ? num(t.latency.acceptance.p99, 'ms') : '–'} | ${num(t.counts.errors)} | ${num(t.counts.dropped)} | ${num(t.counts.timedOut)} |`,
    );
  }
  lines.push('');

  lines.push(...floorAndHops(result));

  const checked = ts.filter((t) => t.check);
  if (checked.length > 0) {
    lines.push('| transport | lost | duplicates | reordered | stuck | drained |', '|---|--:|--:|--:|--:|---|');
    for (const t of checked) {
      const c = t.check!;
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
  const warnings = ts.flatMap((t) => t.warnings.map((w) => `- ${cell(t.label ?? t.name)}: \`${cell(w.code)}\` ${cell(w.message)}`));
  if (warnings.length > 0) lines.push('**Warnings**', '', ...warnings, '');
  return `${lines.join('\n')}\n`;
}

/**
 * The calibrated floor of each transport and each hop's median beside it (`1.42 (×1.9
 * floor)`), one column per transport; nothing when no transport has hops or a floor.
 */
function floorAndHops(result: Result): string[] {
  const ts = result.transports;
  const hops = hopNames(result);
  if (hops.length === 0 && !ts.some((t) => t.calibration)) return [];
  const out = [`| p50 ms | ${ts.map((t) => cell(t.label ?? t.name)).join(' | ')} |`, `|---|${ts.map(() => '--:|').join('')}`];
  if (ts.some((t) => t.calibration)) {
    out.push(`| floor (p50 / p99) | ${ts.map((t) => (t.calibration ? `${num(t.calibration.p50, 'ms')} / ${num(t.calibration.p99, 'ms')}` : '–')).join(' | ')} |`);
  }
  for (const hop of hops) {
    const cells = ts.map((t) => {
      const s = t.latency.hops[hop];
      if (!s || s.count === 0) return '–';
      const floor = t.calibration?.p50;
      return floor && floor > 0 ? `${num(s.p50, 'ms')} (×${(s.p50 / floor).toFixed(1)} floor)` : num(s.p50, 'ms');
    });
    out.push(`| ${cell(hop)} | ${cells.join(' | ')} |`);
  }
  return [...out, ''];
}
