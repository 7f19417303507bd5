import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Command } from 'commander';
import { ExitCode } from '../contract/error-catalogue.js';
import { loadBaselines, loadResultFile, loadThresholdsFile, parseIntOption, parsePercentOption } from '../gate/load.js';
import { DEFAULT_REGRESSION_METRICS, runGate } from '../gate/run-gate.js';
import { renderGateMarkdown } from '../report/gate-markdown.js';
import { renderJUnit } from '../report/junit.js';

interface GateFlags {
  baseline: string[];
  maxRegression: string;
  metric: string[];
  junit?: string;
  markdown?: string;
  thresholds?: string;
  resamples: string;
  seed: string;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];
const collectList = (value: string, previous: string[]): string[] => [...previous, ...value.split(',').map((s) => s.trim()).filter(Boolean)];

function writeOut(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

/** `bench gate <result.json>`: thresholds and baseline regressions; exit 0 pass, 99 fail, 104 invalid input. */
export function command(): Command {
  return new Command('gate')
    .description('check a result against its thresholds and, optionally, baselines; exit 0 pass, 99 failed, 104 invalid input')
    .argument('<result>', 'result.json (or its report directory)')
    .option('--baseline <path>', 'baseline result.json, or a directory of results; repeat for several (compared by median)', collect, [])
    .option('--max-regression <pct>', 'largest tolerated change for the worse, beyond noise', '10%')
    .option('--metric <list>', `metrics compared with the baseline, comma-separated (default ${DEFAULT_REGRESSION_METRICS.join(',')})`, collectList, [])
    .option('--thresholds <file.yaml>', "thresholds to check instead of the result's own")
    .option('--junit <file>', 'write JUnit XML')
    .option('--markdown <file>', 'write a Markdown summary')
    .option('--resamples <n>', 'bootstrap resamples', '1000')
    .option('--seed <n>', 'bootstrap seed', '1')
    .action((file: string, flags: GateFlags) => {
      const maxRegressionPct = parsePercentOption('--max-regression', flags.maxRegression);
      const resamples = parseIntOption('--resamples', flags.resamples, 100);
      const seed = parseIntOption('--seed', flags.seed, 0);
      const result = loadResultFile(file);
      const thresholds = flags.thresholds ? loadThresholdsFile(flags.thresholds) : undefined;
      const baselines = loadBaselines(flags.baseline);
      const outcome = runGate(result, {
        thresholds,
        baselines,
        maxRegressionPct,
        metrics: flags.metric.length ? flags.metric : undefined,
        resamples,
        seed,
      });
      const text = outcome.lines.join('\n') + '\n';
      if (outcome.exitCode === ExitCode.invalidConfig) process.stderr.write(text);
      else process.stdout.write(text);
      if (flags.junit && outcome.exitCode !== ExitCode.invalidConfig) writeOut(flags.junit, renderJUnit(outcome));
      if (flags.markdown) writeOut(flags.markdown, renderGateMarkdown(outcome));
      process.exitCode = outcome.exitCode;
    });
}
