import type { Verdict } from './evaluate.js';
import { parseThreshold } from './expression.js';
import type { RegressionVerdict } from './regression.js';
import { formatMetricValue, formatNumber } from './value.js';

/** `41.2 ms` for a threshold verdict (the unit from its expression), the plain number otherwise. */
export function formatActual(v: Verdict): string {
  if (v.actual === null) return 'n/a';
  if ((v.kind ?? 'threshold') !== 'threshold') return formatNumber(v.actual);
  try {
    return formatMetricValue(parseThreshold(v.expression).metric, v.actual);
  } catch {
    return formatNumber(v.actual);
  }
}

export function isSkipped(v: Verdict): boolean {
  return (v as Partial<RegressionVerdict>).skipped === true;
}

/** One line per verdict: `✓ kafka  endToEnd.p99 < 250ms  actual 41.2 ms`, aligned. */
export function verdictLines(verdicts: readonly Verdict[]): string[] {
  const tw = Math.max(0, ...verdicts.map((v) => v.transport.length));
  const ew = Math.max(0, ...verdicts.map((v) => v.expression.length));
  return verdicts.map((v) => {
    const mark = isSkipped(v) ? '–' : v.ok ? '✓' : '✗';
    const head = `${mark} ${v.transport.padEnd(tw)}  ${v.expression.padEnd(ew)}  `;
    if ((v.kind ?? 'threshold') === 'regression') return head + v.detail;
    const actual = `actual ${formatActual(v)}`;
    return v.ok ? head + actual : `${head}${actual}  (${v.detail})`;
  });
}
