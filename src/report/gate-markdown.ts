import { ExitCode } from '../contract/error-catalogue.js';
import type { Comparison } from '../gate/compare.js';
import { compareCells, formatActual, isSkipped } from '../gate/console.js';
import { verdictSubject } from '../gate/evaluate.js';
import type { GateOutcome } from '../gate/run-gate.js';
import { compareSentences } from '../findings/compare-sentences.js';

/** Escapes a table cell: pipes, newlines and characters Markdown would take as markup. */
export function mdCell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ').replace(/([*_`<>[\]])/g, '\\$1');
}

function table(header: string[], rows: string[][]): string[] {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => ' --- ').join('|')}|`, ...rows.map((r) => `| ${r.map(mdCell).join(' | ')} |`)];
}

/** The gate's verdicts as Markdown, suitable to append to $GITHUB_STEP_SUMMARY. */
export function renderGateMarkdown(outcome: GateOutcome): string {
  const failed = outcome.verdicts.filter((v) => !v.ok).length;
  const verdict = outcome.exitCode === ExitCode.invalidConfig ? 'invalid input' : outcome.passed ? 'passed' : `failed (${failed} of ${outcome.verdicts.length})`;
  const lines = [`### ${outcome.passed ? '✅' : '❌'} Gate ${verdict}: ${mdCell(outcome.scenario)}`, '', `Run \`${outcome.runId}\`.`, ''];
  if (outcome.exitCode === ExitCode.invalidConfig) {
    lines.push('```', ...outcome.lines, '```', '');
    return lines.join('\n');
  }
  const thresholds = outcome.verdicts.filter((v) => (v.kind ?? 'threshold') === 'threshold');
  const regressions = outcome.verdicts.filter((v) => v.kind === 'regression');
  const mark = (v: (typeof outcome.verdicts)[number]): string => (isSkipped(v) ? '–' : v.ok ? '✅' : '❌');
  if (thresholds.length) {
    lines.push('#### Thresholds', '');
    lines.push(...table(['', 'Transport', 'Threshold', 'Actual', 'Detail'], thresholds.map((v) => [mark(v), verdictSubject(v), v.expression, formatActual(v), v.detail])), '');
  }
  if (regressions.length) {
    lines.push(`#### Regressions against the baseline (limit ${outcome.maxRegressionPct}%)`, '');
    lines.push(...table(['', 'Transport', 'Check', 'Detail'], regressions.map((v) => [mark(v), verdictSubject(v), v.expression, v.detail])), '');
  }
  if (!thresholds.length && !regressions.length) lines.push('No thresholds and no baseline: nothing to check.', '');
  if (outcome.noiseMethod) lines.push(`<sub>Noise: ${outcome.noiseMethod}</sub>`, '');
  return lines.join('\n');
}

/** `bench compare` as Markdown: one table per transport. */
export function renderCompareMarkdown(cmp: Comparison): string {
  const lines = [
    `### Comparison: ${mdCell(cmp.a.label)} vs ${mdCell(cmp.b.label)}`,
    '',
    `- ${mdCell(cmp.a.label)}: ${mdCell(cmp.a.scenario)} \`${cmp.a.runId}\``,
    `- ${mdCell(cmp.b.label)}: ${mdCell(cmp.b.scenario)} \`${cmp.b.runId}\``,
    '',
    '**What changed beyond noise**',
    '',
    ...compareSentences(cmp).map((s) => `- ${s.kind === 'warning' ? '⚠️ ' : ''}${mdCell(s.text)}`),
    '',
  ];
  for (const t of cmp.transports) {
    lines.push(`#### ${mdCell(t.name)}`, '');
    lines.push(...table(['Metric', mdCell(cmp.a.label), mdCell(cmp.b.label), 'Δ', 'Δ%', '95% CI', 'Noise'], t.rows.map(compareCells)), '');
  }
  if (cmp.onlyInA.length) lines.push(`Only in ${mdCell(cmp.a.label)}: ${cmp.onlyInA.map(mdCell).join(', ')}`, '');
  if (cmp.onlyInB.length) lines.push(`Only in ${mdCell(cmp.b.label)}: ${cmp.onlyInB.map(mdCell).join(', ')}`, '');
  lines.push(`<sub>Noise: ${cmp.noiseMethod}</sub>`, '');
  return lines.join('\n');
}
