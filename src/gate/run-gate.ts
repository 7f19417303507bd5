import { ExitCode } from '../contract/error-catalogue.js';
import { ConfigError } from '../contract/errors.js';
import type { Result } from '../result/schema.js';
import { TransportNameSchema } from '../scenario/schema.js';
import { verdictLines } from './console.js';
import { evaluateThresholds, resultThresholds, type Verdict } from './evaluate.js';
import { parseMetrics } from './metric.js';
import { NOISE_METHOD } from './noise.js';
import { checkRegressions, type RegressionVerdict } from './regression.js';
import { hasThresholds, validateThresholds, type ThresholdSpec } from './thresholds.js';

export const DEFAULT_REGRESSION_METRICS = ['endToEnd.p99', 'endToEnd.p50', 'throughput.completedPerSec', 'errors.rate'];

export interface GateOptions {
  /** thresholds to check instead of the result's own `scenario.resolved.thresholds` */
  thresholds?: ThresholdSpec;
  /** baseline results (several: compared by median) */
  baselines?: readonly Result[];
  /** largest tolerated change for the worse, % (default 10) */
  maxRegressionPct?: number;
  /** metrics compared with the baseline (default DEFAULT_REGRESSION_METRICS) */
  metrics?: readonly string[];
  /** bootstrap resamples (default 1000) and seed (default 1) */
  resamples?: number;
  seed?: number;
}

export interface GateOutcome {
  /** 0 passed, 99 a threshold or regression failed, 104 invalid thresholds or options */
  exitCode: number;
  passed: boolean;
  /** what to print, one line each */
  lines: string[];
  /** every check: thresholds, then regressions */
  verdicts: Verdict[];
  thresholds: Verdict[];
  regressions: RegressionVerdict[];
  /** the noise method, when regressions were checked */
  noiseMethod: string | null;
  scenario: string;
  runId: string;
  maxRegressionPct: number;
}

/**
 * The gate: checks thresholds and, with baselines, regressions. Never throws for bad
 * thresholds or options: they give exit code 104 and one line saying what is wrong.
 */
export function runGate(result: Result, opts: GateOptions = {}): GateOutcome {
  const maxRegressionPct = opts.maxRegressionPct ?? 10;
  const base = { scenario: result.scenario.name, runId: result.runId, maxRegressionPct };
  try {
    return gate(result, opts, maxRegressionPct, base);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return { ...base, exitCode: ExitCode.invalidConfig, passed: false, lines: [`bench gate: ${err.message}`], verdicts: [], thresholds: [], regressions: [], noiseMethod: null };
  }
}

function gate(result: Result, opts: GateOptions, maxRegressionPct: number, base: Pick<GateOutcome, 'scenario' | 'runId' | 'maxRegressionPct'>): GateOutcome {
  if (!Number.isFinite(maxRegressionPct) || maxRegressionPct < 0) throw new ConfigError(`--max-regression: expected a percentage ≥ 0, got ${maxRegressionPct}`);
  if (opts.resamples !== undefined && !(Number.isInteger(opts.resamples) && opts.resamples >= 100)) {
    throw new ConfigError(`resamples: expected an integer ≥ 100, got ${opts.resamples}`);
  }
  const spec = opts.thresholds ?? resultThresholds(result);
  const known = [...new Set([...TransportNameSchema.options, ...result.transports.map((t) => t.name)])];
  validateThresholds(spec, known);
  const metrics = parseMetrics(opts.metrics ?? DEFAULT_REGRESSION_METRICS);
  const baselines = opts.baselines ?? [];

  const statusVerdicts: Verdict[] = result.transports
    .filter((t) => t.status !== 'completed')
    .map((t) => ({ transport: t.name, ...(t.label ? { step: t.label } : {}), expression: 'status == completed', ok: false, actual: null, detail: `${t.status}${t.statusDetail ? `: ${t.statusDetail}` : ''}`, kind: 'threshold' }));
  // a run that did not finish (stopped, killed, still running) never passes: what it lacks was never judged
  if (result.status !== 'completed' && !result.transports.some((t) => t.status !== 'completed')) {
    statusVerdicts.push({ transport: 'run', expression: 'status == completed', ok: false, actual: null, detail: `${result.status}${result.statusDetail ? `: ${result.statusDetail}` : ''}`, kind: 'threshold' });
  }
  const thresholds = [...statusVerdicts, ...evaluateThresholds(result, spec)];
  const regressions = baselines.length ? checkRegressions(result, baselines, { metrics, maxRegressionPct, resamples: opts.resamples, seed: opts.seed }) : [];
  const verdicts: Verdict[] = [...thresholds, ...regressions];
  const failed = verdicts.filter((v) => !v.ok).length;
  const passed = failed === 0;

  const lines: string[] = [];
  if (!hasThresholds(spec) && baselines.length === 0) lines.push('no thresholds and no baseline: nothing to check');
  lines.push(...verdictLines(verdicts));
  const noiseMethod = baselines.length ? NOISE_METHOD : null;
  if (noiseMethod) lines.push(`noise: ${noiseMethod}`);
  lines.push(passed ? `gate passed: ${verdicts.length} check${verdicts.length === 1 ? '' : 's'}` : `gate failed: ${failed} of ${verdicts.length} checks failed`);
  return { ...base, exitCode: passed ? ExitCode.ok : ExitCode.thresholdsFailed, passed, lines, verdicts, thresholds, regressions, noiseMethod };
}
